import { expect } from '@open-wc/testing';
import { enqueue, takeBatch, acknowledge, type PlayRecord } from '../../../src/core/telemetry/index.ts';
import { TelemetryStore } from '../../../src/player/telemetry/telemetry-store.ts';

// The durable queue in real IndexedDB: what one run wrote, the next reads.
let n = 0;
const database = () => `ccsp-telemetry-test-${Date.now()}-${n++}`;

function record(i: number): PlayRecord {
  return {
    id: `r-${i}`,
    item: `item-${i % 3}`,
    version: 7,
    start: new Date(Date.parse('2026-12-01T08:00:00Z') + i * 60_000).toISOString(),
    shownS: 12,
    outcome: 'completed',
  };
}

describe('TelemetryStore', () => {
  it('creates the player id once and keeps it', async () => {
    const db = database();
    const id = await new TelemetryStore(db).playerId();
    expect(id).to.match(/^p-[0-9a-f]{16}$/);
    expect(await new TelemetryStore(db).playerId()).to.equal(id);
    expect(await new TelemetryStore(database()).playerId()).not.to.equal(id);
  });

  it('keeps the queue, its sent marks and its outstanding batch across runs', async () => {
    const db = database();
    const store = new TelemetryStore(db);
    let q = await store.load();
    expect(q.records).to.have.length(0);
    let c = 0;
    for (let i = 0; i < 30; i++) q = enqueue(q, record(i), { cap: 20, newId: () => `c-${c++}` });
    void store.save(q);
    const taken = takeBatch(q, () => 'b-1', { maxRecords: 5, maxCounts: 5 });
    await store.save(taken.queue);

    const again = await new TelemetryStore(db).load();
    expect(again.records.map((r) => r.id)).to.deep.equal(taken.queue.records.map((r) => r.id));
    expect(again.counts).to.deep.equal(taken.queue.counts);
    expect(again.batch).to.deep.equal(taken.queue.batch);
    expect([...again.sent].sort()).to.deep.equal([...taken.queue.sent].sort());

    const acked = acknowledge(again, 'b-1', taken.queue.batch!.ids);
    const store2 = new TelemetryStore(db);
    await store2.load();
    await store2.save(acked);
    const last = await new TelemetryStore(db).load();
    expect(last.batch).to.equal(undefined);
    expect(last.sent.size).to.equal(0);
    expect(last.records.length + last.counts.length).to.equal(
      taken.queue.records.length + taken.queue.counts.length - taken.queue.batch!.ids.length,
    );
  });
});
