/**
 * Telemetry in the server's SQLite file (db.ts): the players seen, each one's
 * latest heartbeat and a bounded history, proof-of-play records and hourly counts,
 * and on a centre's box the outbox of what is still to forward upstream.
 *
 * One transaction per heartbeat or forward batch: a refused or interrupted one
 * leaves nothing behind, and the answer (the ack) goes out only after the commit.
 * Records and counts are keyed by (player, id), so a retried batch is stored once
 * (INSERT OR IGNORE), here and again at the publisher.
 */
import type { Db } from '../db.ts';
import { migrate } from '../db.ts';
import {
  STATUS_KEYS,
  type ForwardBatch,
  type Heartbeat,
  type PlayCountBody,
  type PlayRecordBody,
  type ScreenStatus,
} from './schema.ts';

export const TELEMETRY_MIGRATIONS: readonly string[] = [
  `CREATE TABLE players (
    id TEXT PRIMARY KEY,
    name TEXT,
    channel TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    -- the heartbeat interval it was asked for, in seconds
    interval_s INTEGER NOT NULL,
    -- the box it was forwarded by, NULL when it reports to this server directly
    via TEXT,
    -- its latest heartbeat without the plays (JSON)
    status TEXT NOT NULL,
    -- on a box: the last_seen the upstream acknowledged, and whether something worth telling it at once changed since
    forwarded_seen INTEGER,
    changed INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX players_channel ON players (channel);
  CREATE TABLE heartbeats (
    player TEXT NOT NULL,
    at INTEGER NOT NULL,
    status TEXT NOT NULL
  ) STRICT;
  CREATE INDEX heartbeats_player ON heartbeats (player, at);
  CREATE INDEX heartbeats_at ON heartbeats (at);
  CREATE TABLE plays (
    player TEXT NOT NULL,
    id TEXT NOT NULL,
    channel TEXT NOT NULL,
    item TEXT NOT NULL,
    version INTEGER NOT NULL,
    start INTEGER NOT NULL,
    shown_s REAL NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (player, id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX plays_channel_start ON plays (channel, start);
  CREATE TABLE play_counts (
    player TEXT NOT NULL,
    id TEXT NOT NULL,
    channel TEXT NOT NULL,
    item TEXT NOT NULL,
    version INTEGER NOT NULL,
    hour INTEGER NOT NULL,
    plays INTEGER NOT NULL,
    shown_s REAL NOT NULL,
    skipped INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (player, id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX play_counts_channel_hour ON play_counts (channel, hour);
  CREATE TABLE telemetry_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('record', 'count')),
    body TEXT NOT NULL
  ) STRICT;
  CREATE TABLE relay_boxes (
    id TEXT PRIMARY KEY,
    last_contact INTEGER NOT NULL,
    every_s INTEGER NOT NULL
  ) STRICT;`,
  // The per-player budget of new plays (PLAYS_PER_HOUR) counts what arrived in the last hour.
  `CREATE INDEX plays_player_received ON plays (player, received_at);
  CREATE INDEX play_counts_player_received ON play_counts (player, received_at);`,
];

/** History kept per player: 7 days, and never more rows than 7 days at one heartbeat a minute. */
export const HISTORY_MS = 7 * 86_400_000;
export const HISTORY_ROWS = 7 * 24 * 60;
const PRUNE_EVERY_MS = 10 * 60_000;

export interface PlayerRow {
  id: string;
  name: string | null;
  channel: string;
  firstSeen: number;
  lastSeen: number;
  intervalS: number;
  via: string | null;
  status: ScreenStatus;
}

export interface BoxRow {
  id: string;
  lastContact: number;
  everyS: number;
}

export interface StoredRecord {
  player: string;
  id: string;
  channel: string;
  item: string;
  version: number;
  start: number;
  shownS: number;
  outcome: string;
  reason: string | null;
}

export interface StoredCount {
  player: string;
  id: string;
  channel: string;
  item: string;
  version: number;
  hour: number;
  plays: number;
  shownS: number;
  skipped: number;
}

export interface OutboxRow {
  seq: number;
  kind: 'record' | 'count';
  body: string;
}

export interface IngestResult {
  /** Records and counts stored now (the rest were already there: a retry). */
  records: number;
  counts: number;
  /** Whether the player was seen for the first time. */
  registered: boolean;
  /**
   * The plays were not stored: they would pass the player's PLAYS_PER_HOUR. The
   * status was; the answer does not acknowledge the batch, so the player sends it again.
   */
  deferred: boolean;
}

/** What, in a heartbeat, is worth telling the upstream before the next keep-alive. */
function signature(s: ScreenStatus): string {
  return JSON.stringify([
    s.channel,
    s.state,
    s.painting?.ok ?? null,
    s.power ?? null,
    s.manifest?.version ?? null,
    s.errors?.length ?? 0,
  ]);
}

/** The heartbeat's status fields (what the fleet view shows), without the plays or, forwarded, the box's own. */
function statusOf(hb: Heartbeat | ForwardBatch['heartbeats'][number]): ScreenStatus {
  return Object.fromEntries(STATUS_KEYS.map((key) => [key, hb[key]])) as ScreenStatus;
}

/**
 * Players are registered on their first heartbeat, without credentials: past this
 * many, new ids are refused, so that a script inventing ids cannot fill the disk
 * and the fleet view (every public office of the country is a few thousand screens).
 */
export const MAX_PLAYERS = 20_000;

/**
 * New proof-of-play entries (records and counts) one player may add in an hour.
 * A screen shows a few hundred items an hour; after a long outage its queue
 * (5,000 entries at most, older ones merged into hourly counts) drains within
 * this budget or over the next hours. A script sending invented records under
 * one id is held to it, so it cannot fill the disk faster than a few screens.
 */
export const PLAYS_PER_HOUR = 6000;

/** Thrown (and the transaction rolled back) when a heartbeat would pass the player's PLAYS_PER_HOUR. */
export class TooManyPlays extends Error {
  override name = 'TooManyPlays';
}

/** Thrown (and the transaction rolled back) when a new player would pass the cap. */
export class TooManyPlayers extends Error {
  override name = 'TooManyPlayers';
}

export class TelemetryStore {
  private lastPrune = 0;
  private readonly q;

  constructor(
    readonly db: Db,
    /** On a box: also queue new records and counts for the upstream. */
    private readonly outbox = false,
    private readonly maxPlayers = MAX_PLAYERS,
    private readonly playsPerHour = PLAYS_PER_HOUR,
  ) {
    migrate(db, 'telemetry', TELEMETRY_MIGRATIONS);
    this.q = {
      player: db.prepare('SELECT status, last_seen FROM players WHERE id = ?'),
      playerCount: db.prepare('SELECT count(*) AS n FROM players'),
      recentPlays: db.prepare(
        `SELECT (SELECT count(*) FROM plays WHERE player = @player AND received_at > @since)
              + (SELECT count(*) FROM play_counts WHERE player = @player AND received_at > @since) AS n`,
      ),
      insertPlayer: db.prepare(
        `INSERT INTO players (id, name, channel, first_seen, last_seen, interval_s, via, status, changed)
         VALUES (@id, @name, @channel, @firstSeen, @lastSeen, @intervalS, @via, @status, 1)`,
      ),
      updatePlayer: db.prepare(
        `UPDATE players SET name = coalesce(@name, name), channel = @channel, last_seen = @lastSeen,
           interval_s = @intervalS, via = @via, status = @status, changed = changed OR @changed
         WHERE id = @id`,
      ),
      history: db.prepare('INSERT INTO heartbeats (player, at, status) VALUES (?, ?, ?)'),
      capHistory: db.prepare(
        `DELETE FROM heartbeats WHERE player = @player AND at < (
           SELECT at FROM heartbeats WHERE player = @player ORDER BY at DESC LIMIT 1 OFFSET @keep)`,
      ),
      record: db.prepare(
        `INSERT OR IGNORE INTO plays (player, id, channel, item, version, start, shown_s, outcome, reason, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      count: db.prepare(
        `INSERT OR IGNORE INTO play_counts (player, id, channel, item, version, hour, plays, shown_s, skipped, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      queue: db.prepare('INSERT INTO telemetry_outbox (kind, body) VALUES (?, ?)'),
      box: db.prepare(
        `INSERT INTO relay_boxes (id, last_contact, every_s) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET last_contact = max(last_contact, excluded.last_contact), every_s = excluded.every_s`,
      ),
    };
  }

  /** Registers or updates the player and its latest status; returns whether it is new. */
  private upsertPlayer(
    id: string,
    status: ScreenStatus,
    seenAt: number,
    intervalS: number,
    via: string | null,
    firstSeen = seenAt,
  ): boolean {
    const prev = this.q.player.get(id) as { status: string; last_seen: number } | undefined;
    if (!prev && (this.q.playerCount.get() as { n: number }).n >= this.maxPlayers)
      throw new TooManyPlayers(`${this.maxPlayers} players are registered already; ${id} is refused`);
    const json = JSON.stringify(status);
    const row = {
      id,
      name: status.name ?? null,
      channel: status.channel,
      firstSeen,
      lastSeen: seenAt,
      intervalS,
      via,
      status: json,
    };
    if (!prev) {
      this.q.insertPlayer.run(row);
    } else if (seenAt >= prev.last_seen) {
      // An older heartbeat (a forward batch that arrives late) goes to the history only.
      const changed = signature(JSON.parse(prev.status) as ScreenStatus) !== signature(status) ? 1 : 0;
      this.q.updatePlayer.run({ ...row, changed });
    }
    this.q.history.run(id, seenAt, json);
    return !prev;
  }

  private insertRecord(player: string, channel: string, r: PlayRecordBody, now: number): boolean {
    const start = Date.parse(r.start);
    const done =
      this.q.record.run(
        player,
        r.id,
        channel,
        r.item,
        r.version,
        start,
        r.shownS,
        r.outcome,
        r.reason ?? null,
        now,
      ).changes > 0;
    if (done && this.outbox) this.q.queue.run('record', JSON.stringify({ player, channel, ...r }));
    return done;
  }

  private insertCount(player: string, channel: string, c: PlayCountBody, now: number): boolean {
    const done =
      this.q.count.run(
        player,
        c.id,
        channel,
        c.item,
        c.version,
        Date.parse(c.hour),
        c.plays,
        c.shownS,
        c.skipped,
        now,
      ).changes > 0;
    if (done && this.outbox) this.q.queue.run('count', JSON.stringify({ player, channel, ...c }));
    return done;
  }

  /** Stores one heartbeat and its plays in one transaction. */
  ingestHeartbeat(hb: Heartbeat, receivedAt: number, intervalS: number): IngestResult {
    // Whole milliseconds: a trusted clock runs on performance.now(), and the columns are STRICT integers.
    receivedAt = Math.floor(receivedAt);
    const plays = this.db.transaction(() => {
      let records = 0;
      let counts = 0;
      for (const r of hb.plays?.records ?? [])
        if (this.insertRecord(hb.player, hb.channel, r, receivedAt)) records++;
      for (const c of hb.plays?.counts ?? [])
        if (this.insertCount(hb.player, hb.channel, c, receivedAt)) counts++;
      // Checked after the inserts, so that only new entries count (a retried batch costs
      // nothing); past the budget the plays are rolled back (a savepoint), not the status.
      if (records + counts > 0) {
        const recent = (
          this.q.recentPlays.get({ player: hb.player, since: receivedAt - 3_600_000 }) as { n: number }
        ).n;
        if (recent > this.playsPerHour)
          throw new TooManyPlays(
            `${hb.player} would pass ${this.playsPerHour} new plays in an hour; send the rest later`,
          );
      }
      return { records, counts };
    });
    const result = this.db.transaction((): IngestResult => {
      const registered = this.upsertPlayer(hb.player, statusOf(hb), receivedAt, intervalS, null);
      try {
        return { ...plays(), registered, deferred: false };
      } catch (e) {
        if (!(e instanceof TooManyPlays)) throw e;
        return { records: 0, counts: 0, registered, deferred: true };
      }
    })();
    this.maybePrune(receivedAt);
    return result;
  }

  /** Stores a box's forward batch in one transaction (at the publisher). */
  ingestForward(batch: ForwardBatch, receivedAt: number): { records: number; counts: number } {
    receivedAt = Math.floor(receivedAt);
    const result = this.db.transaction(() => {
      this.q.box.run(batch.box, receivedAt, batch.everyS);
      for (const hb of batch.heartbeats) {
        // The box's clock may be ahead: a screen is never seen after the batch arrived.
        const seenAt = Math.min(Date.parse(hb.seenAt), receivedAt);
        this.upsertPlayer(
          hb.player,
          statusOf(hb),
          seenAt,
          hb.intervalS,
          batch.box,
          Math.min(Date.parse(hb.firstSeen), seenAt),
        );
      }
      let records = 0;
      let counts = 0;
      for (const { player, channel, ...r } of batch.records)
        if (this.insertRecord(player, channel, r, receivedAt)) records++;
      for (const { player, channel, ...c } of batch.counts)
        if (this.insertCount(player, channel, c, receivedAt)) counts++;
      return { records, counts };
    })();
    this.maybePrune(receivedAt);
    return result;
  }

  private maybePrune(now: number): void {
    if (now - this.lastPrune < PRUNE_EVERY_MS && now >= this.lastPrune) return;
    this.lastPrune = now;
    this.prune(now);
  }

  /** Drops history older than HISTORY_MS, and past HISTORY_ROWS per player (a player that sends too often). */
  prune(now: number): number {
    let changes = this.db.prepare('DELETE FROM heartbeats WHERE at < ?').run(now - HISTORY_MS).changes;
    for (const { id } of this.db.prepare('SELECT id FROM players').all() as { id: string }[])
      changes += this.q.capHistory.run({ player: id, keep: HISTORY_ROWS - 1 }).changes;
    return changes;
  }

  players(channel?: string): PlayerRow[] {
    const rows = (
      channel === undefined
        ? this.db.prepare('SELECT * FROM players ORDER BY channel, id').all()
        : this.db.prepare('SELECT * FROM players WHERE channel = ? ORDER BY id').all(channel)
    ) as {
      id: string;
      name: string | null;
      channel: string;
      first_seen: number;
      last_seen: number;
      interval_s: number;
      via: string | null;
      status: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      channel: r.channel,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      intervalS: r.interval_s,
      via: r.via,
      status: JSON.parse(r.status) as ScreenStatus,
    }));
  }

  boxes(): Map<string, BoxRow> {
    const rows = this.db.prepare('SELECT id, last_contact, every_s FROM relay_boxes').all() as {
      id: string;
      last_contact: number;
      every_s: number;
    }[];
    return new Map(rows.map((r) => [r.id, { id: r.id, lastContact: r.last_contact, everyS: r.every_s }]));
  }

  historyOf(player: string, since = 0): { at: number; status: ScreenStatus }[] {
    const rows = this.db
      .prepare('SELECT at, status FROM heartbeats WHERE player = ? AND at >= ? ORDER BY at')
      .all(player, since) as { at: number; status: string }[];
    return rows.map((r) => ({ at: r.at, status: JSON.parse(r.status) as ScreenStatus }));
  }

  /**
   * The channel's plays in [from, to), records and counts together, summed per
   * quarter hour and item (every zone's offset is whole quarter hours, so each
   * quarter falls on one local day): a year of reports without loading a record.
   */
  playSums(
    channel: string,
    from: number,
    to: number,
  ): { quarter: number; item: string; plays: number; skipped: number; seconds: number }[] {
    return this.db
      .prepare(
        `SELECT start / 900000 AS quarter, item, count(*) AS plays,
                sum(outcome = 'skipped') AS skipped, sum(shown_s) AS seconds
         FROM plays WHERE channel = @channel AND start >= @from AND start < @to GROUP BY quarter, item
         UNION ALL
         SELECT hour / 900000 AS quarter, item, sum(plays), sum(skipped), sum(shown_s)
         FROM play_counts WHERE channel = @channel AND hour >= @from AND hour < @to GROUP BY quarter, item`,
      )
      .all({ channel, from, to }) as {
      quarter: number;
      item: string;
      plays: number;
      skipped: number;
      seconds: number;
    }[];
  }

  /** How many records and counts [from, to) holds for the channel. */
  playTotals(channel: string, from: number, to: number): { records: number; counts: number } {
    const n = (sql: string) => (this.db.prepare(sql).get({ channel, from, to }) as { n: number }).n;
    return {
      records: n(
        'SELECT count(*) AS n FROM plays WHERE channel = @channel AND start >= @from AND start < @to',
      ),
      counts: n(
        'SELECT count(*) AS n FROM play_counts WHERE channel = @channel AND hour >= @from AND hour < @to',
      ),
    };
  }

  /**
   * The channel's records and counts in [from, to), by start (a count's hour), read
   * an hour at a time: no statement stays open between windows, so a report
   * streamed to a slow client never keeps the connection busy (better-sqlite3
   * refuses other statements while an iterator is open) and heartbeats go on
   * being stored; each window is an index range.
   */
  *iteratePlays(
    channel: string,
    from: number,
    to: number,
    windowMs = 3600_000,
  ): Generator<(StoredRecord & { kind: 'record' }) | (StoredCount & { kind: 'count'; start: number })> {
    const records = this.db.prepare(
      `SELECT 'record' AS kind, player, id, channel, item, version, start, shown_s AS shownS, outcome, reason
       FROM plays WHERE channel = ? AND start >= ? AND start < ?`,
    );
    const counts = this.db.prepare(
      `SELECT 'count' AS kind, player, id, channel, item, version, hour AS start, hour, plays, shown_s AS shownS, skipped
       FROM play_counts WHERE channel = ? AND hour >= ? AND hour < ?`,
    );
    type Row = (StoredRecord & { kind: 'record' }) | (StoredCount & { kind: 'count'; start: number });
    const order = (a: Row, b: Row) =>
      a.start - b.start ||
      (a.player < b.player ? -1 : a.player > b.player ? 1 : 0) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
      (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0);
    for (let t = from; t < to; t += windowMs) {
      const end = Math.min(t + windowMs, to);
      const rows = [...(records.all(channel, t, end) as Row[]), ...(counts.all(channel, t, end) as Row[])];
      yield* rows.sort(order);
    }
  }

  // ---------------------------------------------------------------- outbox (box side)

  outboxSize(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM telemetry_outbox').get() as { n: number }).n;
  }

  /** The number of queued rows, counted up to `limit` only (cheap on a week's backlog). */
  outboxCount(limit: number): number {
    return (
      this.db.prepare('SELECT count(*) AS n FROM (SELECT 1 FROM telemetry_outbox LIMIT ?)').get(limit) as {
        n: number;
      }
    ).n;
  }

  /** The oldest queued records and counts, in order. */
  outboxHead(limit: number): OutboxRow[] {
    return this.db
      .prepare('SELECT seq, kind, body FROM telemetry_outbox ORDER BY seq LIMIT ?')
      .all(limit) as OutboxRow[];
  }

  /** Players whose latest heartbeat the upstream has not acknowledged, and whether one changed. */
  unforwarded(): { players: (PlayerRow & { changed: boolean })[] } {
    const rows = this.db
      .prepare(
        'SELECT id, changed FROM players WHERE via IS NULL AND (forwarded_seen IS NULL OR last_seen > forwarded_seen)',
      )
      .all() as { id: string; changed: number }[];
    if (rows.length === 0) return { players: [] };
    const changed = new Map(rows.map((r) => [r.id, r.changed === 1]));
    return {
      players: this.players()
        .filter((p) => changed.has(p.id))
        .map((p) => ({ ...p, changed: changed.get(p.id)! })),
    };
  }

  /** After the upstream's ack: the rows sent are deleted, the heartbeats sent marked. */
  acknowledge(
    seqs: { first: number; last: number } | undefined,
    players: { id: string; lastSeen: number }[],
  ): void {
    this.db.transaction(() => {
      if (seqs)
        this.db.prepare('DELETE FROM telemetry_outbox WHERE seq BETWEEN ? AND ?').run(seqs.first, seqs.last);
      const mark = this.db.prepare(
        'UPDATE players SET forwarded_seen = @seen, changed = CASE WHEN last_seen = @seen THEN 0 ELSE changed END WHERE id = @id',
      );
      for (const p of players) mark.run({ id: p.id, seen: p.lastSeen });
    })();
  }
}
