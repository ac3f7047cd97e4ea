import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db.ts';
import { check, HeartbeatSchema } from '../../src/server/telemetry/schema.ts';
import { HISTORY_ROWS, TelemetryStore, TooManyPlayers } from '../../src/server/telemetry/store.ts';
import {
  countRows,
  heartbeat,
  PLAYER,
  post,
  record,
  startTelemetryServer,
  tempDir,
  type TelemetryServer,
} from './telemetry-helpers.ts';

// Issue 7, docs/telemetry.md "Player → its server": a real server on 127.0.0.1, a real SQLite file.

describe('POST /api/telemetry/v1/heartbeat', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let server: TelemetryServer;
  let url: string;
  beforeEach(async () => {
    tmp = await tempDir();
    server = await startTelemetryServer(tmp.dir, {
      power: { read: async () => 'eco' },
      display: (channel) => (channel === 'ccsp-lokossa' ? 'off' : 'on'),
      intervalS: 45,
    });
    url = `${server.url}/api/telemetry/v1/heartbeat`;
  });
  afterEach(async () => {
    await server.close();
    await tmp.remove();
  });

  const nothingStored = () => {
    for (const table of ['players', 'heartbeats', 'plays', 'play_counts'])
      expect(countRows(server.db, table)).toBe(0);
  };

  it('registers an unknown player, stores the heartbeat and its plays, and answers with the ack, power and display', async () => {
    const hb = heartbeat({
      plays: {
        batch: 'b-1',
        records: [record(1), record(3)],
        counts: [
          {
            id: 'c-1',
            item: 'bienvenue-ccsp',
            version: 7,
            hour: '2026-11-20T08:00:00.000Z',
            plays: 40,
            shownS: 480,
            skipped: 1,
          },
        ],
      },
    });
    const res = await post(url, hb);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ ack: 'b-1', intervalS: 45, power: 'eco', display: 'off' });
    expect(Math.abs(Date.parse(answer.serverTime as string) - Date.now())).toBeLessThan(5000);
    const [player] = server.store.players();
    expect(player).toMatchObject({
      id: PLAYER,
      name: 'Écran salle d’attente',
      channel: 'ccsp-lokossa',
      intervalS: 45,
    });
    expect(player!.status.painting?.ok).toBe(true);
    expect(countRows(server.db, 'plays')).toBe(2);
    expect(countRows(server.db, 'play_counts')).toBe(1);
    const skipped = server.db
      .prepare("SELECT outcome, reason, shown_s FROM plays WHERE id = 'r-4c55-3'")
      .get();
    expect(skipped).toEqual({ outcome: 'skipped', reason: 'stalled', shown_s: 1.2 });
  });

  it('a heartbeat without plays answers ack null', async () => {
    const res = await post(url, heartbeat());
    expect(await res.json()).toMatchObject({ ack: null });
    expect(countRows(server.db, 'heartbeats')).toBe(1);
  });

  it('takes a real screen’s cache figures: a storage quota of several terabytes', async () => {
    const res = await post(url, heartbeat({ cache: { usedBytes: 3_500_000_000, quotaBytes: 2 ** 42 } }));
    expect(res.status).toBe(200);
    expect(server.store.players()[0]!.status.cache).toEqual({
      usedBytes: 3_500_000_000,
      quotaBytes: 2 ** 42,
    });
  });

  it('a retried batch is stored once', async () => {
    const hb = heartbeat({ plays: { batch: 'b-2', records: [record(1), record(2)], counts: [] } });
    for (let i = 0; i < 3; i++) expect((await post(url, hb)).status).toBe(200);
    // The retry topped up with a newer record: only that one is new.
    const more = heartbeat({
      plays: { batch: 'b-2', records: [record(1), record(2), record(4)], counts: [] },
    });
    expect((await post(url, more)).status).toBe(200);
    expect(countRows(server.db, 'plays')).toBe(3);
    expect(countRows(server.db, 'heartbeats')).toBe(4);
  });

  it('malformed JSON is a 400 malformed-json, and nothing is stored', async () => {
    const res = await post(url, '{"v": 1, "player": ');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('malformed-json');
    nothingStored();
  });

  it('an empty body, or none, is a 400', async () => {
    expect((await post(url, '')).status).toBe(400);
    expect((await fetch(url, { method: 'POST' })).status).toBe(400);
    nothingStored();
  });

  it('wrong types are a 400 invalid with JSON pointers, and nothing of the body is stored', async () => {
    const bad = heartbeat({
      uptimeS: 'an hour',
      plays: { batch: 'b-3', records: [record(1), { ...record(2), shownS: -1 }], counts: [] },
    });
    const res = await post(url, bad);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; problems: { pointer: string }[] } };
    expect(error.code).toBe('invalid');
    expect(error.problems.map((p) => p.pointer)).toEqual(['/uptimeS', '/plays/records/1/shownS']);
    nothingStored();
  });

  it.each([
    ['a player id too short', { player: 'p-1' }],
    ['an unknown state', { state: 'dancing' }],
    ['an unknown version of the contract', { v: 2 }],
    ['a date that is not ISO 8601', { sentAt: 'yesterday' }],
    ['a JSON array', null],
  ])('refuses %s', async (_name, overrides) => {
    const res = await post(url, overrides === null ? [heartbeat()] : heartbeat(overrides));
    expect(res.status).toBe(400);
    nothingStored();
  });

  it('more than 500 records is a 400', async () => {
    const records = Array.from({ length: 501 }, (_, i) => record(i));
    const res = await post(url, heartbeat({ plays: { batch: 'b-4', records, counts: [] } }));
    expect(res.status).toBe(400);
    nothingStored();
  });

  it('a body over 64 KiB is a 400 too-large, and nothing is stored', async () => {
    const big = heartbeat({ errors: [{ at: '2026-12-01T08:59:10.000Z', message: 'x'.repeat(70_000) }] });
    const res = await post(url, big);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('too-large');
    // Also when the length is not announced (chunked).
    const chunked = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Blob([JSON.stringify(big)]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(400);
    nothingStored();
  });

  it('unknown fields are ignored (a newer player), and a beacon sent as text/plain is read', async () => {
    const res = await post(
      url,
      { ...heartbeat(), battery: 0.5 },
      { 'content-type': 'text/plain;charset=UTF-8' },
    );
    expect(res.status).toBe(200);
    expect(server.store.players()[0]!.status).not.toHaveProperty('battery');
  });

  it('keeps a bounded history per player', async () => {
    const insert = server.db.prepare('INSERT INTO heartbeats (player, at, status) VALUES (?, ?, ?)');
    const start = Date.now() - 3600_000;
    server.db.transaction(() => {
      for (let i = 0; i < HISTORY_ROWS + 50; i++) insert.run(PLAYER, start + i, '{}');
    })();
    await post(url, heartbeat());
    expect(countRows(server.db, 'heartbeats')).toBe(HISTORY_ROWS);
    // And nothing older than 7 days once pruned.
    expect(server.store.prune(Date.now() + 7 * 86_400_000 - 1000)).toBe(HISTORY_ROWS - 1);
    expect(countRows(server.db, 'heartbeats')).toBe(1);
  });

  it('past the cap of registered players, a new id is a 503 and nothing of it is stored', async () => {
    const db = openDatabase(':memory:');
    const store = new TelemetryStore(db, false, 2);
    const hb = (player: string) => {
      const c = check(
        HeartbeatSchema,
        heartbeat({ player, plays: { batch: 'b-1', records: [record(1, player)], counts: [] } }),
      );
      if (!c.ok) throw new Error('invalid');
      return c.value;
    };
    store.ingestHeartbeat(hb('p-screen-aaaa'), 1, 60);
    store.ingestHeartbeat(hb('p-screen-bbbb'), 1, 60);
    expect(() => store.ingestHeartbeat(hb('p-screen-cccc'), 1, 60)).toThrow(TooManyPlayers);
    store.ingestHeartbeat(hb('p-screen-aaaa'), 2, 60); // a known one still reports
    expect(countRows(db, 'players')).toBe(2);
    expect(countRows(db, 'plays')).toBe(2);
    db.close();
  });

  it('holds one player id to its hourly budget of new plays: the status is kept, the batch not acknowledged, a retry later succeeds', async () => {
    const tmp2 = await tempDir();
    const small = await startTelemetryServer(tmp2.dir, { playsPerHour: 5 });
    try {
      const at = `${small.url}/api/telemetry/v1/heartbeat`;
      const batch = (id: string, ns: number[], extra: Record<string, unknown> = {}) =>
        heartbeat({ plays: { batch: id, records: ns.map((n) => record(n)), counts: [] }, ...extra });
      const send = async (body: unknown) => {
        const res = await post(at, body);
        expect(res.status).toBe(200);
        return ((await res.json()) as { ack: string | null }).ack;
      };
      expect(await send(batch('b-1', [1, 2, 3]))).toBe('b-1');
      // Past the budget: no ack, no play stored, but the screen's status is.
      expect(await send(batch('b-2', [4, 5, 6], { item: 'clip' }))).toBe(null);
      expect(countRows(small.db, 'plays')).toBe(3);
      expect(countRows(small.db, 'heartbeats')).toBe(2);
      expect(small.store.players()[0]!.status.item).toBe('clip');
      // A retry of what is stored already costs nothing; within the budget a batch passes.
      expect(await send(batch('b-1', [1, 2, 3]))).toBe('b-1');
      expect(await send(batch('b-3', [4, 5]))).toBe('b-3');
      expect(countRows(small.db, 'plays')).toBe(5);
      // Another player has its own budget.
      expect(
        await send(
          heartbeat({
            player: 'p-other-screen-01',
            plays: { batch: 'b-9', records: [record(1, 'p-other-screen-01')], counts: [] },
          }),
        ),
      ).toBe('b-9');
    } finally {
      await small.close();
      await tmp2.remove();
    }
  });

  it('takes a trusted clock’s fractional milliseconds', () => {
    const db = openDatabase(':memory:');
    const store = new TelemetryStore(db);
    const c = check(HeartbeatSchema, heartbeat());
    if (!c.ok) throw new Error('invalid');
    store.ingestHeartbeat(c.value, 1795853369475.25, 60);
    expect(store.players()[0]!.lastSeen).toBe(1795853369475);
    db.close();
  });
});
