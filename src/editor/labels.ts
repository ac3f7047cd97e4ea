/**
 * The words the editor shows for the API's codes (roles, states, kinds,
 * languages, days) and dates in French, in the channel's time zone.
 */
import { DEFAULT_TIMEZONE, formatDays, WEEKDAYS } from '../core/index.ts';
import type { DraftState, Role } from './api-types.ts';
import type { LooseItem } from './draft-edit.ts';

export const ROLE_LABELS: Record<Role, string> = {
  redacteur: 'Rédacteur',
  validateur: 'Validateur',
  admin: 'Administrateur',
};

const ROLE_RANK: Record<Role, number> = { redacteur: 1, validateur: 2, admin: 3 };

/** Each role includes the ones before it (docs/editor-api.md). */
export function hasRole(role: Role | undefined, needed: Role): boolean {
  return role !== undefined && ROLE_RANK[role] >= ROLE_RANK[needed];
}

export const DRAFT_STATE_LABELS: Record<DraftState, string> = {
  editing: 'En cours de rédaction',
  submitted: 'Soumis pour validation',
};

export const KIND_LABELS = {
  announcement: 'Annonce',
  explainer: 'Démarche expliquée',
  video: 'Vidéo',
} as const;
export type Kind = keyof typeof KIND_LABELS;

export const DAY_LABELS: Record<(typeof WEEKDAYS)[number], string> = {
  mon: 'Lundi',
  tue: 'Mardi',
  wed: 'Mercredi',
  thu: 'Jeudi',
  fri: 'Vendredi',
  sat: 'Samedi',
  sun: 'Dimanche',
};

/** The languages the centres use (docs/manifest.md "Language tags"); any valid tag is kept. */
export const LANGUAGES: readonly { tag: string; label: string }[] = [
  { tag: 'fr', label: 'Français' },
  { tag: 'fon', label: 'Fɔngbè (fon)' },
  { tag: 'yo', label: 'Yorùbá' },
  { tag: 'bba', label: 'Baatɔnum (bariba)' },
  { tag: 'ddn', label: 'Dendi' },
];

export function languageLabel(tag: string | undefined): string {
  return LANGUAGES.find((l) => l.tag === tag)?.label ?? tag ?? '';
}

const AUDIT_ACTIONS: Record<string, string> = {
  login: 'Connexion',
  logout: 'Déconnexion',
  'draft-save': 'Brouillon enregistré',
  'draft-submit': 'Soumis pour validation',
  'draft-withdraw': 'Soumission retirée',
  'draft-reject': 'Renvoyé avec un commentaire',
  approve: 'Approuvé et publié',
  restore: 'Version restaurée comme brouillon',
  import: 'Playlist importée',
  'user-add': 'Compte créé',
  'user-update': 'Compte modifié',
  'channel-create': 'Chaîne créée',
  'media-upload': 'Média téléversé',
};

export function auditActionLabel(action: string): string {
  return AUDIT_ACTIONS[action] ?? action;
}

/** `28 novembre 2026 à 10:05`, in the given IANA zone (the centre's, not the browser's). */
export function formatDateTime(iso: string | null | undefined, timeZone = DEFAULT_TIMEZONE): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone }).format(date);
}

/** `2026-12-12` → `12 décembre 2026`; `2026-12-12T12:00` → `12 décembre 2026 à 12:00`. */
export function formatLocalDate(local: string | undefined): string {
  if (!local) return '';
  const [y, m, d] = local.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (Number.isNaN(date.getTime())) return local;
  const day = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(date);
  return local.length > 10 ? `${day} à ${local.slice(11, 16)}` : day;
}

/** French typography for messages written with straight apostrophes. */
export function typographic(text: string): string {
  return text.replace(/'/g, '’');
}

/** The sentence that sums up an item's schedule in the list: `jusqu’au 31 décembre 2027, pendant l’ouverture`. */
export function scheduleSummary(item: LooseItem): string {
  const s = item.schedule;
  if (!s) return 'tout le temps';
  const parts: string[] = [];
  if (s.from) parts.push(`du ${formatLocalDate(s.from)}`);
  if (s.until) parts.push(`jusqu’au ${formatLocalDate(s.until)}`);
  if (s.days?.length) parts.push(formatDays(s.days));
  if (s.times?.length) parts.push(s.times.map((t) => `${t.start ?? '?'}–${t.end ?? '?'}`).join(', '));
  if (s.when === 'open') parts.push('pendant l’ouverture');
  if (s.when === 'closed') parts.push('pendant la fermeture');
  if (s.every) parts.push(`au moins toutes les ${s.every} min`);
  return parts.join(', ') || 'tout le temps';
}
