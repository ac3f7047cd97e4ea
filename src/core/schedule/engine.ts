/**
 * The schedule engine: what may play at an instant, why the rest may not, and
 * when that next changes. Pure; evaluated in the channel's IANA time zone
 * whatever the zone of the machine (docs/schedule.md).
 */
import { beninHolidayDays } from './holidays-bj.ts';
import { clockMinutes, DAY, dayNumber, LocalClock, mod, type LocalParts } from './local-time.ts';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
const WEEKDAY_INDEX: Record<Weekday, number> = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 };

export interface ScheduleRules {
  from?: string | undefined;
  until?: string | undefined;
  days?: readonly Weekday[] | undefined;
  times?: readonly { start: string; end: string }[] | undefined;
  when?: 'always' | 'open' | 'closed' | undefined;
  every?: number | undefined;
  share?: number | undefined;
}

/** What the engine needs of an item: the manifest's items, a draft's, or a sign notice's. */
export interface SchedulableItem {
  id: string;
  priority?: 'normal' | 'urgent' | undefined;
  duration?: number | undefined;
  maxDuration?: number | undefined;
  schedule?: ScheduleRules | undefined;
}

export interface SchedulableChannel<I extends SchedulableItem = SchedulableItem> {
  timezone: string;
  hours: readonly { days: readonly Weekday[]; open: string; close: string }[];
  closures?: readonly { from: string; to?: string | undefined; reason: string }[] | undefined;
  publicHolidays?: { calendar: 'bj'; except?: readonly string[] | undefined } | undefined;
  items: readonly I[];
}

/** Why an item may not play now. */
export type ExclusionReason = 'not-yet' | 'ended' | 'closed' | 'open' | 'day' | 'time' | 'urgent';

export const EXCLUSION_MESSAGES: Record<ExclusionReason, { en: string; fr: string }> = {
  'not-yet': { en: 'not valid yet', fr: 'pas encore en vigueur' },
  ended: { en: 'past its validity', fr: 'hors période de validité' },
  closed: { en: 'the centre is closed', fr: 'centre fermé' },
  open: { en: 'plays only while the centre is closed', fr: 'seulement quand le centre est fermé' },
  day: { en: 'not scheduled on this day', fr: 'pas programmé ce jour' },
  time: { en: 'outside its time windows', fr: 'hors des heures de diffusion' },
  urgent: { en: 'an urgent notice is playing', fr: 'une annonce urgente passe' },
};

export interface Eligibility<I extends SchedulableItem = SchedulableItem> {
  /** Items that may play now, in manifest order. */
  eligible: I[];
  excluded: { item: I; reason: ExclusionReason }[];
  /** Whether the centre is open now (opening hours, closures, public holidays). */
  open: boolean;
}

/** An item's rules turned into numbers once per manifest. */
export interface CompiledItem<I extends SchedulableItem = SchedulableItem> {
  item: I;
  index: number;
  urgent: boolean;
  fromMs: number;
  untilMs: number;
  /** Bit d set when weekday d (0 = Monday) is allowed. */
  days: number;
  /** [start, end) in minutes; end > 1440 for a window that crosses midnight. */
  windows: [number, number][];
  when: 'always' | 'open' | 'closed';
  /** Seconds on screen: a video's natural length unless capped. */
  seconds: number;
  every?: number | undefined;
  share?: number | undefined;
}

export interface CompiledChannel<I extends SchedulableItem = SchedulableItem> {
  clock: LocalClock;
  /** Opening windows per weekday (0 = Monday), in minutes. */
  hours: [number, number][][];
  /** Local days on which the centre is closed all day, with the reason. */
  closedDays: Map<number, string>;
  items: CompiledItem<I>[];
  /** Position of each item in the manifest. */
  indexOf: Map<I, number>;
  /** Minutes of the day at which something may change (midnight, windows, hours). */
  dailyMinutes: number[];
  /** For each such minute, the items with a window starting or ending then. */
  byMinute: Map<number, number[]>;
  /** Items whose eligibility depends on the centre being open or closed. */
  openDependent: number[];
  /** Items with an `every` or `share` rule (few), for the planner. */
  frequent: CompiledItem<I>[];
  /** Instants at which something changes once: validity bounds, closure days. */
  absolute: number[];
}

const ALL_DAYS = 0b1111111;
const cache = new WeakMap<object, CompiledChannel<SchedulableItem>>();

/** Compiles the channel's rules; cached per manifest object. */
export function compile<I extends SchedulableItem>(channel: SchedulableChannel<I>): CompiledChannel<I> {
  const hit = cache.get(channel);
  if (hit) return hit as unknown as CompiledChannel<I>;
  const clock = new LocalClock(channel.timezone);
  const localInstant = (value: string, endOfDay: boolean) =>
    value.length === 10
      ? clock.instant(dayNumber(value) + (endOfDay ? 1 : 0), 0)
      : clock.instant(dayNumber(value.slice(0, 10)), clockMinutes(value.slice(11, 16)));

  const hours: [number, number][][] = [[], [], [], [], [], [], []];
  for (const h of channel.hours) {
    for (const d of h.days) hours[WEEKDAY_INDEX[d]]!.push([clockMinutes(h.open), clockMinutes(h.close)]);
  }
  hours.forEach((w) => w.sort((a, b) => a[0] - b[0]));

  const closedDays = new Map<number, string>();
  if (channel.publicHolidays?.calendar === 'bj') {
    const except = new Set((channel.publicHolidays.except ?? []).map(dayNumber));
    for (const [day, h] of beninHolidayDays()) if (!except.has(day)) closedDays.set(day, h.name);
  }
  for (const c of channel.closures ?? []) {
    const last = dayNumber(c.to ?? c.from);
    for (let d = dayNumber(c.from); d <= last; d++) closedDays.set(d, c.reason);
  }

  const items = channel.items.map((item, index): CompiledItem<I> => {
    const s = item.schedule ?? {};
    const days = s.days ? s.days.reduce((mask, d) => mask | (1 << WEEKDAY_INDEX[d]), 0) : ALL_DAYS;
    const windows = (s.times ?? []).map(({ start, end }): [number, number] => {
      const a = clockMinutes(start);
      const b = clockMinutes(end);
      return [a, b > a ? b : b + 1440];
    });
    return {
      item,
      index,
      urgent: item.priority === 'urgent',
      fromMs: s.from ? localInstant(s.from, false) : -Infinity,
      untilMs: s.until ? localInstant(s.until, true) : Infinity,
      days,
      windows,
      when: s.when ?? 'always',
      seconds: Math.min(item.duration ?? 0, item.maxDuration ?? Infinity),
      every: s.every,
      share: s.share,
    };
  });

  const minutes = new Set<number>([0]);
  for (const day of hours) for (const [a, b] of day) minutes.add(a).add(b % 1440);
  for (const it of items) for (const [a, b] of it.windows) minutes.add(a).add(b % 1440);
  const byMinute = new Map<number, number[]>();
  for (const it of items) {
    for (const m of new Set(it.windows.flatMap(([a, b]) => [a, b % 1440]))) {
      byMinute.set(m, [...(byMinute.get(m) ?? []), it.index]);
    }
  }
  const absolute = new Set<number>();
  for (const it of items) {
    if (Number.isFinite(it.fromMs)) absolute.add(it.fromMs);
    if (Number.isFinite(it.untilMs)) absolute.add(it.untilMs);
  }
  for (const day of closedDays.keys()) absolute.add(clock.instant(day, 0)).add(clock.instant(day + 1, 0));

  const compiled: CompiledChannel<I> = {
    clock,
    hours,
    closedDays,
    items,
    indexOf: new Map(channel.items.map((item, i) => [item, i])),
    dailyMinutes: [...minutes].sort((a, b) => a - b),
    byMinute,
    openDependent: items.filter((it) => it.when !== 'always').map((it) => it.index),
    frequent: items.filter((it) => it.every !== undefined || it.share !== undefined),
    absolute: [...absolute].sort((a, b) => a - b),
  };
  cache.set(channel, compiled as unknown as CompiledChannel<SchedulableItem>);
  return compiled;
}

function openAt(c: CompiledChannel<SchedulableItem>, p: LocalParts): boolean {
  if (c.closedDays.has(p.day)) return false;
  return c.hours[p.weekday]!.some(([a, b]) => p.minute >= a && p.minute < b);
}

/** Whether an item's days and windows allow the local time (ignoring validity and hours). */
function inWindows(it: CompiledItem, p: LocalParts): 'day' | 'time' | undefined {
  if (it.windows.length === 0) return it.days & (1 << p.weekday) ? undefined : 'day';
  const yesterday = mod(p.weekday - 1, 7);
  for (const [a, b] of it.windows) {
    // A window belongs to the day it starts on; past midnight it runs on into the next.
    if (it.days & (1 << p.weekday) && p.minute >= a && p.minute < b) return undefined;
    if (b > 1440 && it.days & (1 << yesterday) && p.minute < b - 1440) return undefined;
  }
  return it.days & (1 << p.weekday) || it.windows.some(([, b]) => b > 1440 && it.days & (1 << yesterday))
    ? 'time'
    : 'day';
}

function reasonFor(
  c: CompiledChannel<SchedulableItem>,
  it: CompiledItem,
  ms: number,
  p: LocalParts,
  open: boolean,
) {
  if (ms < it.fromMs) return 'not-yet';
  if (ms >= it.untilMs) return 'ended';
  if (it.when === 'open' && !open) return 'closed';
  if (it.when === 'closed' && open) return 'open';
  return inWindows(it, p);
}

/** The items that may play at the instant, and why the others may not. */
export function eligibleAt<I extends SchedulableItem>(
  channel: SchedulableChannel<I>,
  instant: Date | number,
): Eligibility<I> {
  const c = compile(channel);
  const ms = +instant;
  const p = c.clock.parts(ms);
  const open = openAt(c as unknown as CompiledChannel<SchedulableItem>, p);
  const passing: CompiledItem<I>[] = [];
  const excluded: { item: I; reason: ExclusionReason }[] = [];
  for (const it of c.items) {
    const reason = reasonFor(
      c as unknown as CompiledChannel<SchedulableItem>,
      it as CompiledItem,
      ms,
      p,
      open,
    );
    if (reason) excluded.push({ item: it.item, reason });
    else passing.push(it);
  }
  // Urgent items interrupt and replace the loop while they are active.
  if (passing.some((it) => it.urgent)) {
    for (const it of passing) if (!it.urgent) excluded.push({ item: it.item, reason: 'urgent' });
    excluded.sort((a, b) => c.indexOf.get(a.item)! - c.indexOf.get(b.item)!);
    return { eligible: passing.filter((it) => it.urgent).map((it) => it.item), excluded, open };
  }
  return { eligible: passing.map((it) => it.item), excluded, open };
}

/**
 * Whether item `index` may play at some instant in [from, to), on its own rules
 * (urgent items of others aside). Checks every instant at which its state can change.
 */
export function canEverPlay(channel: SchedulableChannel, index: number, from: number, to: number): boolean {
  const c = compile(channel);
  const it = c.items[index];
  if (!it) return false;
  const cc = c as unknown as CompiledChannel<SchedulableItem>;
  const check = (t: number) => {
    const p = c.clock.parts(t);
    return reasonFor(cc, it as CompiledItem, t, p, openAt(cc, p)) === undefined;
  };
  const start = Math.max(from, it.fromMs);
  const stop = Math.min(to, it.untilMs);
  if (start >= stop) return false;
  if (check(start)) return true;
  const first = c.clock.parts(start).day;
  const last = c.clock.parts(stop).day;
  for (let d = first; d <= last; d++) {
    for (const m of c.dailyMinutes) {
      const t = c.clock.instant(d, m);
      if (t > start && t < stop && check(t)) return true;
    }
  }
  return c.absolute.some((t) => t > start && t < stop && check(t));
}

export interface ChangeState<I> {
  eligible: I[];
  open: boolean;
  /** Whether urgent items are playing (they are then the only ones eligible). */
  urgent: boolean;
  /** 1 at the manifest index of each eligible item. */
  members: Uint8Array;
  /** 1 for each item its own rules allow, before urgent items take over. */
  passing: Uint8Array;
}

/** The state from the items its rules allow: urgent ones, when any, replace the loop. */
function stateFrom<I extends SchedulableItem>(
  c: CompiledChannel<I>,
  passing: Uint8Array,
  open: boolean,
): ChangeState<I> {
  let urgent = false;
  for (const it of c.items) if (passing[it.index] && it.urgent) urgent = true;
  const members = new Uint8Array(passing.length);
  const eligible: I[] = [];
  for (const it of c.items) {
    if (!passing[it.index] || (urgent && !it.urgent)) continue;
    members[it.index] = 1;
    eligible.push(it.item);
  }
  eligibleMembers.set(eligible, members);
  return { eligible, open, urgent, members, passing };
}

/** The membership mask of each eligible list the change walker hands out (for the planner). */
export const eligibleMembers = new WeakMap<readonly SchedulableItem[], Uint8Array>();

/** eligibleAt without the reasons: what the change detection compares. */
function stateAt<I extends SchedulableItem>(c: CompiledChannel<I>, ms: number): ChangeState<I> {
  const cc = c as unknown as CompiledChannel<SchedulableItem>;
  const p = c.clock.parts(ms);
  const open = openAt(cc, p);
  const passing = new Uint8Array(c.items.length);
  for (const it of c.items)
    if (reasonFor(cc, it as CompiledItem, ms, p, open) === undefined) passing[it.index] = 1;
  return stateFrom(c, passing, open);
}

/**
 * The state at `ms` from the one before, re-evaluating only the items that can
 * change at that minute (their window edges, and the open-dependent ones when the
 * centre opens or closes). Returns `prev` itself when nothing moved.
 */
function stateAfter<I extends SchedulableItem>(
  c: CompiledChannel<I>,
  prev: ChangeState<I>,
  ms: number,
  minute: number,
): ChangeState<I> {
  const cc = c as unknown as CompiledChannel<SchedulableItem>;
  const p = c.clock.parts(ms);
  const open = openAt(cc, p);
  const affected = c.byMinute.get(minute) ?? [];
  const all = open === prev.open ? affected : affected.concat(c.openDependent);
  let passing = prev.passing;
  for (const index of all) {
    const ok = reasonFor(cc, c.items[index] as CompiledItem, ms, p, open) === undefined ? 1 : 0;
    if (ok === passing[index]) continue;
    if (passing === prev.passing) passing = passing.slice();
    passing[index] = ok;
  }
  return passing === prev.passing && open === prev.open ? prev : stateFrom(c, passing, open);
}

function sameState<I>(a: ChangeState<I>, b: ChangeState<I>): boolean {
  if (a.open !== b.open || a.eligible.length !== b.eligible.length) return false;
  const x = a.members;
  const y = b.members;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** How far ahead the weekly pattern is scanned; absolute events beyond it are still found. */
const HORIZON_DAYS = 8;

/**
 * Walks forward through the instants at which the eligible set or the open state
 * changes, evaluating each candidate instant once: for timelines and nextChange.
 */
export class ChangeWalker<I extends SchedulableItem> {
  private readonly c: CompiledChannel<I>;
  private day: number;
  private minuteIndex = 0;
  private absoluteIndex: number;
  private state: ChangeState<I>;
  /** What the last candidate was: a minute of the day, or an absolute event (-1). */
  private candidateMinute = -1;
  /** Days scanned in a row without a change, for the "never changes again" rule. */
  private quietSince: number;

  constructor(
    channel: SchedulableChannel<I>,
    private at: number,
  ) {
    this.c = compile(channel);
    this.day = this.c.clock.parts(at).day;
    this.quietSince = this.day;
    this.absoluteIndex = this.c.absolute.findIndex((t) => t > at);
    if (this.absoluteIndex < 0) this.absoluteIndex = this.c.absolute.length;
    this.state = stateAt(this.c, at);
  }

  get current(): ChangeState<I> {
    return this.state;
  }

  /** The next candidate instant after the walker's position, in order. */
  private nextCandidate(): number | undefined {
    const { c } = this;
    for (;;) {
      const minute = c.dailyMinutes[this.minuteIndex];
      const periodic = minute === undefined ? Infinity : c.clock.instant(this.day, minute);
      const absolute = c.absolute[this.absoluteIndex] ?? Infinity;
      if (minute === undefined) {
        this.day++;
        this.minuteIndex = 0;
        // Past a week with no change, only the absolute events can change anything.
        if (this.day - this.quietSince > HORIZON_DAYS) {
          if (absolute === Infinity) return undefined;
          this.day = c.clock.parts(absolute).day;
          this.quietSince = this.day;
        }
        continue;
      }
      const t = Math.min(periodic, absolute);
      this.candidateMinute = t === absolute ? -1 : minute;
      if (t === absolute) {
        this.absoluteIndex++;
        // After an absolute event the week may look different: scan a full week again.
        this.quietSince = this.day;
      }
      if (t === periodic) this.minuteIndex++;
      if (t > this.at) return t;
    }
  }

  /** Moves to the next change and returns its instant and state, or undefined if none. */
  next(): { at: number; state: ChangeState<I> } | undefined {
    for (;;) {
      const t = this.nextCandidate();
      if (t === undefined) return undefined;
      this.at = t;
      // Incremental except at midnight (days change), at absolute events (validity,
      // closures) and near a daylight-saving jump, where local minutes shift.
      const m = this.candidateMinute;
      const { clock } = this.c;
      const steady = m > 0 && clock.offset(t - DAY / 2) === clock.offset(t + DAY / 2);
      const state = steady ? stateAfter(this.c, this.state, t, m) : stateAt(this.c, t);
      if (state !== this.state && !sameState(state, this.state)) {
        this.state = state;
        this.quietSince = this.c.clock.parts(t).day;
        return { at: t, state: this.state };
      }
    }
  }
}

/**
 * The next instant after `instant` at which the eligible set or the open/closed
 * state changes, or null if it never will. Every instant where the rules can
 * change is checked in order, so the answer is never later than the real change.
 */
export function nextChange(channel: SchedulableChannel, instant: Date | number): Date | null {
  const next = new ChangeWalker(channel, +instant).next();
  return next ? new Date(next.at) : null;
}

export { DAY };
