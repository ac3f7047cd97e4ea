/**
 * Validation problems as the form shows them: a French sentence, the field it
 * belongs to (the nearest field the form draws for its JSON pointer) and a label
 * for the summary at the top of the page.
 */
import { VALIDATION_MESSAGES, type ValidationProblem } from '../core/index.ts';
import type { PlaylistDraft } from './api-types.ts';
import type { LooseItem } from './draft-edit.ts';
import { typographic } from './labels.ts';

export interface ShownProblem {
  pointer: string;
  message: string;
  /** `server` for the answer of a refused request, `local` for the check run while typing. */
  source: 'local' | 'server';
}

/** Where the core's wording names a JSON field, say it as the form does. */
const EDITOR_WORDING: Partial<Record<ValidationProblem['code'], string>> = {
  'announcement.until':
    'une annonce doit avoir une date de fin (« Jusqu’au ») : une annonce périmée induit en erreur',
  'schedule.every-share': 'choisissez soit une fréquence, soit une part du temps d’antenne, pas les deux',
  'until.order': 'doit être après la date de début (« Du »)',
  'lang.format': 'doit être un code de langue comme fr, fon, yo, bba ou ddn',
  'video.source': 'choisissez le fichier vidéo',
  'every.format': 'doit être un nombre entier de minutes, de 1 à 1440',
};

/** The French sentence of a core validation problem (as `formatProblem` does, without the pointer). */
export function problemMessage(problem: ValidationProblem): string {
  const text = EDITOR_WORDING[problem.code] ?? VALIDATION_MESSAGES[problem.code].fr;
  const filled = text.replace('{n}', String(problem.limit ?? ''));
  return typographic(filled.charAt(0).toUpperCase() + filled.slice(1)) + '.';
}

/** Local and server problems together, each pointer and message once. */
export function mergeProblems(
  local: readonly ShownProblem[],
  server: readonly ShownProblem[],
): ShownProblem[] {
  const seen = new Set<string>();
  const out: ShownProblem[] = [];
  for (const p of [...local, ...server]) {
    const key = `${p.pointer}\n${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/** The pointer itself, or its nearest parent that is in `fields`; '' when none is. */
export function nearestField(pointer: string, fields: ReadonlySet<string>): string {
  let p = pointer;
  while (p !== '' && !fields.has(p)) p = p.slice(0, p.lastIndexOf('/'));
  return p;
}

/** Problems grouped by the field that shows them. */
export function placeProblems(
  problems: readonly ShownProblem[],
  fields: ReadonlySet<string>,
): Map<string, ShownProblem[]> {
  const placed = new Map<string, ShownProblem[]>();
  for (const p of problems) {
    const at = nearestField(p.pointer, fields);
    placed.set(at, [...(placed.get(at) ?? []), p]);
  }
  return placed;
}

/** The index of the item a pointer is inside, if any. */
export function itemIndexOf(pointer: string): number | undefined {
  const m = /^\/items\/(\d+)(?:\/|$)/.exec(pointer);
  return m ? Number(m[1]) : undefined;
}

/** Every pointer the channel page draws a field or a group for: problems attach to the nearest. */
export function fieldPointers(playlist: PlaylistDraft | undefined): Set<string> {
  const out = new Set<string>(['/items']);
  if (!playlist) return out;
  const add = (...pointers: string[]) => pointers.forEach((p) => out.add(p));
  add('/site', '/site/name', '/site/commune', '/site/department', '/timezone', '/hours');
  add('/closures', '/publicHolidays', '/publicHolidays/except', '/sign', '/sign/open', '/sign/closed');
  add('/sign/notices', '/ticker');
  const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
  list(playlist.hours).forEach((_, i) =>
    add(`/hours/${i}`, `/hours/${i}/days`, `/hours/${i}/open`, `/hours/${i}/close`),
  );
  list(playlist.closures).forEach((_, i) =>
    add(`/closures/${i}`, `/closures/${i}/from`, `/closures/${i}/to`, `/closures/${i}/reason`),
  );
  list(playlist.publicHolidays?.except).forEach((_, i) => add(`/publicHolidays/except/${i}`));
  list(playlist.sign?.notices).forEach((_, i) =>
    add(`/sign/notices/${i}`, `/sign/notices/${i}/text`, `/sign/notices/${i}/lang`),
  );
  list(playlist.ticker).forEach((_, i) => add(`/ticker/${i}`, `/ticker/${i}/text`, `/ticker/${i}/lang`));
  list(playlist.items).forEach((raw, i) => {
    const item = raw as LooseItem;
    const at = `/items/${i}`;
    add(
      at,
      `${at}/id`,
      `${at}/lang`,
      `${at}/priority`,
      `${at}/title`,
      `${at}/duration`,
      `${at}/translations`,
    );
    const s = `${at}/schedule`;
    add(s, `${s}/from`, `${s}/until`, `${s}/days`, `${s}/times`, `${s}/when`, `${s}/every`);
    list(item.schedule?.times).forEach((_, k) =>
      add(`${s}/times/${k}`, `${s}/times/${k}/start`, `${s}/times/${k}/end`),
    );
    if (item.kind === 'announcement') add(`${at}/body`, `${at}/image`, `${at}/badge`, `${at}/link`);
    if (item.kind === 'explainer') {
      add(`${at}/steps`, `${at}/documents`, `${at}/cost`, `${at}/processingTime`);
      list(item.steps).forEach((_, k) =>
        add(`${at}/steps/${k}`, `${at}/steps/${k}/text`, `${at}/steps/${k}/image`),
      );
    }
    if (item.kind === 'video') {
      add(`${at}/file`, `${at}/poster`, `${at}/captions`);
      list(item.captions).forEach((_, k) =>
        add(
          `${at}/captions/${k}`,
          `${at}/captions/${k}/lang`,
          `${at}/captions/${k}/label`,
          `${at}/captions/${k}/file`,
        ),
      );
    }
    list(item.translations).forEach((rawT, t) => {
      const tr = `${at}/translations/${t}`;
      add(tr, `${tr}/lang`, `${tr}/title`);
      if (item.kind === 'announcement') add(`${tr}/body`);
      if (item.kind === 'explainer') {
        add(`${tr}/steps`, `${tr}/documents`, `${tr}/cost`, `${tr}/processingTime`);
        list((rawT as { steps?: unknown }).steps).forEach((_, k) =>
          add(`${tr}/steps/${k}`, `${tr}/steps/${k}/text`),
        );
      }
    });
  });
  return out;
}

const FIELD_NAMES: Record<string, string> = {
  site: 'Centre',
  name: 'Nom',
  commune: 'Commune',
  department: 'Département',
  timezone: 'Fuseau horaire',
  hours: 'Heures d’ouverture',
  days: 'Jours',
  closures: 'Fermetures',
  reason: 'Motif',
  publicHolidays: 'Jours fériés',
  except: 'Exceptions',
  sign: 'Enseigne lumineuse',
  notices: 'Messages de l’enseigne',
  ticker: 'Bandeau défilant',
  items: 'Éléments',
  id: 'Identifiant',
  lang: 'Langue',
  priority: 'Priorité',
  title: 'Titre',
  body: 'Texte',
  duration: 'Durée à l’écran',
  maxDuration: 'Durée maximale',
  image: 'Image',
  badge: 'Étiquette',
  link: 'Lien (code QR)',
  schedule: 'Programmation',
  until: 'Jusqu’au',
  times: 'Plages horaires',
  start: 'Début',
  end: 'Fin',
  when: 'Quand',
  every: 'Fréquence',
  share: 'Part du temps d’antenne',
  translations: 'Traductions',
  steps: 'Étapes',
  text: 'Texte',
  documents: 'Documents à apporter',
  cost: 'Coût',
  processingTime: 'Délai',
  file: 'Fichier',
  hls: 'Version HLS',
  poster: 'Image d’attente',
  captions: 'Sous-titres',
  label: 'Nom affiché',
};

const ITEM_NAMES: Record<string, string> = {
  hours: 'Plage',
  closures: 'Fermeture',
  except: 'Exception',
  notices: 'Message',
  ticker: 'Texte',
  times: 'Plage',
  translations: 'Traduction',
  steps: 'Étape',
  captions: 'Sous-titre',
  documents: 'Document',
};

/** `Élément 3 « Titre » › Programmation › Jusqu’au`: where a problem is, in the form's words. */
export function fieldLabel(pointer: string, playlist: PlaylistDraft | undefined): string {
  if (pointer === '') return 'Brouillon';
  const keys = pointer.slice(1).split('/');
  const parts: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const parent = keys[i - 1] ?? '';
    if (/^\d+$/.test(key)) {
      const n = Number(key) + 1;
      if (parent === 'items') {
        parts.pop();
        const title = (playlist?.items?.[Number(key)] as LooseItem | undefined)?.title?.trim();
        parts.push(title ? `Élément ${n} « ${title} »` : `Élément ${n}`);
      } else parts.push(`${ITEM_NAMES[parent] ?? 'N°'} ${n}`);
      continue;
    }
    if (key === 'from') parts.push(parent === 'schedule' ? 'Du' : 'Premier jour');
    else if (key === 'to') parts.push('Dernier jour');
    else if (key === 'open') parts.push(parent === 'sign' ? 'Message quand c’est ouvert' : 'Ouvre à');
    else if (key === 'close') parts.push('Ferme à');
    else if (key === 'closed') parts.push('Message quand c’est fermé');
    else parts.push(FIELD_NAMES[key] ?? key);
  }
  return parts.join(' › ');
}
