import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acknowledge,
  compact,
  EMPTY_QUEUE,
  enqueue,
  queueLength,
  queueTotals,
  takeBatch,
  type PlayCount,
  type PlayQueue,
  type PlayRecord,
  type PlaysBody,
} from '../../../src/core/telemetry/index.ts';

const T0 = Date.parse('2026-12-01T08:00:00.000Z');

function ids(prefix: string) {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

function record(id: string, item: string, at: number, shownS: number, skipped = false): PlayRecord {
  return {
    id,
    item,
    version: 7,
    start: new Date(at).toISOString(),
    shownS,
    outcome: skipped ? 'skipped' : 'completed',
    ...(skipped ? { reason: 'stalled' as const } : {}),
  };
}

const recordArb = fc.record({
  item: fc.constantFrom('bienvenue', 'clip', 'horaires', 'casier'),
  version: fc.constantFrom(6, 7),
  offsetS: fc.integer({ min: 0, max: 30 * 86_400 }),
  shownTenths: fc.integer({ min: 0, max: 3000 }),
  skipped: fc.boolean(),
});

type RecordSpec = typeof recordArb extends fc.Arbitrary<infer T> ? T : never;

function toRecord(id: string, r: RecordSpec): PlayRecord {
  return { ...record(id, r.item, T0 + r.offsetS * 1000, r.shownTenths / 10, r.skipped), version: r.version };
}

describe('merging past the cap', () => {
  it('merges the oldest records into per-item, per-hour counts', () => {
    const newId = ids('c');
    let q: PlayQueue = EMPTY_QUEUE;
    // 12 plays of two items in the first hour, then 8 in the next hour.
    for (let i = 0; i < 20; i++) {
      const at = T0 + i * 5 * 60_000;
      q = enqueue(q, record(`r-${i}`, i % 2 ? 'clip' : 'bienvenue', at, 12.04, i === 3), { cap: 10, newId });
    }
    expect(queueLength(q)).toBeLessThanOrEqual(10);
    expect(queueTotals(q)).toEqual({ plays: 20, shownTenths: 20 * 120, skipped: 1 });
    const first = q.counts.filter((c) => c.hour === '2026-12-01T08:00:00.000Z');
    expect(first.map((c) => [c.item, c.plays, c.shownS, c.skipped]).sort()).toEqual([
      ['bienvenue', 6, 72, 0],
      ['clip', 6, 72, 1],
    ]);
    // The newest records stay as they are.
    expect(q.records.at(-1)?.id).toBe('r-19');
  });

  it('preserves total plays, seconds and skips, and leaves sent entries alone (property)', () => {
    fc.assert(
      fc.property(
        fc.array(recordArb, { maxLength: 300 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 300 }),
        (plays, cap, sentCount) => {
          const newId = ids('c');
          let q: PlayQueue = EMPTY_QUEUE;
          plays.forEach((p, i) => {
            q = { ...q, records: [...q.records, toRecord(`r-${i}`, p)] };
          });
          const sent = new Set(q.records.slice(0, sentCount).map((r) => r.id));
          q = { ...q, sent };
          const before = queueTotals(q);
          const after = compact(q, { cap, newId });
          expect(queueTotals(after)).toEqual(before);
          for (const r of q.records) if (sent.has(r.id)) expect(after.records).toContainEqual(r);
          // Under the cap, or nothing unsent left to merge but counts.
          const unsent = after.records.filter((r) => !sent.has(r.id)).length;
          if (queueLength(after) > cap) {
            const keys = new Set(after.counts.map((c) => `${c.item}|${c.version}|${c.hour}`));
            expect(unsent === 0 || keys.size === after.counts.length).toBe(true);
          }
          // One count per item, version and hour among counts never sent.
          const keys = after.counts.map((c) => `${c.item}|${c.version}|${c.hour}`);
          expect(new Set(keys).size).toBe(keys.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('batches', () => {
  it('keeps the queue under its cap through a long outage: only the first batch is pinned', () => {
    const newId = ids('c');
    let q: PlayQueue = EMPTY_QUEUE;
    const items = ['bienvenue', 'clip', 'horaires', 'casier'];
    for (let i = 0; i < 5000; i++) {
      q = enqueue(q, record(`r-${i}`, items[i % 4]!, T0 + i * 15_000, 15), { cap: 200, newId });
      // A heartbeat every 4 plays, none answered.
      if (i % 4 === 0) q = takeBatch(q, ids('b')).queue;
      expect(queueLength(q)).toBeLessThanOrEqual(200);
    }
    expect(queueTotals(q).plays).toBe(5000);
    expect(q.batch!.ids).toHaveLength(1);
  });

  it('takes at most 500 records and 500 counts, and fits in the byte budget', () => {
    let q: PlayQueue = EMPTY_QUEUE;
    const records: PlayRecord[] = [];
    for (let i = 0; i < 1200; i++) records.push(record(`r-${i}`, 'bienvenue', T0 + i * 1000, 10));
    const counts: PlayCount[] = [];
    for (let i = 0; i < 700; i++)
      counts.push({
        id: `c-${i}`,
        item: 'clip',
        version: 7,
        hour: new Date(T0 + i * 3_600_000).toISOString(),
        plays: 3,
        shownS: 30,
        skipped: 0,
      });
    q = { ...q, records, counts };
    const { plays } = takeBatch(q, ids('b'), { maxBytes: 1e9 });
    expect(plays!.records).toHaveLength(500);
    expect(plays!.counts).toHaveLength(500);
    const small = takeBatch(q, ids('b'), { maxBytes: 8192 }).plays!;
    expect(JSON.stringify([...small.records, ...small.counts]).length).toBeLessThanOrEqual(8192);
    expect(small.counts.length).toBeGreaterThan(0);
  });

  it('resends an unacknowledged batch with its id, removes only what an ack names', () => {
    const newId = ids('c');
    let q = enqueue(EMPTY_QUEUE, record('r-1', 'a', T0, 10), { newId });
    const first = takeBatch(q, () => 'b-1');
    q = enqueue(first.queue, record('r-2', 'a', T0 + 1000, 10), { newId });
    // Unacknowledged: the same batch again, as it was.
    const second = takeBatch(q, () => 'b-2');
    expect(second.plays).toEqual(first.plays);
    q = acknowledge(second.queue, 'b-1', ['r-1']);
    expect(q.records.map((r) => r.id)).toEqual(['r-2']);
    expect(q.batch).toBeUndefined();
    const third = takeBatch(q, () => 'b-3');
    expect(third.plays).toEqual({ batch: 'b-3', records: [record('r-2', 'a', T0 + 1000, 10)], counts: [] });
    // An ack for a batch that is not outstanding changes nothing; an ack of part of a
    // batch (an answer to an older request) removes only that part, and what is left
    // was sent: it is never merged, and goes in the next batch unchanged.
    expect(acknowledge(third.queue, 'b-1', ['r-2'])).toBe(third.queue);
    const partly = acknowledge(enqueue(third.queue, record('r-3', 'a', T0 + 2000, 10), { newId }), 'b-3', []);
    expect(partly.sent.has('r-2')).toBe(true);
    expect(takeBatch(partly, () => 'b-4').plays!.records.map((r) => r.id)).toEqual(['r-2', 'r-3']);
    expect(takeBatch(EMPTY_QUEUE, () => 'b-x').plays).toBeUndefined();
  });
});

/**
 * A long life of a screen against a server that loses requests and answers, with
 * merges in between. The server stores each id once, as H6's does.
 */
describe('nothing lost, nothing doubled (property)', () => {
  type Step =
    { kind: 'play'; play: RecordSpec } | { kind: 'beat'; fate: 'ok' | 'request-lost' | 'answer-lost' };
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    { weight: 3, arbitrary: recordArb.map((play) => ({ kind: 'play' as const, play })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('ok', 'request-lost', 'answer-lost')
        .map((fate) => ({ kind: 'beat' as const, fate: fate as 'ok' | 'request-lost' | 'answer-lost' })),
    },
  );

  it('every play reaches the server exactly once; acked batches are never resent; unacked ones are resent as supersets', () => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { maxLength: 400 }),
        fc.integer({ min: 5, max: 80 }),
        fc.integer({ min: 1, max: 30 }),
        (steps, cap, maxRecords) => {
          const newCount = ids('c');
          const newBatch = ids('b');
          const newRecord = ids('r');
          const server = new Map<string, string>();
          const acked = new Set<string>();
          let last: PlaysBody | undefined;
          let lastAcked = true;
          let q: PlayQueue = EMPTY_QUEUE;
          const logged: PlayRecord[] = [];
          const beat = (fate: 'ok' | 'request-lost' | 'answer-lost') => {
            const taken = takeBatch(q, newBatch, { maxRecords, maxCounts: maxRecords });
            q = taken.queue;
            const plays = taken.plays;
            if (!plays) return;
            expect(acked.has(plays.batch)).toBe(false);
            if (last && !lastAcked) {
              // The unacked batch again: same id, a superset of its ids.
              expect(plays.batch).toBe(last.batch);
              const now = new Set([...plays.records, ...plays.counts].map((e) => e.id));
              for (const e of [...last.records, ...last.counts]) expect(now.has(e.id)).toBe(true);
            }
            last = plays;
            lastAcked = false;
            if (fate === 'request-lost') return;
            for (const e of [...plays.records, ...plays.counts]) {
              const json = JSON.stringify(e);
              // Same id, same content, whenever it is sent again.
              if (server.has(e.id)) expect(server.get(e.id)).toBe(json);
              else server.set(e.id, json);
            }
            if (fate === 'answer-lost') return;
            acked.add(plays.batch);
            lastAcked = true;
            q = acknowledge(
              q,
              plays.batch,
              [...plays.records, ...plays.counts].map((e) => e.id),
            );
          };
          for (const step of steps) {
            if (step.kind === 'play') {
              const r = toRecord(newRecord(), step.play);
              logged.push(r);
              q = enqueue(q, r, { cap, newId: newCount });
            } else {
              beat(step.fate);
            }
          }
          // The link comes back for good.
          for (let i = 0; i < 1000 && queueLength(q) > 0; i++) beat('ok');
          expect(queueLength(q)).toBe(0);
          const stored = [...server.values()].map((j) => JSON.parse(j) as PlayRecord | PlayCount);
          const records = stored.filter((e): e is PlayRecord => 'outcome' in e);
          const counts = stored.filter((e): e is PlayCount => 'plays' in e);
          expect(queueTotals({ records, counts })).toEqual(queueTotals({ records: logged, counts: [] }));
        },
      ),
      { numRuns: 200 },
    );
  });
});
