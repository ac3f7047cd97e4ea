/**
 * The heartbeat a screen sends to its server (issue 7, docs/telemetry.md): the
 * body built from what the player knows, the answer checked at the edge, and the
 * painting verdict. Pure, so that Node tests pin the contract.
 */
import type { PowerState } from '../sign/status.ts';
import type { PlaysBody } from './queue.ts';

export type PlayerStateName = 'loading' | 'playing' | 'stale' | 'no-content';
export type PaintingReason = 'no-frames' | 'hidden' | 'video-frozen';

export interface Painting {
  ok: boolean;
  /** Frames the page presented since the last heartbeat (requestAnimationFrame callbacks). */
  framesPresented: number;
  /** The item on screen has a size, is in the viewport and is not transparent or hidden; null without an item. */
  visible: boolean | null;
  /** For a video on screen, whether its time advanced; null otherwise. */
  videoAdvancing: boolean | null;
  reason: PaintingReason | null;
}

export interface TelemetryError {
  at: string;
  message: string;
}

export interface HeartbeatBody {
  v: 1;
  player: string;
  name?: string;
  channel?: string;
  sentAt: string;
  uptimeS: number;
  state: PlayerStateName;
  manifest: { version: number; ageS: number } | null;
  item: string | null;
  clockSkewS: number;
  cache: { usedBytes: number; quotaBytes: number } | null;
  painting: Painting;
  power: PowerState;
  errors: TelemetryError[];
  plays?: PlaysBody;
}

export interface HeartbeatAnswer {
  ack: string | null;
  intervalS: number;
  power: PowerState | undefined;
  display: 'on' | 'off' | undefined;
  serverTime: number | undefined;
}

/** `player` ids: docs/telemetry.md. */
export const PLAYER_ID = /^[A-Za-z0-9_-]{8,64}$/;
export const DEFAULT_INTERVAL_S = 60;
/** Nothing is sent more often than this, whatever the server answers. */
export const MIN_INTERVAL_S = 10;
/** A server asking for less than a heartbeat a day is taken at its word up to a day. */
export const MAX_INTERVAL_S = 86_400;
/** Errors carried by a heartbeat, and the length of each message. */
export const MAX_ERRORS = 10;
export const MAX_ERROR_LENGTH = 300;
/** docs/telemetry.md: a body over 64 KiB is refused. */
export const MAX_BODY_BYTES = 64 * 1024;

export function clampInterval(s: unknown): number {
  if (typeof s !== 'number' || !Number.isFinite(s)) return DEFAULT_INTERVAL_S;
  return Math.min(MAX_INTERVAL_S, Math.max(MIN_INTERVAL_S, s));
}

/**
 * A screen that says it plays but shows nothing: no frames at all, the item on
 * screen hidden, or its video not advancing, in that order (a page that paints
 * nothing cannot be judged on the rest).
 */
export function judgePainting(p: Omit<Painting, 'ok' | 'reason'>): Painting {
  const reason: PaintingReason | null =
    p.framesPresented === 0
      ? 'no-frames'
      : p.visible === false
        ? 'hidden'
        : p.videoAdvancing === false
          ? 'video-frozen'
          : null;
  return { ...p, ok: reason === null, reason };
}

/** Keeps the latest `MAX_ERRORS` errors, newest last, messages cut to `MAX_ERROR_LENGTH`. */
export function pushError(errors: readonly TelemetryError[], at: number, message: string): TelemetryError[] {
  const cut = message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH - 1)}…` : message;
  return [...errors, { at: new Date(at).toISOString(), message: cut }].slice(-MAX_ERRORS);
}

export interface HeartbeatFacts {
  player: string;
  name?: string | undefined;
  channel?: string | undefined;
  /** Trusted time, ms. */
  now: number;
  uptimeMs: number;
  state: PlayerStateName;
  manifest?: { version: number; issued: string } | undefined;
  item?: string | undefined;
  skewMs: number;
  cache?: { usage: number; quota: number } | undefined;
  painting: Painting;
  power: PowerState;
  errors: readonly TelemetryError[];
}

export function buildHeartbeat(f: HeartbeatFacts, plays?: PlaysBody): HeartbeatBody {
  const body: HeartbeatBody = {
    v: 1,
    player: f.player,
    ...(f.name ? { name: f.name } : {}),
    ...(f.channel ? { channel: f.channel } : {}),
    sentAt: new Date(f.now).toISOString(),
    uptimeS: Math.round(f.uptimeMs / 1000),
    state: f.state,
    manifest: f.manifest
      ? {
          version: f.manifest.version,
          ageS: Math.max(0, Math.round((f.now - Date.parse(f.manifest.issued)) / 1000)),
        }
      : null,
    item: f.item ?? null,
    clockSkewS: Math.round(f.skewMs / 1000),
    cache: f.cache ? { usedBytes: Math.round(f.cache.usage), quotaBytes: Math.round(f.cache.quota) } : null,
    painting: f.painting,
    power: f.power,
    errors: [...f.errors],
  };
  if (plays) body.plays = plays;
  return body;
}

/** The fields every server requires: what a screen still sends after its full heartbeat was refused. */
export type MinimalHeartbeat = Pick<HeartbeatBody, 'v' | 'player' | 'sentAt' | 'state' | 'plays'> & {
  channel?: string;
};

export function minimalHeartbeat(body: HeartbeatBody): MinimalHeartbeat {
  const { v, player, channel, sentAt, state } = body;
  return { v, player, ...(channel ? { channel } : {}), sentAt, state };
}

const POWER = new Set<string>(['ok', 'eco', 'crit']);

/** The server's answer, checked (an answer that is not the contract's is no answer: nothing is acked). */
export function parseHeartbeatAnswer(json: unknown): HeartbeatAnswer | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const a = json as Record<string, unknown>;
  if (a.ack !== undefined && a.ack !== null && typeof a.ack !== 'string') return undefined;
  const serverTime = typeof a.serverTime === 'string' ? Date.parse(a.serverTime) : NaN;
  return {
    ack: typeof a.ack === 'string' ? a.ack : null,
    intervalS: clampInterval(a.intervalS),
    power: typeof a.power === 'string' && POWER.has(a.power) ? (a.power as PowerState) : undefined,
    display: a.display === 'on' || a.display === 'off' ? a.display : undefined,
    serverTime: Number.isFinite(serverTime) ? serverTime : undefined,
  };
}
