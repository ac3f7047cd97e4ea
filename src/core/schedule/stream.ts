/**
 * The schedule as a stream: what may play now, re-evaluated exactly when it next
 * changes (nextChange) and at once when a new manifest arrives, instead of polling
 * the clock. The player's sequence model takes its input from here.
 */
import {
  asyncScheduler,
  defer,
  distinctUntilChanged,
  Observable,
  of,
  switchMap,
  timer,
  type SchedulerLike,
} from 'rxjs';
import { eligibleAt, nextChange, type SchedulableChannel, type SchedulableItem } from './engine.ts';

export interface ScheduleTick<I extends SchedulableItem> {
  /** The (trusted) instant this was evaluated at, in ms. */
  at: number;
  eligible: I[];
  open: boolean;
  /** When it is next evaluated, in ms; null when nothing will change. */
  next: number | null;
}

/**
 * The longest sleep between two evaluations. Timers follow the monotonic clock,
 * while schedules follow the (trusted) wall clock, which can be corrected while
 * the player sleeps: an NTP step or a server time after a 1970 boot.
 */
export const MAX_SLEEP_MS = 5 * 60_000;

export function scheduleTicks<I extends SchedulableItem>(
  manifest$: Observable<SchedulableChannel<I>>,
  now: () => number,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<ScheduleTick<I>> {
  return manifest$.pipe(
    switchMap(
      (channel) =>
        new Observable<ScheduleTick<I>>((subscriber) => {
          let subscription = of(null).subscribe();
          const evaluate = () => {
            const at = now();
            const e = eligibleAt(channel, at);
            const next = nextChange(channel, at)?.getTime() ?? null;
            subscriber.next({ at, eligible: e.eligible, open: e.open, next });
            const sleep = Math.min(MAX_SLEEP_MS, next === null ? MAX_SLEEP_MS : Math.max(0, next - at));
            subscription = defer(() => timer(sleep, scheduler)).subscribe(evaluate);
          };
          evaluate();
          return () => subscription.unsubscribe();
        }),
    ),
    // A capped sleep that changed nothing is not news.
    distinctUntilChanged(
      (a, b) =>
        a.open === b.open &&
        a.eligible.length === b.eligible.length &&
        a.eligible.every((x, i) => x === b.eligible[i]),
    ),
  );
}
