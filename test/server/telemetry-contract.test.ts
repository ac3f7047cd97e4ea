import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildHeartbeat,
  EMPTY_QUEUE,
  enqueue,
  MAX_BODY_BYTES,
  parseHeartbeatAnswer,
  takeBatch,
  type PlayQueue,
} from '../../src/core/telemetry/index.ts';
import { post, startTelemetryServer, tempDir, type TelemetryServer } from './telemetry-helpers.ts';

// The player's side of docs/telemetry.md (core/telemetry) against the server's: a
// heartbeat the player builds, with a full batch from a queue that overflowed into
// counts, is accepted and stored, and the answer reads back.

describe('player ↔ server contract', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let server: TelemetryServer;
  beforeAll(async () => {
    tmp = await tempDir();
    server = await startTelemetryServer(tmp.dir, { display: () => 'off' });
  });
  afterAll(async () => {
    await server.close();
    await tmp.remove();
  });

  it('accepts what core/telemetry builds, stores every record and count once, and the player reads the answer', async () => {
    let n = 0;
    const newId = () => `c-${(n++).toString(16).padStart(16, '0')}`;
    let queue: PlayQueue = EMPTY_QUEUE;
    const t0 = Date.parse('2026-12-01T08:00:00Z');
    for (let i = 0; i < 1200; i++) {
      queue = enqueue(
        queue,
        {
          id: `r-${i.toString(16).padStart(16, '0')}`,
          item: i % 4 === 0 ? 'clip' : 'bienvenue-ccsp',
          version: 7,
          start: new Date(t0 + i * 12_000).toISOString(),
          shownS: i % 4 === 0 ? 1.23 : 12,
          outcome: i % 4 === 0 ? 'skipped' : 'completed',
          ...(i % 4 === 0 ? { reason: 'stalled' as const } : {}),
        },
        { cap: 1000, newId },
      );
    }
    const body = buildHeartbeat({
      player: 'p-0123456789abcdef',
      name: 'Écran salle d’attente',
      channel: 'ccsp-lokossa',
      now: t0 + 4 * 3600_000,
      uptimeMs: 3_600_000,
      state: 'playing',
      manifest: { version: 7, issued: '2026-11-30T08:00:00Z' },
      item: 'bienvenue-ccsp',
      skewMs: 1500,
      cache: { usage: 1234567.5, quota: 1e9 },
      painting: {
        ok: false,
        framesPresented: 0,
        visible: true,
        videoAdvancing: false,
        reason: 'video-frozen',
      },
      power: 'eco',
      errors: [{ at: new Date(t0).toISOString(), message: 'item clip stalled: no data for 10 s' }],
    });
    const rest = new TextEncoder().encode(JSON.stringify(body)).length;
    const taken = takeBatch(queue, () => 'b-0000000000000001', { maxBytes: MAX_BODY_BYTES - rest - 512 });
    body.plays = taken.plays;
    const sent = taken.plays!;
    expect(sent.counts.length).toBeGreaterThan(0);
    const res = await post(`${server.url}/api/telemetry/v1/heartbeat`, body);
    expect(res.status).toBe(200);
    const answer = parseHeartbeatAnswer(await res.json());
    expect(answer).toMatchObject({ ack: 'b-0000000000000001', intervalS: 60, power: 'ok', display: 'off' });
    const stored = (table: string) =>
      (server.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect([stored('plays'), stored('play_counts')]).toEqual([sent.records.length, sent.counts.length]);
    expect(server.store.players()[0]!.status.painting).toMatchObject({ ok: false, reason: 'video-frozen' });
  });
});
