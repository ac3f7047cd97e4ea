/**
 * What the fleet view says about a screen (docs/editor-api.md "Fleet"): pure, from
 * its latest heartbeat, when it was last heard of, and the channel's opening hours.
 *
 * A screen is `down` after three missed heartbeats counted during opening hours
 * only (docs/telemetry.md "Down, and opening hours"): silence at night or on a
 * closure day is `closed`, not an alarm. Open time is measured with core's
 * schedule engine in the channel's time zone, whatever the server's zone.
 */
import { ChangeWalker, eligibleAt, type SchedulableChannel } from '../../core/index.ts';
import type { ScreenStatus } from './schema.ts';

export type ScreenState = 'ok' | 'not-painting' | 'stale' | 'no-content' | 'down' | 'closed';

/** Heartbeats missed (in open time) before a screen is down. */
export const MISSED_FOR_DOWN = 3;

export interface ScreenStateInput {
  /** Its latest heartbeat. */
  status: ScreenStatus;
  /** When it was last heard of (for a forwarded screen, when its box heard it). */
  lastSeen: number;
  /** The heartbeat interval it was asked for, in seconds. */
  intervalS: number;
  /** The channel's published manifest, for its opening hours; without one every hour counts. */
  channel: SchedulableChannel | undefined;
  now: number;
  /**
   * A screen behind a centre's box: when the box last reached this server and how
   * often it promised to (its keep-alive). A box that goes silent takes its screens down.
   */
  relay?: { lastContact: number; everyS: number } | undefined;
}

/**
 * Milliseconds during which the centre was open in [from, to), stopping early once
 * `enough` is reached (a screen silent for weeks costs no more than one silent for minutes).
 */
export function openMs(
  channel: SchedulableChannel | undefined,
  from: number,
  to: number,
  enough = Infinity,
): number {
  if (to <= from) return 0;
  if (!channel) return Math.min(to - from, enough);
  const walker = new ChangeWalker(channel, from);
  let open = walker.current.open;
  let at = from;
  let total = 0;
  while (at < to && total < enough) {
    // The walker stops at every change of the eligible items too; only open/closed matters here.
    const change = walker.next();
    const until = Math.min(change?.at ?? Infinity, to);
    if (open) total += until - at;
    at = until;
    if (!change) break;
    open = change.state.open;
  }
  return Math.min(total, enough);
}

/** Whether the centre has been open for `missed` intervals since `since`. */
function silentTooLong(channel: SchedulableChannel | undefined, since: number, now: number, everyS: number) {
  const limit = MISSED_FOR_DOWN * everyS * 1000;
  // Open time is at most wall time: no need to walk the schedule for a recent heartbeat.
  if (now - since < limit) return false;
  return openMs(channel, since, now, limit) >= limit;
}

export function screenState(input: ScreenStateInput): ScreenState {
  const { status, lastSeen, intervalS, channel, now, relay } = input;
  // Behind a box, what is known of the screen stops at the box's last contact.
  const known = relay ? Math.max(lastSeen, relay.lastContact) : now;
  if (silentTooLong(channel, lastSeen, known, intervalS)) return 'down';
  if (relay && silentTooLong(channel, relay.lastContact, now, relay.everyS)) return 'down';
  // Silent, but only while closed: not an alarm.
  const missed = known - lastSeen >= MISSED_FOR_DOWN * intervalS * 1000;
  const relayMissed = relay !== undefined && now - relay.lastContact >= MISSED_FOR_DOWN * relay.everyS * 1000;
  if (missed || relayMissed) return 'closed';
  if (status.painting && !status.painting.ok) return 'not-painting';
  if (status.state === 'no-content') return 'no-content';
  if (status.state === 'stale') return 'stale';
  return 'ok';
}

/** Whether the centre is open at the instant (no manifest: assumed open). */
export function isOpen(channel: SchedulableChannel | undefined, at: number): boolean {
  return channel ? eligibleAt(channel, at).open : true;
}
