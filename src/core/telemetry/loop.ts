/**
 * When heartbeats go (issue 7): one at once, then one every `intervalS` after the
 * previous one ended, the server's answer setting the interval. A failure waits
 * for the next interval like a success (a screen that retried at once would storm
 * the box it cannot reach); a queue with more to send than a heartbeat carries
 * drains at the floor of one heartbeat every 10 s. One request at a time: the next
 * is timed from the end of the previous one, so none can overlap.
 */
import {
  asyncScheduler,
  catchError,
  concatMap,
  defaultIfEmpty,
  defer,
  expand,
  of,
  take,
  tap,
  timer,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import { clampInterval, DEFAULT_INTERVAL_S, MIN_INTERVAL_S, type HeartbeatAnswer } from './heartbeat.ts';

export type HeartbeatResult =
  | { ok: true; answer: HeartbeatAnswer; /** The queue holds more than this batch carried. */ more: boolean }
  | { ok: false; error: string };

export interface HeartbeatLoopOptions {
  /** One heartbeat: the first value is its result; an error is a failed heartbeat. */
  send: () => Observable<HeartbeatResult> | Promise<HeartbeatResult>;
  scheduler?: SchedulerLike;
  /** Multiplies every delay (the player's `time-scale`; tests run hours in seconds). */
  scale?: () => number;
  initialIntervalS?: number;
  /**
   * Wait before the first heartbeat, in milliseconds (not scaled): a page that
   * reloads in a loop still sends no more than one heartbeat every 10 s.
   */
  firstDelayMs?: number;
}

export function heartbeatLoop(options: HeartbeatLoopOptions): Observable<HeartbeatResult> {
  const scheduler = options.scheduler ?? asyncScheduler;
  const scale = options.scale ?? (() => 1);
  return defer(() => {
    let intervalS = clampInterval(options.initialIntervalS ?? DEFAULT_INTERVAL_S);
    const attempt = (): Observable<HeartbeatResult> =>
      defer(options.send).pipe(
        take(1),
        defaultIfEmpty<HeartbeatResult, HeartbeatResult>({ ok: false, error: 'no answer' }),
        catchError((e: unknown) => of<HeartbeatResult>({ ok: false, error: String(e) })),
        tap((r) => {
          if (r.ok) intervalS = clampInterval(r.answer.intervalS);
        }),
      );
    const delayAfter = (r: HeartbeatResult) =>
      (r.ok && r.more ? MIN_INTERVAL_S : intervalS) * 1000 * Math.max(0, scale());
    const first = options.firstDelayMs
      ? timer(options.firstDelayMs, scheduler).pipe(concatMap(attempt))
      : attempt();
    return first.pipe(expand((r) => timer(delayAfter(r), scheduler).pipe(concatMap(attempt))));
  });
}
