/**
 * The bodies of docs/telemetry.md, checked at the edge (STYLE.md "Errors"): a
 * player's heartbeat and a box's forward batch. Unknown fields are dropped, not
 * refused, so that a newer player still reports to an older server; a known field
 * of the wrong type or out of range refuses the whole body.
 */
import * as v from 'valibot';
import { jsonPointer } from '../../core/index.ts';

/** Heartbeat bodies are at most 64 KiB (docs/telemetry.md). */
export const HEARTBEAT_MAX_BYTES = 64 * 1024;
/** docs/telemetry.md: at most 500 records and 500 counts per heartbeat. */
export const MAX_RECORDS = 500;
export const MAX_COUNTS = 500;
export const MAX_ERRORS = 20;

const PlayerId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'player ids are [A-Za-z0-9_-]{8,64}'));
const ChannelId = v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,64}$/, 'channel ids are [a-z0-9-]{1,64}'));
/** Record, count and batch ids: unique per player, printable, short. */
const RecordId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.:-]{1,80}$/, 'ids are [A-Za-z0-9_.:-]{1,80}'));
const ItemId = v.pipe(v.string(), v.minLength(1), v.maxLength(120));
const Instant = v.pipe(v.string(), v.isoTimestamp('an ISO 8601 timestamp such as 2026-12-01T09:00:00.000Z'));
const Seconds = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1e9));
const Count = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(1e9));
/** A browser's storage quota can be a large share of the disk: terabytes are plausible. */
const Bytes = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const Version = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(0xffffffff));
const Text = (max: number) => v.pipe(v.string(), v.maxLength(max));

export const PLAYER_STATES = ['loading', 'playing', 'stale', 'no-content'] as const;
export const POWER_STATES = ['ok', 'eco', 'crit'] as const;
export const OUTCOMES = ['completed', 'skipped'] as const;
export const SKIP_REASONS = ['error', 'stalled', 'watchdog', 'schedule', 'power'] as const;

const PlayRecord = v.object({
  id: RecordId,
  item: ItemId,
  version: Version,
  start: Instant,
  shownS: Seconds,
  outcome: v.picklist(OUTCOMES),
  reason: v.nullish(v.picklist(SKIP_REASONS)),
});

const PlayCount = v.object({
  id: RecordId,
  item: ItemId,
  version: Version,
  hour: Instant,
  plays: Count,
  shownS: Seconds,
  skipped: v.optional(Count, 0),
});

/** What a heartbeat says about the screen, apart from its plays: kept as the latest and in the history. */
const statusEntries = {
  name: v.nullish(Text(80)),
  channel: ChannelId,
  sentAt: Instant,
  uptimeS: v.nullish(Seconds),
  state: v.picklist(PLAYER_STATES),
  manifest: v.nullish(v.object({ version: Version, ageS: v.nullish(Seconds) })),
  item: v.nullish(ItemId),
  clockSkewS: v.nullish(v.pipe(v.number(), v.finite())),
  cache: v.nullish(v.object({ usedBytes: v.nullish(Bytes), quotaBytes: v.nullish(Bytes) })),
  painting: v.nullish(
    v.object({
      ok: v.boolean(),
      framesPresented: v.nullish(Count),
      visible: v.nullish(v.boolean()),
      videoAdvancing: v.nullish(v.boolean()),
      reason: v.nullish(Text(40)),
    }),
  ),
  power: v.nullish(v.picklist(POWER_STATES)),
  errors: v.nullish(v.pipe(v.array(v.object({ at: Instant, message: Text(500) })), v.maxLength(MAX_ERRORS))),
};

/** The fields of a ScreenStatus, as the schema lists them. */
export const STATUS_KEYS = Object.keys(statusEntries) as (keyof typeof statusEntries)[];

export const HeartbeatSchema = v.object({
  v: v.literal(1),
  player: PlayerId,
  ...statusEntries,
  plays: v.nullish(
    v.object({
      batch: RecordId,
      records: v.optional(v.pipe(v.array(PlayRecord), v.maxLength(MAX_RECORDS)), []),
      counts: v.optional(v.pipe(v.array(PlayCount), v.maxLength(MAX_COUNTS)), []),
    }),
  ),
});

export type Heartbeat = v.InferOutput<typeof HeartbeatSchema>;
export type PlayRecordBody = v.InferOutput<typeof PlayRecord>;
export type PlayCountBody = v.InferOutput<typeof PlayCount>;
/** A heartbeat without its plays: what the fleet view shows. */
export type ScreenStatus = Omit<Heartbeat, 'plays' | 'v' | 'player'>;

/** One forward batch holds at most this many records and counts together. */
export const FORWARD_MAX_ITEMS = 5000;
export const FORWARD_MAX_HEARTBEATS = 1000;

export const ForwardSchema = v.object({
  v: v.literal(1),
  box: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'box ids are [A-Za-z0-9_.-]{1,64}')),
  batch: RecordId,
  sentAt: Instant,
  /** How often the box forwards at least (its keep-alive): the publisher's "down" for its screens. */
  everyS: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(86_400)),
  heartbeats: v.pipe(
    v.array(
      v.object({
        player: PlayerId,
        /** When the box received it. */
        seenAt: Instant,
        /** The interval the box asked the screen for. */
        intervalS: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(86_400)),
        firstSeen: Instant,
        ...statusEntries,
      }),
    ),
    v.maxLength(FORWARD_MAX_HEARTBEATS),
  ),
  records: v.pipe(
    v.array(v.object({ player: PlayerId, channel: ChannelId, ...PlayRecord.entries })),
    v.maxLength(FORWARD_MAX_ITEMS),
  ),
  counts: v.pipe(
    v.array(v.object({ player: PlayerId, channel: ChannelId, ...PlayCount.entries })),
    v.maxLength(FORWARD_MAX_ITEMS),
  ),
});

export type ForwardBatch = v.InferOutput<typeof ForwardSchema>;
export type ForwardBatchInput = v.InferInput<typeof ForwardSchema>;

export interface BodyProblem {
  pointer: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: BodyProblem[] };

export function check<S extends v.GenericSchema>(schema: S, input: unknown): Checked<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  return {
    ok: false,
    problems: result.issues.slice(0, 20).map((issue) => ({
      pointer: jsonPointer((issue.path ?? []).map((p) => p.key as string | number)),
      message: issue.message,
    })),
  };
}
