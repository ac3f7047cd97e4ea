/**
 * The fleet view's data (docs/editor-api.md "Fleet", docs/telemetry.md) and how
 * staff read each screen's state, in French. Pure: the component only shows it.
 */
import { api, ApiError } from './api.ts';

export type ScreenState = 'ok' | 'not-painting' | 'stale' | 'no-content' | 'down' | 'closed';

export interface FleetScreen {
  id: string;
  name?: string | null;
  state: ScreenState | string;
  /** Manifest version it plays. */
  version?: number | null;
  /** Id of the item on screen. */
  item?: string | null;
  /** Its French title in the published manifest; null when the item is not in it. */
  itemTitle?: string | null;
  /** ISO date or ms since the epoch. */
  lastSeen?: string | number | null;
  /** The heartbeat's painting report, or just whether it paints. */
  painting?: { ok: boolean; reason?: string | null } | boolean | null;
  power?: 'ok' | 'eco' | 'crit' | string | null;
  clockSkewS?: number | null;
  errors?: { at?: string; message: string }[] | number | null;
  /** The centre's box it reports through; null when it reports to this server. */
  via?: string | null;
}

export interface FleetChannel {
  id: string;
  name: string;
  timezone?: string;
  published: { version: number; issued: string } | null;
  /** Absent when the server has no fleet view yet (only the published version is known). */
  screens?: FleetScreen[];
}

export interface Fleet {
  channels: FleetChannel[];
  /** False when the server has no telemetry yet: GET /api/editor/channels stood in. */
  tracked: boolean;
}

/** GET /api/editor/fleet; on a server without it (404), the channels and their published versions. */
export async function loadFleet(): Promise<Fleet> {
  try {
    const answer = await api<{ channels: FleetChannel[] }>('GET', 'fleet');
    return { channels: answer.channels, tracked: true };
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
    const answer = await api<{ channels: FleetChannel[] }>('GET', 'channels');
    return {
      channels: answer.channels.map((c) => ({
        id: c.id,
        name: c.name,
        timezone: c.timezone,
        published: c.published,
      })),
      tracked: false,
    };
  }
}

export interface StateLook {
  label: string;
  /** A symbol beside the text: the state is never told by colour alone. */
  icon: string;
  tone: 'ok' | 'alarm' | 'warn' | 'quiet';
}

export const STATE_LOOKS: Record<ScreenState, StateLook> = {
  ok: { label: 'En service', icon: '✓', tone: 'ok' },
  'not-painting': { label: 'N’affiche rien (ne peint plus)', icon: '⚠', tone: 'alarm' },
  stale: { label: 'Contenu expiré', icon: '◷', tone: 'warn' },
  'no-content': { label: 'Sans contenu (écran d’accueil)', icon: '○', tone: 'warn' },
  down: { label: 'Hors service', icon: '✕', tone: 'alarm' },
  closed: { label: 'Fermé (normal)', icon: '☾', tone: 'quiet' },
};

export function stateLook(state: string): StateLook {
  return STATE_LOOKS[state as ScreenState] ?? { label: `État inconnu (${state})`, icon: '?', tone: 'warn' };
}

const PAINT_REASONS: Record<string, string> = {
  'no-frames': 'aucune image présentée',
  hidden: 'le contenu est masqué',
  'video-frozen': 'la vidéo est figée',
};

/** Why a screen that says it plays shows nothing, in French; '' when not known. */
export function paintingReason(screen: FleetScreen): string {
  const p = screen.painting;
  if (!p || typeof p !== 'object' || p.ok || !p.reason) return '';
  return PAINT_REASONS[p.reason] ?? p.reason;
}

export const POWER_LABELS: Record<string, { label: string; icon: string }> = {
  ok: { label: 'Normale', icon: '' },
  eco: { label: 'Économie (éco)', icon: '' },
  crit: { label: 'Critique', icon: '⚠' },
};

/** `à l’heure` within 30 s; else the gap, `écart de 3 min`. */
export function formatSkew(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.abs(seconds);
  if (s < 30) return 'à l’heure';
  if (s < 3600) return `écart de ${Math.round(s / 60)} min`;
  if (s < 172_800) return `écart de ${Math.round(s / 3600)} h`;
  return `écart de ${Math.round(s / 86_400)} jours`;
}

export function errorList(screen: FleetScreen): { at?: string; message: string }[] {
  return Array.isArray(screen.errors) ? screen.errors : [];
}

export function errorCount(screen: FleetScreen): number {
  return typeof screen.errors === 'number' ? screen.errors : errorList(screen).length;
}

export function timeOf(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const t = typeof value === 'number' ? value : Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** Screens whose state is an alarm (a screen that stopped painting, one that is down), for the summary. */
export function alarms(fleet: Fleet): { channel: FleetChannel; screen: FleetScreen }[] {
  return fleet.channels.flatMap((channel) =>
    (channel.screens ?? [])
      .filter((screen) => stateLook(screen.state).tone === 'alarm')
      .map((screen) => ({ channel, screen })),
  );
}
