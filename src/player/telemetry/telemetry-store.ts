/**
 * Where the screen keeps its telemetry (issue 7): its player id, its name, and
 * the proof-of-play queue, in an IndexedDB database of its own (`ccsp-telemetry`,
 * through idb-keyval). Each record and count is one key (`e:<id>`), so that a new
 * play writes one small value, not the whole queue; the outstanding batch is the
 * key `#batch`. Every change of the queue is one transaction (deletes and puts
 * together): a merge of records into a count can never leave both, or neither.
 */
import { createStore, get, promisifyRequest, update, type UseStore } from 'idb-keyval';
import {
  EMPTY_QUEUE,
  type Batch,
  type PlayCount,
  type PlayQueue,
  type PlayRecord,
} from '../../core/telemetry/index.ts';

type Stored =
  { kind: 'record'; entry: PlayRecord; sent: boolean } | { kind: 'count'; entry: PlayCount; sent: boolean };

const ENTRY = 'e:';
const BATCH = '#batch';
const PLAYER = '#player';
const NAME = '#name';

/** `prefix-` and 16 lowercase hex digits from the browser's CSPRNG: unique per player for all practical purposes. */
export function randomId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export class TelemetryStore {
  private readonly store: UseStore;
  /** The queue as last written; writes are diffs from it. */
  private persisted: PlayQueue = EMPTY_QUEUE;
  private latest: PlayQueue = EMPTY_QUEUE;
  private chain: Promise<void> = Promise.resolve();

  constructor(database = 'ccsp-telemetry') {
    this.store = createStore(database, 'kv');
  }

  /** The player id, created at the first call ever and kept. */
  async playerId(): Promise<string> {
    // Read first: a full store refuses writes, and the id is written once only.
    const kept = await get<string>(PLAYER, this.store);
    if (kept) return kept;
    let id: string | undefined;
    await update<string>(PLAYER, (old) => (id = old ?? randomId('p')), this.store);
    return id!;
  }

  async name(): Promise<string | undefined> {
    return get<string>(NAME, this.store);
  }

  async setName(name: string): Promise<void> {
    await update<string>(NAME, () => name, this.store);
  }

  /** The queue kept by the last run (oldest first). */
  async load(): Promise<PlayQueue> {
    const { records, counts, sent, batch } = await this.store('readonly', async (s) => {
      const [keys, values] = await Promise.all([
        promisifyRequest(s.getAllKeys()),
        promisifyRequest(s.getAll() as IDBRequest<unknown[]>),
      ]);
      const records: PlayRecord[] = [];
      const counts: PlayCount[] = [];
      const sent = new Set<string>();
      let batch: Batch | undefined;
      keys.forEach((k, i) => {
        const v = values[i];
        if (k === BATCH) batch = v as Batch;
        if (typeof k !== 'string' || !k.startsWith(ENTRY)) return;
        const e = v as Stored;
        if (e.kind === 'record') records.push(e.entry);
        else counts.push(e.entry);
        if (e.sent) sent.add(e.entry.id);
      });
      return { records, counts, sent, batch };
    });
    records.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    counts.sort((a, b) => Date.parse(a.hour) - Date.parse(b.hour));
    // A batch whose entries are all gone was acked; one left behind by a crash is resent as it was.
    const queue: PlayQueue = { records, counts, sent, batch };
    this.persisted = this.latest = queue;
    return queue;
  }

  /** Writes the queue (the difference from what was written last); resolves once it is on disk. */
  save(queue: PlayQueue): Promise<void> {
    this.latest = queue;
    const run = this.chain.then(() => this.flush());
    // A failed write leaves `persisted` as it was: the next save writes the difference again.
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async flush(): Promise<void> {
    const next = this.latest;
    const prev = this.persisted;
    if (next === prev) return;
    const before = new Map<string, PlayRecord | PlayCount>();
    for (const e of [...prev.records, ...prev.counts]) before.set(e.id, e);
    const puts: [string, Stored][] = [];
    const seen = new Set<string>();
    const visit = (kind: 'record' | 'count', e: PlayRecord | PlayCount) => {
      seen.add(e.id);
      const sent = next.sent.has(e.id);
      if (before.get(e.id) === e && prev.sent.has(e.id) === sent) return;
      puts.push([ENTRY + e.id, { kind, entry: e, sent } as Stored]);
    };
    next.records.forEach((r) => visit('record', r));
    next.counts.forEach((c) => visit('count', c));
    const deletes = [...before.keys()].filter((id) => !seen.has(id)).map((id) => ENTRY + id);
    const batchChanged = prev.batch !== next.batch;
    if (puts.length === 0 && deletes.length === 0 && !batchChanged) {
      this.persisted = next;
      return;
    }
    await this.store('readwrite', (s) => {
      for (const key of deletes) s.delete(key);
      for (const [key, value] of puts) s.put(value, key);
      if (batchChanged) {
        if (next.batch) s.put(next.batch, BATCH);
        else s.delete(BATCH);
      }
      return promisifyRequest(s.transaction);
    });
    this.persisted = next;
  }
}
