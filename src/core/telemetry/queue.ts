/**
 * The proof-of-play queue of a screen (issue 7, docs/telemetry.md "plays"): what
 * was shown, kept until the server acknowledges it. Pure functions over an
 * immutable state, tested in Node; the browser keeps the state in IndexedDB
 * (src/player/telemetry/telemetry-store.ts).
 *
 * The rules that make "nothing lost, nothing doubled" hold:
 * - an entry leaves the queue only when an answer's `ack` names the batch that
 *   carried it, and only the ids that batch carried when it was sent;
 * - a batch that was not acknowledged is sent again as it was: same id, same
 *   entries (not topped up: what is sent can no longer be merged, and a batch that
 *   grew through a long outage would pin 500 records that the cap needs to merge);
 * - an entry that has been sent once may already be stored by the server, so it is
 *   never merged into a count nor changed: it is sent again as it was;
 * - past the cap, the oldest entries never sent are merged into per-item, per-hour
 *   counts (new ids), which keeps their plays, seconds and skips.
 */

export type PlayOutcome = 'completed' | 'skipped';
export type SkipReason = 'error' | 'stalled' | 'watchdog' | 'schedule' | 'power';

/** One showing of one item, as the contract sends it. */
export interface PlayRecord {
  id: string;
  item: string;
  /** Manifest version the item came from. */
  version: number;
  /** When it went on screen (ISO 8601, trusted time). */
  start: string;
  /** Seconds it was actually on screen, to a tenth. */
  shownS: number;
  outcome: PlayOutcome;
  reason?: SkipReason;
}

/** Older records of one item and version, merged per hour of their start. */
export interface PlayCount {
  id: string;
  item: string;
  version: number;
  /** The UTC hour the merged records started in (ISO 8601, on the hour). */
  hour: string;
  plays: number;
  shownS: number;
  skipped: number;
}

export interface Batch {
  id: string;
  /** Record and count ids it carried when last sent. */
  ids: readonly string[];
}

export interface PlayQueue {
  /** Oldest first. */
  readonly records: readonly PlayRecord[];
  /** Oldest first. */
  readonly counts: readonly PlayCount[];
  /** Ids that have been sent at least once and not acknowledged: never merged, never changed. */
  readonly sent: ReadonlySet<string>;
  /** The batch sent last, while it is not acknowledged. */
  readonly batch: Batch | undefined;
}

/** The `plays` member of a heartbeat. */
export interface PlaysBody {
  batch: string;
  records: PlayRecord[];
  counts: PlayCount[];
}

export const EMPTY_QUEUE: PlayQueue = { records: [], counts: [], sent: new Set(), batch: undefined };

/** docs/telemetry.md: at most 500 records and 500 counts per heartbeat. */
export const MAX_BATCH_RECORDS = 500;
export const MAX_BATCH_COUNTS = 500;
/** The queue's default cap (records + counts) before old records are merged into counts. */
export const DEFAULT_QUEUE_CAP = 5000;

/** Seconds are added in tenths as integers, so that merging preserves them exactly. */
const tenths = (s: number) => Math.round(s * 10);
export const roundShown = (s: number) => tenths(s) / 10;

export function queueLength(q: PlayQueue): number {
  return q.records.length + q.counts.length;
}

/** Plays, seconds (in tenths) and skips in the queue, whether as records or counts. */
export function queueTotals(q: Pick<PlayQueue, 'records' | 'counts'>): {
  plays: number;
  shownTenths: number;
  skipped: number;
} {
  let plays = q.records.length;
  let shownTenths = 0;
  let skipped = 0;
  for (const r of q.records) {
    shownTenths += tenths(r.shownS);
    if (r.outcome === 'skipped') skipped++;
  }
  for (const c of q.counts) {
    plays += c.plays;
    shownTenths += tenths(c.shownS);
    skipped += c.skipped;
  }
  return { plays, shownTenths, skipped };
}

export function hourOf(iso: string): string {
  const t = Date.parse(iso);
  return new Date(Math.floor(t / 3_600_000) * 3_600_000).toISOString();
}

/** Adds a record, then merges old ones if the queue passed its cap. */
export function enqueue(
  q: PlayQueue,
  record: PlayRecord,
  options: { cap?: number; newId: () => string },
): PlayQueue {
  const added: PlayQueue = {
    ...q,
    records: [...q.records, { ...record, shownS: roundShown(record.shownS) }],
  };
  return compact(added, options);
}

/**
 * Past `cap` entries, merges the oldest records never sent into per-item,
 * per-version, per-hour counts until the queue is a tenth under its cap (so that
 * merging runs once per tenth of the cap, not at every record). A count never sent
 * takes more records of its key; a sent count is left as it is and a new one is
 * made. When only sent records and counts are left, the queue stays over its cap:
 * one count per item and hour is as small as it gets without losing plays.
 */
export function compact(q: PlayQueue, options: { cap?: number; newId: () => string }): PlayQueue {
  const cap = options.cap ?? DEFAULT_QUEUE_CAP;
  if (queueLength(q) <= cap) return q;
  const target = cap - Math.floor(cap / 10);
  const counts = [...q.counts];
  const open = new Map<string, number>();
  const keyOf = (item: string, version: number, hour: string) => JSON.stringify([item, version, hour]);
  counts.forEach((c, i) => {
    if (!q.sent.has(c.id)) open.set(keyOf(c.item, c.version, c.hour), i);
  });
  // Records are oldest first, but a record of a play cut at boot may come late: sort by start.
  const order = q.records
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => !q.sent.has(r.id))
    .sort((a, b) => Date.parse(a.r.start) - Date.parse(b.r.start) || a.i - b.i);
  const merged = new Set<number>();
  let length = queueLength(q);
  for (const { r, i } of order) {
    if (length <= target) break;
    const hour = hourOf(r.start);
    const key = keyOf(r.item, r.version, hour);
    const at = open.get(key);
    const skipped = r.outcome === 'skipped' ? 1 : 0;
    if (at === undefined) {
      open.set(key, counts.length);
      counts.push({
        id: options.newId(),
        item: r.item,
        version: r.version,
        hour,
        plays: 1,
        shownS: roundShown(r.shownS),
        skipped,
      });
    } else {
      const c = counts[at]!;
      counts[at] = {
        ...c,
        plays: c.plays + 1,
        shownS: (tenths(c.shownS) + tenths(r.shownS)) / 10,
        skipped: c.skipped + skipped,
      };
      length--;
    }
    merged.add(i);
  }
  counts.sort((a, b) => Date.parse(a.hour) - Date.parse(b.hour));
  return { ...q, records: q.records.filter((_, i) => !merged.has(i)), counts };
}

export interface BatchLimits {
  maxRecords?: number;
  maxCounts?: number;
  /** JSON bytes the records and counts may take together (the heartbeat is at most 64 KiB). */
  maxBytes?: number;
}

const utf8 = new TextEncoder();
const sizeOf = (v: unknown) => utf8.encode(JSON.stringify(v)).length + 1;

/**
 * The plays to send with the next heartbeat: an unacknowledged batch again, as it
 * was; otherwise a new batch of the oldest entries (counts first: they are the
 * oldest plays), within the limits. Everything in it is marked sent. Nothing to
 * send: `plays` is undefined and the queue is unchanged.
 */
export function takeBatch(
  q: PlayQueue,
  newBatchId: () => string,
  limits: BatchLimits = {},
): { queue: PlayQueue; plays: PlaysBody | undefined } {
  if (q.batch) {
    const ids = new Set(q.batch.ids);
    const plays = {
      batch: q.batch.id,
      records: q.records.filter((r) => ids.has(r.id)),
      counts: q.counts.filter((c) => ids.has(c.id)),
    };
    return { queue: q, plays };
  }
  const maxRecords = limits.maxRecords ?? MAX_BATCH_RECORDS;
  const maxCounts = limits.maxCounts ?? MAX_BATCH_COUNTS;
  const maxBytes = limits.maxBytes ?? 56 * 1024;
  const records: PlayRecord[] = [];
  const counts: PlayCount[] = [];
  let bytes = 0;
  for (const c of q.counts) {
    if (counts.length >= maxCounts) break;
    const size = sizeOf(c);
    if (bytes + size > maxBytes) break;
    counts.push(c);
    bytes += size;
  }
  for (const r of q.records) {
    if (records.length >= maxRecords) break;
    const size = sizeOf(r);
    if (bytes + size > maxBytes) break;
    records.push(r);
    bytes += size;
  }
  if (records.length === 0 && counts.length === 0) return { queue: q, plays: undefined };
  const id = newBatchId();
  const ids = [...records.map((r) => r.id), ...counts.map((c) => c.id)];
  const sent = new Set(q.sent);
  for (const i of ids) sent.add(i);
  return { queue: { ...q, sent, batch: { id, ids } }, plays: { batch: id, records, counts } };
}

/**
 * The server acknowledged `batchId`: the ids that request carried leave the queue.
 * `ids` are those of the request the answer belongs to; an ack naming another
 * batch changes nothing.
 */
export function acknowledge(q: PlayQueue, batchId: string, ids: readonly string[]): PlayQueue {
  if (q.batch?.id !== batchId) return q;
  const gone = new Set(ids);
  const sent = new Set([...q.sent].filter((i) => !gone.has(i)));
  return {
    records: q.records.filter((r) => !gone.has(r.id)),
    counts: q.counts.filter((c) => !gone.has(c.id)),
    sent,
    batch: undefined,
  };
}
