/**
 * The playback sequence of a screen: which item is on screen, which one comes
 * next (so that the player can prepare it underneath), when it started and for
 * how long it plays. Issue 3, "The playback sequence is a core model".
 *
 * Two layers, as in STYLE.md "Streams and state":
 * - `reduceSequence(state, event)` is a pure function, tested without streams;
 * - `SequenceModel` wires it to rxjs: the list of eligible items comes in as an
 *   Observable (today every item of the manifest; later the schedule engine),
 *   the end of each item is a timer on the model's scheduler (virtual time in
 *   tests), failures come from the player through `itemFailed()`.
 *
 * Times are milliseconds on the scheduler's clock (`scheduler.now()`), never the
 * wall clock: the model only needs durations, and a test runs a day in virtual time.
 */
import {
  asyncScheduler,
  BehaviorSubject,
  catchError,
  distinctUntilChanged,
  EMPTY,
  map,
  merge,
  Observable,
  shareReplay,
  Subject,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import type { Item } from './manifest-schema.ts';
import type { SchedulableChannel } from './schedule/engine.ts';
import { initialPlannerState, pickNext, recordPlay, type PlannerState } from './schedule/planner.ts';

/** Effective duration of an item in milliseconds: a video plays min(duration, maxDuration). */
export function itemDurationMs(item: Item): number {
  const seconds =
    item.kind === 'video' ? Math.min(item.duration, item.maxDuration ?? Infinity) : item.duration;
  return seconds * 1000;
}

export interface SequenceOptions {
  /** Failures in a row after which an item is set aside. */
  maxFailures: number;
  /** How long an item that keeps failing is set aside, in milliseconds of the model's clock. */
  setAsideMs: number;
  /** Duration of an item in milliseconds (tests and benchmarks shorten it). */
  durationOf: (item: Item) => number;
  /**
   * The channel whose schedule rules choose the next item (`every`, `share`), with
   * the same policy as the editor's timeline (schedule/planner.ts). Without it,
   * items take turns in list order.
   */
  channel?: SchedulableChannel<Item> | undefined;
}

export const DEFAULT_SEQUENCE_OPTIONS: SequenceOptions = {
  maxFailures: 3,
  setAsideMs: 10 * 60_000,
  durationOf: itemDurationMs,
};

/** One showing of one item. `play` grows by one for every showing, so A → A is two plays. */
export interface Play {
  play: number;
  item: Item;
  /** Model time at which it started, in milliseconds. */
  startedAt: number;
  /** Effective duration in milliseconds. */
  duration: number;
}

export interface FailureRecord {
  /** Failures since the item last played through (or was last set aside). */
  count: number;
  /** Model time until which the item is not played; absent when it is not set aside. */
  setAsideUntil?: number;
}

export interface SequenceState {
  /** The items eligible now, in loop order. */
  items: readonly Item[];
  /** What is on screen; undefined when nothing is playable (the welcome card). */
  current: Play | undefined;
  /** Index in `items` of the current item, to continue the loop after it. */
  index: number;
  /** The item to prepare underneath, if any (may be the current item again, as a new play). */
  next: Item | undefined;
  failures: Readonly<Record<string, FailureRecord>>;
  /** Items that failed to prepare: passed over once at the next advance. */
  skipOnce: readonly string[];
  /** The last `play` number given out. */
  plays: number;
  /** The turn-taking state of the schedule planner (used with `options.channel`). */
  planner: PlannerState;
}

export type SequenceEvent =
  | { type: 'items'; items: readonly Item[]; at: number }
  /** The current play's time is up; `play` guards against a late timer of an earlier play. */
  | { type: 'ended'; play: number; at: number }
  /** The player could not show (or prepare) an item. */
  | { type: 'item-failed'; id: string; at: number }
  /** Time passes: a set-aside item may be playable again. */
  | { type: 'tick'; at: number }
  /** Show this item now (editor preview, tests), then continue the loop after it. */
  | { type: 'jump'; id: string; at: number };

export const INITIAL_SEQUENCE_STATE: SequenceState = {
  items: [],
  current: undefined,
  index: -1,
  next: undefined,
  failures: {},
  skipOnce: [],
  plays: 0,
  planner: initialPlannerState,
};

function playable(state: SequenceState, item: Item, at: number): boolean {
  const until = state.failures[item.id]?.setAsideUntil;
  return until === undefined || at >= until;
}

/**
 * The first playable item after `from` (exclusive), wrapping around and ending
 * with `from` itself, so that a single-item list loops on its item. With a
 * channel, the schedule planner chooses among the playable items instead.
 */
function pick(
  state: SequenceState,
  from: number,
  at: number,
  skip: readonly string[],
  options: SequenceOptions,
): { index: number; item: Item } | undefined {
  const n = state.items.length;
  if (options.channel) {
    const candidates = state.items.filter((item) => playable(state, item, at) && !skip.includes(item.id));
    const item = pickNext(options.channel, state.planner, candidates, at);
    return item ? { index: state.items.indexOf(item), item } : undefined;
  }
  for (let step = 1; step <= n; step++) {
    const index = (((from + step) % n) + n) % n;
    const item = state.items[index]!;
    if (playable(state, item, at) && !skip.includes(item.id)) return { index, item };
  }
  return undefined;
}

/** Recomputes `next`: what would play if the current item ended now. */
function withNext(state: SequenceState, at: number, options: SequenceOptions): SequenceState {
  const found = state.current ? pick(state, state.index, at, state.skipOnce, options) : undefined;
  const next = found?.item;
  return next === state.next ? state : { ...state, next };
}

/**
 * Starts the first playable item after `from`, or goes idle (welcome card) when
 * there is none. Skip-once marks are spent here: the loop has passed over them.
 * When only skip-once items are left, they are tried again rather than going idle.
 */
function advance(state: SequenceState, from: number, at: number, options: SequenceOptions): SequenceState {
  const found = pick(state, from, at, state.skipOnce, options) ?? pick(state, from, at, [], options);
  const cleared: SequenceState = { ...state, skipOnce: [] };
  if (!found) return { ...cleared, current: undefined, index: -1, next: undefined };
  return start(cleared, found.index, found.item, at, options);
}

function start(
  state: SequenceState,
  index: number,
  item: Item,
  at: number,
  options: SequenceOptions,
): SequenceState {
  const play = state.plays + 1;
  const current: Play = { play, item, startedAt: at, duration: Math.max(0, options.durationOf(item)) };
  const planner = options.channel
    ? recordPlay(options.channel, state.planner, item, at, at + current.duration)
    : state.planner;
  return withNext({ ...state, current, index, plays: play, planner }, at, options);
}

export function reduceSequence(
  state: SequenceState,
  event: SequenceEvent,
  options: SequenceOptions = DEFAULT_SEQUENCE_OPTIONS,
): SequenceState {
  switch (event.type) {
    case 'items': {
      const items = event.items;
      const ids = new Set(items.map((i) => i.id));
      const failures = Object.fromEntries(Object.entries(state.failures).filter(([id]) => ids.has(id)));
      const skipOnce = state.skipOnce.filter((id) => ids.has(id));
      const updated: SequenceState = { ...state, items, failures, skipOnce };
      const current = state.current;
      if (!current) return advance({ ...updated, index: -1 }, -1, event.at, options);
      const index = items.findIndex((i) => i.id === current.item.id);
      // The current item left the list: move on at once, from where it was.
      if (index < 0) return advance(updated, state.index - 1, event.at, options);
      // Still eligible: it finishes, and the loop continues in the new list. A
      // changed item (same id, new content) keeps playing as it started.
      return withNext({ ...updated, index }, event.at, options);
    }
    case 'ended': {
      if (state.current?.play !== event.play) return state;
      const failures = { ...state.failures };
      delete failures[state.current.item.id];
      return advance({ ...state, failures }, state.index, event.at, options);
    }
    case 'item-failed': {
      const item = state.items.find((i) => i.id === event.id);
      if (!item) return state;
      const before = state.failures[event.id]?.count ?? 0;
      const count = before + 1;
      const record: FailureRecord =
        count >= options.maxFailures ? { count: 0, setAsideUntil: event.at + options.setAsideMs } : { count };
      const failed = { ...state, failures: { ...state.failures, [event.id]: record } };
      if (state.current?.item.id === event.id) return advance(failed, state.index, event.at, options);
      // It failed while being prepared: pass over it once, unless it is set aside anyway.
      const skipOnce =
        record.setAsideUntil === undefined && !state.skipOnce.includes(event.id)
          ? [...state.skipOnce, event.id]
          : state.skipOnce;
      return withNext({ ...failed, skipOnce }, event.at, options);
    }
    case 'tick': {
      if (state.current) return withNext(state, event.at, options);
      return state.items.length > 0 ? advance(state, -1, event.at, options) : state;
    }
    case 'jump': {
      const index = state.items.findIndex((i) => i.id === event.id);
      if (index < 0) return state;
      return start({ ...state, skipOnce: [] }, index, state.items[index]!, event.at, options);
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** Model time at which a set-aside item next becomes playable, if any. */
export function nextWakeUp(state: SequenceState, at: number): number | undefined {
  let soonest: number | undefined;
  for (const item of state.items) {
    const until = state.failures[item.id]?.setAsideUntil;
    if (until !== undefined && until > at && (soonest === undefined || until < soonest)) soonest = until;
  }
  return soonest;
}

/** What the player renders: the current play and the item to prepare, or nothing playable. */
export type Playback =
  { status: 'playing'; current: Play; next: Item | undefined } | { status: 'idle'; next: undefined };

export function playbackOf(state: SequenceState): Playback {
  return state.current
    ? { status: 'playing', current: state.current, next: state.next }
    : { status: 'idle', next: undefined };
}

const samePlayback = (a: Playback, b: Playback) =>
  a.status === b.status &&
  (a.status === 'idle' || (b.status === 'playing' && a.current === b.current)) &&
  a.next === b.next;

/**
 * The stream wiring. Subscribing to `state$` subscribes to the items; the end of
 * each play is a timer on `scheduler`; an error of the items stream keeps the
 * last list playing (it is reported in `error$`), so playback never dies.
 */
export class SequenceModel {
  private readonly events = new Subject<SequenceEvent>();
  private readonly errors = new BehaviorSubject<unknown>(undefined);
  readonly state$: Observable<SequenceState>;
  readonly playback$: Observable<Playback>;
  /** The last error of the items stream, if any. */
  readonly error$ = this.errors.asObservable();
  private readonly options: SequenceOptions;
  private readonly scheduler: SchedulerLike;

  constructor(
    items$: Observable<readonly Item[]>,
    options: Partial<SequenceOptions> & { scheduler?: SchedulerLike } = {},
  ) {
    const { scheduler = asyncScheduler, ...rest } = options;
    this.scheduler = scheduler;
    this.options = { ...DEFAULT_SEQUENCE_OPTIONS, ...rest };
    const safeItems$ = items$.pipe(
      map((items): SequenceEvent => ({ type: 'items', items, at: scheduler.now() })),
      catchError((error: unknown) => {
        this.errors.next(error);
        return EMPTY;
      }),
    );
    this.state$ = new Observable<SequenceState>((subscriber) => {
      let state = INITIAL_SEQUENCE_STATE;
      let timer: Subscription | undefined;
      const dispatch = (event: SequenceEvent) => {
        const next = reduceSequence(state, event, this.options);
        if (next === state) return;
        const rearm = next.current !== state.current || (!next.current && next.failures !== state.failures);
        state = next;
        if (rearm) {
          timer?.unsubscribe();
          timer = this.arm(state, dispatch);
        }
        subscriber.next(state);
      };
      // Nothing is emitted before the first list: the player stays in its loading state.
      const inputs = merge(safeItems$, this.events).subscribe((event) => dispatch(event));
      return () => {
        inputs.unsubscribe();
        timer?.unsubscribe();
      };
    }).pipe(shareReplay({ bufferSize: 1, refCount: true }));
    this.playback$ = this.state$.pipe(
      map(playbackOf),
      distinctUntilChanged(samePlayback),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
  }

  /** The end of the current play, or the moment a set-aside item comes back when idle. */
  private arm(state: SequenceState, dispatch: (e: SequenceEvent) => void): Subscription | undefined {
    const now = this.scheduler.now();
    const current = state.current;
    if (current) {
      const delay = Math.max(0, current.startedAt + current.duration - now);
      return this.scheduler.schedule(
        () => dispatch({ type: 'ended', play: current.play, at: this.scheduler.now() }),
        delay,
      );
    }
    const wake = nextWakeUp(state, now);
    if (wake === undefined) return undefined;
    return this.scheduler.schedule(() => dispatch({ type: 'tick', at: this.scheduler.now() }), wake - now);
  }

  /** The player could not prepare or show this item: skip it now, set it aside if it keeps failing. */
  itemFailed(id: string): void {
    this.events.next({ type: 'item-failed', id, at: this.scheduler.now() });
  }

  /** Shows this item now, then continues the loop after it. */
  jump(id: string): void {
    this.events.next({ type: 'jump', id, at: this.scheduler.now() });
  }
}
