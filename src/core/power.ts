/**
 * What the screen shows for the centre's power state and opening state (issue 7,
 * docs/telemetry.md "Power"). Pure: the player renders it, a test runs it in Node.
 *
 * - `crit`: only essential items, those with `priority: "urgent"` or `essential: true`
 *   (opening hours, say): the screen keeps saying what a citizen at the door needs.
 * - `eco` (and `crit`): a video with a poster is shown as that still image for the
 *   item's duration (no decoding), and the whole screen is dimmed.
 * - closed: what the schedule allows still plays (items with `when: "closed"`, and
 *   those with `when: "always"`), dimmed, exactly as the editor's timeline shows it;
 *   with nothing to play, the dark closed card (ccsp-closed) rather than the welcome
 *   card. Staff who want the card at night mark their items `when: "open"`. The
 *   screen itself is switched off outside opening hours where the box can
 *   (server/power-schedule.ts).
 */
import type { PowerState } from './sign/status.ts';

/** What these rules need of an item. */
export interface PowerItem {
  kind?: string;
  priority?: 'normal' | 'urgent' | undefined;
  essential?: boolean | undefined;
  poster?: unknown;
}

/** Items kept on critical power: urgent notices and items marked essential. */
export function isEssential(item: PowerItem): boolean {
  return item.priority === 'urgent' || item.essential === true;
}

export interface PowerPlan<I> {
  /** The items to play, in the order given. */
  items: I[];
  /** Videos that have a poster are shown as that still. */
  stills: boolean;
}

/** The eligible items on this power state, and whether videos play as stills. */
export function applyPower<I extends PowerItem>(eligible: readonly I[], power: PowerState): PowerPlan<I> {
  if (power === 'crit') return { items: eligible.filter(isEssential), stills: true };
  return { items: [...eligible], stills: power === 'eco' };
}

export interface ScreenPlan<I> extends PowerPlan<I> {
  /** Dim the whole screen: on saving power, and while the centre is closed. */
  dim: boolean;
  /** With nothing to play, the closed card rather than the welcome card. */
  closed: boolean;
}

/** Everything the player decides from the schedule tick and the power state. */
export function screenPlan<I extends PowerItem>(
  eligible: readonly I[],
  state: { open: boolean; power: PowerState },
): ScreenPlan<I> {
  const plan = applyPower(eligible, state.power);
  return { ...plan, dim: state.power !== 'ok' || !state.open, closed: !state.open };
}

/** Whether this item is shown as its poster: a video that has one, when stills are asked for. */
export function showsAsStill(item: PowerItem, stills: boolean): boolean {
  return stills && item.kind === 'video' && item.poster !== undefined;
}

/** Whether a value read from the network (/config.json, a heartbeat answer) is a power state. */
export function isPowerState(value: unknown): value is PowerState {
  return value === 'ok' || value === 'eco' || value === 'crit';
}
