/**
 * When the screen should be lit (issue 7, docs/telemetry.md "Power"): during the
 * opening hours, from a short lead before each opening, never on a closure day or
 * a public holiday; in the channel's time zone. Pure: the server's display
 * commands, the heartbeat answer and the player's closed card all ask here.
 */
import { compile, type SchedulableChannel } from './engine.ts';
import { MINUTE, mod } from './local-time.ts';

export type DisplayState = 'on' | 'off';

/**
 * The screen comes on this long before each opening: citizens queue at the door
 * before it opens, and the closed card then tells them when it does.
 */
export const DISPLAY_LEAD_MINUTES = 15;

export interface DisplayOptions {
  /** Minutes the screen is lit before each opening (default DISPLAY_LEAD_MINUTES). */
  leadMinutes?: number;
}

export interface DisplayChange {
  /** Instant of the change, ms since the epoch. */
  at: number;
  display: DisplayState;
}

/** The lit intervals [start, end) that touch the local days first…last, merged, in order. */
function litIntervals(
  channel: SchedulableChannel,
  firstDay: number,
  lastDay: number,
  lead: number,
): [number, number][] {
  const c = compile(channel);
  const raw: [number, number][] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    if (c.closedDays.has(day)) continue;
    const weekday = mod(day + 3, 7);
    for (const [open, close] of c.hours[weekday]!) {
      raw.push([c.clock.instant(day, open) - lead * MINUTE, c.clock.instant(day, close)]);
    }
  }
  raw.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [a, b] of raw) {
    const last = merged[merged.length - 1];
    // Windows closer together than the lead merge: no off–on flicker in a short break.
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

/** Whether the screen should be lit at the instant. */
export function displayAt(
  channel: SchedulableChannel,
  instant: Date | number,
  options: DisplayOptions = {},
): DisplayState {
  const t = +instant;
  const lead = options.leadMinutes ?? DISPLAY_LEAD_MINUTES;
  const day = compile(channel).clock.parts(t).day;
  // The day before too: a lead may start before midnight for a window opening at 00:00.
  return litIntervals(channel, day - 1, day + 1, lead).some(([a, b]) => t >= a && t < b) ? 'on' : 'off';
}

/**
 * The state at `from` and every change in (from, to), in order: what the server's
 * display scheduler sleeps between.
 */
export function displayPlan(
  channel: SchedulableChannel,
  from: Date | number,
  to: Date | number,
  options: DisplayOptions = {},
): { initial: DisplayState; changes: DisplayChange[] } {
  const start = +from;
  const end = +to;
  const lead = options.leadMinutes ?? DISPLAY_LEAD_MINUTES;
  const { clock } = compile(channel);
  const intervals = litIntervals(channel, clock.parts(start).day - 1, clock.parts(end).day + 1, lead);
  const changes: DisplayChange[] = [];
  for (const [a, b] of intervals) {
    if (a > start && a < end) changes.push({ at: a, display: 'on' });
    if (b > start && b < end) changes.push({ at: b, display: 'off' });
  }
  const initial = intervals.some(([a, b]) => start >= a && start < b) ? 'on' : 'off';
  return { initial, changes };
}

/** How far ahead the next opening is looked for: beyond it the centre is taken as closed for good. */
const OPENING_HORIZON_DAYS = 400;

/**
 * The instant the centre next opens after `instant` (the start of its next opening
 * window, closures and holidays skipped), or null when it has no opening hours.
 * While it is open, that is the next opening after the current window.
 */
export function nextOpening(channel: SchedulableChannel, instant: Date | number): number | null {
  const t = +instant;
  const c = compile(channel);
  const today = c.clock.parts(t).day;
  for (let day = today; day <= today + OPENING_HORIZON_DAYS; day++) {
    if (c.closedDays.has(day)) continue;
    const weekday = mod(day + 3, 7);
    for (const [open] of c.hours[weekday]!) {
      const at = c.clock.instant(day, open);
      if (at > t) return at;
    }
  }
  return null;
}
