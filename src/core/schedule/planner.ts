/**
 * Which eligible item plays next: the one policy behind both the live player and
 * the editor's timeline, so that the preview shows what the screen will do.
 *
 * - Urgent items: when any is eligible the engine makes only urgent items eligible;
 *   they take turns and repeat until they end.
 * - `every` N minutes: an item not shown for N minutes (or not yet) goes first, the
 *   most overdue of them first. It leaves the round, so it comes back every N
 *   minutes and the round keeps its order.
 * - `share`: an item kept to a share of the airtime; it plays when it is owed time
 *   (share × airtime so far − its own airtime > 0), and is not in the round.
 * - Everything else takes turns in manifest order.
 *
 * The state is small (a cursor, and the times of `every`/`share` items only) and
 * each function returns a new one: the reducers that call it stay pure.
 */
import {
  compile,
  ChangeWalker,
  eligibleMembers,
  type CompiledItem,
  type SchedulableChannel,
  type SchedulableItem,
} from './engine.ts';

export interface PlannerState {
  /** Manifest index of the last item played in the round, -1 before the first. */
  cursor: number;
  /** Last start (ms) of each `every` item shown so far. */
  lastShown: Readonly<Record<string, number>>;
  /** Seconds on screen of each `share` item, and of everything together. */
  airtime: Readonly<Record<string, number>>;
  total: number;
  /** When the first item was played (ms): an `every` item not yet shown falls due N minutes after. */
  since?: number | undefined;
}

export const initialPlannerState: PlannerState = { cursor: -1, lastShown: {}, airtime: {}, total: 0 };

interface EligiblePlan<I extends SchedulableItem> {
  every: CompiledItem<I>[];
  share: CompiledItem<I>[];
  /** 1 at the manifest index of each eligible item that takes turns. */
  round: Uint8Array;
  roundCount: number;
}

/** Built once per eligible list: the engine hands out the same array until the next change. */
const plans = new WeakMap<readonly SchedulableItem[], EligiblePlan<SchedulableItem>>();

/** Whether an item takes turns in the round (urgent items, and items without every/share). */
const inRound = (it: CompiledItem) => it.urgent || (it.share === undefined && it.every === undefined);

function planOf<I extends SchedulableItem>(
  channel: SchedulableChannel<I>,
  eligible: readonly I[],
): EligiblePlan<I> {
  const hit = plans.get(eligible);
  if (hit) return hit as unknown as EligiblePlan<I>;
  const compiled = compile(channel);
  const every: CompiledItem<I>[] = [];
  const share: CompiledItem<I>[] = [];
  // From the change walker the membership mask comes with the list; else build it.
  let members = eligibleMembers.get(eligible);
  if (!members) {
    members = new Uint8Array(compiled.items.length);
    for (const item of eligible) members[compiled.indexOf.get(item)!] = 1;
  }
  const round = new Uint8Array(compiled.items.length);
  let roundCount = 0;
  // Only the few every/share items need a look; the round is the mask minus them.
  for (const it of compiled.frequent) {
    if (!members[it.index] || it.urgent) continue;
    if (it.every !== undefined) every.push(it);
    if (it.share !== undefined) share.push(it);
  }
  for (let i = 0; i < members.length; i++) {
    if (members[i] && inRound(compiled.items[i] as CompiledItem)) {
      round[i] = 1;
      roundCount++;
    }
  }
  const plan: EligiblePlan<I> = { every, share, round, roundCount };
  plans.set(eligible, plan as unknown as EligiblePlan<SchedulableItem>);
  return plan;
}

/** The next item to play among `eligible` (as eligibleAt returns them) at `now` (ms). */
export function pickNext<I extends SchedulableItem>(
  channel: SchedulableChannel<I>,
  state: PlannerState,
  eligible: readonly I[],
  now: number,
): I | undefined {
  if (eligible.length === 0) return undefined;
  const plan = planOf(channel, eligible);

  let due: CompiledItem<I> | undefined;
  let dueBy = 0;
  for (const it of plan.every) {
    const last = state.lastShown[it.item.id];
    // Not shown yet: due N minutes after playing began, so a screen that starts opens
    // with its loop (the welcome first), not with every `every` item at once.
    const overdue = now - (last ?? state.since ?? now) - it.every! * 60_000;
    if (overdue >= 0 && (due === undefined || overdue > dueBy)) {
      due = it;
      dueBy = overdue;
    }
  }
  if (due) return due.item;

  let owed: CompiledItem<I> | undefined;
  let owedBy = -Infinity;
  for (const it of plan.share) {
    const by = it.share! * state.total - (state.airtime[it.item.id] ?? 0);
    if (by > owedBy) {
      owed = it;
      owedBy = by;
    }
  }
  if (owed && owedBy > 0) return owed.item;

  if (plan.roundCount === 0) {
    // Nothing takes turns: the share item most owed, else the `every` item due soonest.
    if (owed) return owed.item;
    let soonest: CompiledItem<I> | undefined;
    for (const it of plan.every) {
      const dueAt = (state.lastShown[it.item.id] ?? -Infinity) + it.every! * 60_000;
      if (!soonest || dueAt < (state.lastShown[soonest.item.id] ?? -Infinity) + soonest.every! * 60_000)
        soonest = it;
    }
    return soonest?.item;
  }
  // The first item after the cursor in manifest order, else wrap around.
  const { round } = plan;
  const items = compile(channel).items;
  for (let i = state.cursor + 1; i < round.length; i++) if (round[i]) return items[i]!.item;
  for (let i = 0; i <= state.cursor && i < round.length; i++) if (round[i]) return items[i]!.item;
  return undefined;
}

/** The state after `item` was on screen from `start` to `end` (ms). */
export function recordPlay<I extends SchedulableItem>(
  channel: SchedulableChannel<I>,
  state: PlannerState,
  item: I,
  start: number,
  end: number,
): PlannerState {
  const compiled = compile(channel);
  const it = compiled.items[compiled.indexOf.get(item) ?? -1];
  if (!it) return state;
  const seconds = (end - start) / 1000;
  return {
    cursor: it.urgent || (it.share === undefined && it.every === undefined) ? it.index : state.cursor,
    lastShown: it.every === undefined ? state.lastShown : { ...state.lastShown, [item.id]: start },
    airtime:
      it.share === undefined
        ? state.airtime
        : { ...state.airtime, [item.id]: (state.airtime[item.id] ?? 0) + seconds },
    total: state.total + seconds,
    since: state.since ?? start,
  };
}

type Mutable<T> = {
  -readonly [K in keyof T]: T[K] extends Readonly<Record<string, number>> ? Record<string, number> : T[K];
};

/** recordPlay for the timeline's private state: the same rules, without a new object. */
function recordPlayInPlace<I extends SchedulableItem>(
  state: Mutable<PlannerState>,
  it: CompiledItem<I>,
  start: number,
  end: number,
): void {
  const seconds = (end - start) / 1000;
  if (it.urgent || (it.share === undefined && it.every === undefined)) state.cursor = it.index;
  if (it.every !== undefined) state.lastShown[it.item.id] = start;
  if (it.share !== undefined) state.airtime[it.item.id] = (state.airtime[it.item.id] ?? 0) + seconds;
  state.total += seconds;
  state.since ??= start;
}

export interface TimelineEntry<I extends SchedulableItem = SchedulableItem> {
  /** Undefined while nothing may play (the screen shows its welcome or closed card). */
  item: I | undefined;
  /** Milliseconds since the epoch (numbers: a week of a busy channel is tens of thousands of entries). */
  start: number;
  end: number;
  /** Whether the centre is open during this entry. */
  open: boolean;
}

/**
 * What will play from `from` to `to`: for the editor's preview and for fetching
 * media in the order it will be needed. An item is cut short when it stops being
 * eligible or an urgent item starts, as on the screen.
 */
export function timeline<I extends SchedulableItem>(
  channel: SchedulableChannel<I>,
  from: Date | number,
  to: Date | number,
  state: PlannerState = initialPlannerState,
): TimelineEntry<I>[] {
  const compiled = compile(channel);
  const end = +to;
  const out: TimelineEntry<I>[] = [];
  const walker = new ChangeWalker(channel, +from);
  // The state in force from `at` until the change after it.
  let current = { at: +from, state: walker.current };
  let upcoming = walker.next();
  const advance = () => {
    current = upcoming!;
    upcoming = walker.next();
  };
  // A private copy updated in place: tens of thousands of entries, one state each,
  // would otherwise be garbage (the caller's state is not touched).
  const mine: Mutable<PlannerState> = {
    ...state,
    lastShown: { ...state.lastShown },
    airtime: { ...state.airtime },
  };
  let t = +from;
  while (t < end) {
    while (upcoming && upcoming.at <= t) advance();
    const { eligible, open } = current.state;
    const change = upcoming?.at ?? Infinity;
    const item = pickNext(channel, mine, eligible, t);
    if (!item) {
      const stop = Math.min(change, end);
      out.push({ item: undefined, start: t, end: stop, open });
      t = stop;
      continue;
    }
    const picked = compiled.items[compiled.indexOf.get(item)!]!;
    let stop = Math.min(t + Math.max(picked.seconds, 1) * 1000, end);
    // Cut at the first change that removes the item or brings an urgent one.
    while (upcoming && upcoming.at < stop) {
      const later = upcoming.state;
      if (!later.members[picked.index] || (!picked.urgent && later.urgent)) {
        stop = upcoming.at;
        break;
      }
      advance();
    }
    out.push({ item, start: t, end: stop, open });
    recordPlayInPlace(mine, picked, t, stop);
    t = stop;
  }
  return out;
}
