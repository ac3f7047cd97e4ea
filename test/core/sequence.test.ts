import { distinctUntilChanged, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../src/core/manifest-schema.ts';
import {
  DEFAULT_SEQUENCE_OPTIONS,
  INITIAL_SEQUENCE_STATE,
  itemDurationMs,
  reduceSequence,
  SequenceModel,
  type SequenceEvent,
  type SequenceState,
} from '../../src/core/sequence.ts';

const note = (id: string, duration: number): Item => ({
  id,
  kind: 'announcement',
  lang: 'fr',
  priority: 'normal',
  title: id,
  body: 'texte',
  duration,
  schedule: { until: '2099-12-31', when: 'always' },
});
const clip = (id: string, duration: number, maxDuration?: number): Item => ({
  id,
  kind: 'video',
  lang: 'fr',
  priority: 'normal',
  title: id,
  duration,
  ...(maxDuration === undefined ? {} : { maxDuration }),
  file: { sha256: 'a'.repeat(64), bytes: 1, type: 'video/mp4' },
  captions: [{ lang: 'fr', file: { sha256: 'b'.repeat(64), bytes: 1, type: 'text/vtt' } }],
});

const A = note('a', 10);
const B = note('b', 20);
const C = clip('c', 30, 5);

function run(events: SequenceEvent[], state: SequenceState = INITIAL_SEQUENCE_STATE): SequenceState {
  return events.reduce((s, e) => reduceSequence(s, e), state);
}
const ended = (s: SequenceState, at: number): SequenceEvent => ({ type: 'ended', play: s.current!.play, at });

describe('itemDurationMs', () => {
  it('is the duration, capped by maxDuration for a video', () => {
    expect(itemDurationMs(A)).toBe(10_000);
    expect(itemDurationMs(C)).toBe(5_000);
    expect(itemDurationMs(clip('d', 8))).toBe(8_000);
  });
});

describe('reduceSequence (pure)', () => {
  it('starts the first item, names the next one, and loops A → B → C → A', () => {
    let s = run([{ type: 'items', items: [A, B, C], at: 0 }]);
    expect(s.current).toMatchObject({ item: A, startedAt: 0, duration: 10_000, play: 1 });
    expect(s.next).toBe(B);
    s = reduceSequence(s, ended(s, 10_000));
    expect(s.current).toMatchObject({ item: B, startedAt: 10_000, duration: 20_000 });
    expect(s.next).toBe(C);
    s = reduceSequence(s, ended(s, 30_000));
    expect(s.current).toMatchObject({ item: C, startedAt: 30_000, duration: 5_000 });
    expect(s.next).toBe(A);
    s = reduceSequence(s, ended(s, 35_000));
    expect(s.current).toMatchObject({ item: A, startedAt: 35_000, play: 4 });
  });

  it('ignores the late timer of an earlier play', () => {
    const s = run([{ type: 'items', items: [A, B], at: 0 }]);
    expect(reduceSequence(s, { type: 'ended', play: 99, at: 5 })).toBe(s);
  });

  it('loops a single item as new plays of the same item', () => {
    let s = run([{ type: 'items', items: [A], at: 0 }]);
    expect(s.next).toBe(A);
    s = reduceSequence(s, ended(s, 10_000));
    expect(s.current).toMatchObject({ item: A, play: 2, startedAt: 10_000 });
  });

  it('moves on at once when the current item leaves the list', () => {
    let s = run([{ type: 'items', items: [A, B, C], at: 0 }]);
    s = reduceSequence(s, ended(s, 10_000)); // B plays
    s = reduceSequence(s, { type: 'items', items: [A, C], at: 12_000 });
    expect(s.current).toMatchObject({ item: C, startedAt: 12_000 });
    expect(s.next).toBe(A);
  });

  it('finishes the current item when it stays, then continues in the new list', () => {
    let s = run([{ type: 'items', items: [A, B, C], at: 0 }]);
    const playing = s.current;
    const D = note('d', 4);
    s = reduceSequence(s, { type: 'items', items: [D, A, C], at: 3_000 });
    expect(s.current).toBe(playing);
    expect(s.next).toBe(C);
    s = reduceSequence(s, ended(s, 10_000));
    expect(s.current).toMatchObject({ item: C, startedAt: 10_000 });
    expect(s.next).toBe(D);
  });

  it('skips a failing item at once and sets it aside after three failures in a row', () => {
    let s = run([{ type: 'items', items: [A, B], at: 0 }]);
    for (const at of [1_000, 2_000]) {
      s = reduceSequence(s, { type: 'item-failed', id: 'a', at }); // skipped to B
      expect(s.current?.item).toBe(B);
      s = reduceSequence(s, ended(s, s.current!.startedAt + 20_000)); // back to A
      expect(s.current?.item).toBe(A);
    }
    s = reduceSequence(s, { type: 'item-failed', id: 'a', at: 50_000 });
    expect(s.failures.a?.setAsideUntil).toBe(50_000 + DEFAULT_SEQUENCE_OPTIONS.setAsideMs);
    expect(s.current?.item).toBe(B);
    expect(s.next).toBe(B); // A is set aside: B loops on its own
    s = reduceSequence(s, ended(s, 70_000));
    expect(s.current?.item).toBe(B);
    // Ten minutes later A is back.
    s = reduceSequence(s, ended(s, 50_000 + 10 * 60_000));
    expect(s.current?.item).toBe(A);
  });

  it('forgets failures once the item plays through', () => {
    let s = run([
      { type: 'items', items: [A, B], at: 0 },
      { type: 'item-failed', id: 'a', at: 1 },
    ]);
    expect(s.failures.a?.count).toBe(1);
    s = reduceSequence(s, ended(s, 20_001)); // A again
    s = reduceSequence(s, ended(s, 30_001)); // A played through
    expect(s.failures.a).toBeUndefined();
  });

  it('passes once over an item that failed to prepare', () => {
    let s = run([{ type: 'items', items: [A, B, C], at: 0 }]);
    s = reduceSequence(s, { type: 'item-failed', id: 'b', at: 500 });
    expect(s.current?.item).toBe(A);
    expect(s.next).toBe(C);
    s = reduceSequence(s, ended(s, 10_000));
    expect(s.current?.item).toBe(C);
    expect(s.next).toBe(A);
    s = reduceSequence(s, ended(s, 15_000));
    expect(s.next).toBe(B); // tried again on the next loop
  });

  it('goes idle (welcome card) when nothing is playable, and comes back after the set-aside time', () => {
    let s = run([{ type: 'items', items: [A], at: 0 }]);
    for (const at of [1, 2, 3]) s = reduceSequence(s, { type: 'item-failed', id: 'a', at });
    expect(s.current).toBeUndefined();
    expect(s.next).toBeUndefined();
    expect(reduceSequence(s, { type: 'tick', at: 1_000 }).current).toBeUndefined();
    s = reduceSequence(s, { type: 'tick', at: 3 + DEFAULT_SEQUENCE_OPTIONS.setAsideMs });
    expect(s.current?.item).toBe(A);
  });

  it('is idle with an empty list, and ignores failures of unknown items', () => {
    const s = run([{ type: 'items', items: [], at: 0 }]);
    expect(s.current).toBeUndefined();
    expect(reduceSequence(s, { type: 'item-failed', id: 'zz', at: 1 })).toBe(s);
  });

  it('jumps to an item and continues after it', () => {
    let s = run([{ type: 'items', items: [A, B, C], at: 0 }]);
    s = reduceSequence(s, { type: 'jump', id: 'c', at: 100 });
    expect(s.current).toMatchObject({ item: C, startedAt: 100 });
    expect(s.next).toBe(A);
    expect(reduceSequence(s, { type: 'jump', id: 'nope', at: 200 })).toBe(s);
  });
});

describe('SequenceModel (virtual time)', () => {
  const ids = (p: { status: string; current?: { item: Item } }) =>
    p.status === 'idle' ? '-' : p.current!.item.id;

  it('plays A → B → C → A with their effective durations', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold, expectObservable }) => {
      const items$ = cold<readonly Item[]>('a', { a: [A, B, C] });
      const model = new SequenceModel(items$);
      // A 10 s, B 20 s, C min(30, 5) = 5 s, then A again.
      const starts$ = model.playback$.pipe(map((p) => (p.status === 'playing' ? p.current : undefined)));
      expectObservable(starts$, '^ 40s !').toBe('a 9999ms b 19999ms c 4999ms d', {
        a: { play: 1, item: A, startedAt: 0, duration: 10_000 },
        b: { play: 2, item: B, startedAt: 10_000, duration: 20_000 },
        c: { play: 3, item: C, startedAt: 30_000, duration: 5_000 },
        d: { play: 4, item: A, startedAt: 35_000, duration: 10_000 },
      });
    });
  });

  it('reacts at once to a new list and to failures, and never dies on an error of the items stream', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const setTimeoutVirtual = (fn: () => void, ms: number) => scheduler.schedule(fn, ms);
    scheduler.run(({ cold, expectObservable, flush }) => {
      const items$ = cold<readonly Item[]>('a 2999ms b 999ms #', { a: [A, B, C], b: [A, C] });
      const model = new SequenceModel(items$);
      const seen: string[] = [];
      let errored: unknown;
      model.error$.subscribe((e) => (errored = e));
      const sub = model.playback$
        .pipe(
          map((p) => `${ids(p)}@${p.status === 'idle' ? '' : p.current.startedAt}`),
          distinctUntilChanged(),
        )
        .subscribe((s) => seen.push(s));
      const next$ = model.playback$.pipe(map((p) => p.next?.id));
      expectObservable(next$, '^ 5s !').toBe('b 2999ms c', { b: 'b', c: 'c' });
      // The model loops for ever: stop watching after 20 s of virtual time.
      setTimeoutVirtual(() => sub.unsubscribe(), 20_000);
      flush();
      // A at 0, its end at 10 s; the list change at 3 s keeps A; C follows; the error at 4 s changes nothing.
      expect(seen).toEqual(['a@0', 'c@10000', 'a@15000']);
      expect(errored).toBe('error');
      sub.unsubscribe();
    });
  });

  it('skips a failed item at once and wakes up from idle when the set-aside time is over', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, flush }) => {
      const model = new SequenceModel(cold<readonly Item[]>('a', { a: [A] }), {
        maxFailures: 1,
        setAsideMs: 60_000,
        scheduler,
      });
      const seen: string[] = [];
      const sub = model.playback$.subscribe((p) => seen.push(`${ids(p)}@${scheduler.now()}`));
      scheduler.schedule(() => model.itemFailed('a'), 1_000);
      scheduler.schedule(() => sub.unsubscribe(), 70_000);
      flush();
      expect(seen).toEqual(['a@0', '-@1000', 'a@61000']);
    });
  });
});

describe('with the schedule planner (options.channel)', () => {
  const often: Item = { ...note('often', 10), schedule: { until: '2099-12-31', when: 'always', every: 1 } };
  const items = [note('n1', 15), note('n2', 15), note('n3', 15), note('n4', 15), note('n5', 15), often];
  const channel = { timezone: 'Africa/Porto-Novo', hours: [], items };
  const options = { ...DEFAULT_SEQUENCE_OPTIONS, channel };

  it('shows an `every` item at least every N minutes, as the editor timeline does', () => {
    let state = reduceSequence(INITIAL_SEQUENCE_STATE, { type: 'items', items, at: 0 }, options);
    const starts: { id: string; at: number }[] = [];
    for (let i = 0; i < 60 && state.current; i++) {
      const { current } = state;
      starts.push({ id: current.item.id, at: current.startedAt });
      state = reduceSequence(
        state,
        { type: 'ended', play: current.play, at: current.startedAt + current.duration },
        options,
      );
    }
    const shown = starts.filter((s) => s.id === 'often').map((s) => s.at);
    expect(shown[0]).toBeGreaterThanOrEqual(60_000); // due a minute after playing began
    expect(shown[0]).toBeLessThanOrEqual(60_000 + 15_000);
    const gaps = shown.slice(1).map((t, i) => t - shown[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(60_000 + 15_000);
    // The others still take turns in manifest order.
    expect(
      starts
        .filter((s) => s.id !== 'often')
        .slice(0, 5)
        .map((s) => s.id),
    ).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
  });

  it('without a channel, items take turns in list order and `every` is not applied', () => {
    let state = reduceSequence(INITIAL_SEQUENCE_STATE, { type: 'items', items, at: 0 });
    const ids: string[] = [];
    for (let i = 0; i < 6 && state.current; i++) {
      ids.push(state.current.item.id);
      state = reduceSequence(state, { type: 'ended', play: state.current.play, at: 0 });
    }
    expect(ids).toEqual(['n1', 'n2', 'n3', 'n4', 'n5', 'often']);
  });
});
