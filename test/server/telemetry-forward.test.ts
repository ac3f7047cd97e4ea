import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Forwarder, httpSender, type ForwardSender } from '../../src/server/telemetry/forwarder.ts';
import { forwardTarget } from '../../src/server/telemetry/index.ts';
import { FORWARD_MAX_DECOMPRESSED } from '../../src/server/telemetry/routes.ts';
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

// docs/telemetry.md "Box → publisher": two real servers on 127.0.0.1, each on its own SQLite file.

describe('store and forward: box → publisher', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let box: TelemetryServer;
  let publisher: TelemetryServer;
  beforeEach(async () => {
    tmp = await tempDir();
    box = await startTelemetryServer(`${tmp.dir}/box`, { outbox: true, acceptForward: false });
    publisher = await startTelemetryServer(`${tmp.dir}/publisher`);
  });
  afterEach(async () => {
    await box.close();
    await publisher.close();
    await tmp.remove();
  });

  const beat = (records: number[], extra: Record<string, unknown> = {}) =>
    post(
      `${box.url}/api/telemetry/v1/heartbeat`,
      heartbeat({
        plays: { batch: `b-${records[0]}`, records: records.map((n) => record(n)), counts: [] },
        ...extra,
      }),
    );

  it('keeps what screens send, forwards it gzip-compressed, and deletes it from the outbox on the ack only', async () => {
    await beat([1, 2, 3]);
    await post(
      `${box.url}/api/telemetry/v1/heartbeat`,
      heartbeat({
        player: 'p-second-screen',
        name: 'Écran accueil',
        plays: {
          batch: 'b-x',
          records: [record(1, 'p-second-screen')],
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
      }),
    );
    expect(box.store.outboxSize()).toBe(5);
    const seen: Buffer[] = [];
    const real = httpSender(new URL(publisher.url));
    const forwarder = new Forwarder({
      store: box.store,
      upstream: new URL(publisher.url),
      box: 'box-lokossa',
      send: (b) => (seen.push(b), real(b)),
    });
    expect(await forwarder.forwardOnce()).toBe(true);
    expect(seen[0]!.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(box.store.outboxSize()).toBe(0);
    // The box keeps its own copy (its reports), the publisher has everything once.
    expect(countRows(box.db, 'plays')).toBe(4);
    expect(countRows(publisher.db, 'plays')).toBe(4);
    expect(countRows(publisher.db, 'play_counts')).toBe(1);
    const players = publisher.store.players();
    expect(players.map((p) => [p.id, p.name, p.via])).toEqual([
      ['p-3f9c0a1e7d2b4c55', 'Écran salle d’attente', 'box-lokossa'],
      ['p-second-screen', 'Écran accueil', 'box-lokossa'],
    ]);
    expect(publisher.store.boxes().get('box-lokossa')?.everyS).toBe(900);
    // Nothing new: a second batch carries no record, and no heartbeat already acknowledged.
    expect(await forwarder.forwardOnce()).toBe(true);
    const second = JSON.parse((await import('node:zlib')).gunzipSync(seen[1]!).toString()) as Record<
      string,
      unknown[]
    >;
    expect([second.records!.length, second.heartbeats!.length]).toEqual([0, 0]);
  });

  it('a duplicated batch, or one resent after a lost answer, is counted once', async () => {
    await beat([1, 2, 3]);
    const real = httpSender(new URL(publisher.url));
    let lose = true;
    const sent: Buffer[] = [];
    const send: ForwardSender = async (b) => {
      sent.push(b);
      const answer = await real(b);
      if (lose) {
        lose = false;
        throw new Error('socket hang up'); // delivered and stored, but the answer never came back
      }
      return answer;
    };
    const forwarder = new Forwarder({
      store: box.store,
      upstream: new URL(publisher.url),
      box: 'b1',
      send,
      random: () => 0,
    });
    expect(await forwarder.forwardOnce()).toBe(false);
    expect(box.store.outboxSize()).toBe(3);
    expect(countRows(publisher.db, 'plays')).toBe(3);
    expect(await forwarder.forwardOnce()).toBe(true);
    expect(box.store.outboxSize()).toBe(0);
    // The same bytes once more, as a proxy might replay them.
    expect((await real(sent[0]!)).status).toBe(200);
    expect(countRows(publisher.db, 'plays')).toBe(3);
  });

  it('refuses a gzip bomb (decompressed size cap), bad gzip and unknown encodings, storing nothing', async () => {
    const url = `${publisher.url}/api/telemetry/v1/forward`;
    const bomb = gzipSync(Buffer.alloc(FORWARD_MAX_DECOMPRESSED + 1, 0x20));
    const r1 = await post(url, bomb, { 'content-encoding': 'gzip' });
    expect(r1.status).toBe(400);
    expect(((await r1.json()) as { error: { code: string } }).error.code).toBe('too-large');
    const r2 = await post(url, Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' });
    expect(((await r2.json()) as { error: { code: string } }).error.code).toBe('bad-gzip');
    const r3 = await post(url, '{}', { 'content-encoding': 'br' });
    expect(((await r3.json()) as { error: { code: string } }).error.code).toBe('bad-encoding');
    const r4 = await post(url, gzipSync('{"v":1,"box":"b"}'), { 'content-encoding': 'gzip' });
    expect(((await r4.json()) as { error: { code: string } }).error.code).toBe('invalid');
    for (const table of ['players', 'plays', 'relay_boxes']) expect(countRows(publisher.db, table)).toBe(0);
  });

  it('the box does not accept forward batches itself', async () => {
    const res = await post(`${box.url}/api/telemetry/v1/forward`, '{}');
    expect(res.status).toBe(404);
  });

  it('a link that fails backs off with full jitter and keeps everything', async () => {
    await beat([1]);
    let t = Date.UTC(2026, 11, 1, 9);
    const forwarder = new Forwarder({
      store: box.store,
      upstream: new URL('http://127.0.0.1:9/'),
      box: 'b1',
      now: () => t,
      random: () => 0.999,
      send: async () => ({ status: 503, body: undefined, retryAfter: '120' }),
    });
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      const delay = await forwarder.step();
      delays.push(delay);
      t += delay;
    }
    expect(forwarder.state.failures).toBeGreaterThan(3);
    expect(Math.max(...delays)).toBeLessThanOrEqual(60_000); // steps wake at least every minute
    expect(forwarder.state.retryAt - t).toBeLessThanOrEqual(3600_000);
    expect(box.store.outboxSize()).toBe(1);
    expect(PLAYER).toBe(box.store.players()[0]!.id);
  });
});

describe('forward tokens (CCSP_FORWARD_TOKENS on the publisher, CCSP_FORWARD_TOKEN on a box)', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let box: TelemetryServer;
  let publisher: TelemetryServer;
  beforeEach(async () => {
    tmp = await tempDir();
    box = await startTelemetryServer(`${tmp.dir}/box`, { outbox: true, acceptForward: false });
    publisher = await startTelemetryServer(`${tmp.dir}/publisher`, {
      forwardTokens: ['token-of-lokossa', 'token-of-abomey'],
    });
    await post(
      `${box.url}/api/telemetry/v1/heartbeat`,
      heartbeat({ plays: { batch: 'b-1', records: [record(1), record(2)], counts: [] } }),
    );
  });
  afterEach(async () => {
    await box.close();
    await publisher.close();
    await tmp.remove();
  });

  const forwarder = (token: string | undefined) =>
    new Forwarder({ store: box.store, upstream: new URL(publisher.url), box: 'box-lokossa', token });

  it('refuses a batch without a token or with a wrong one (401, nothing stored, the outbox kept)', async () => {
    for (const token of [undefined, 'token-of-lokossaX', 'token-of']) {
      expect(await forwarder(token).forwardOnce()).toBe(false);
      expect(countRows(publisher.db, 'plays')).toBe(0);
      expect(box.store.outboxSize()).toBe(2);
    }
    const res = await fetch(`${publisher.url}/api/telemetry/v1/forward`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer nope' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad-token');
  });

  it('accepts a batch with one of the tokens', async () => {
    expect(await forwarder('token-of-abomey').forwardOnce()).toBe(true);
    expect(countRows(publisher.db, 'plays')).toBe(2);
    expect(box.store.outboxSize()).toBe(0);
  });
});

describe('forwardTarget', () => {
  const upstream = new URL('http://mirror.example/');
  it('is the mirror’s upstream, CCSP_FORWARD_URL, or nothing', () => {
    expect(forwardTarget(undefined, {})).toBeUndefined();
    expect(forwardTarget(upstream, {})).toBe(upstream);
    expect(forwardTarget(upstream, { CCSP_FORWARD_URL: 'https://publisher.example/ccsp/' })?.href).toBe(
      'https://publisher.example/ccsp/',
    );
    expect(forwardTarget(upstream, { CCSP_FORWARD_URL: 'off' })).toBeUndefined();
    expect(() => forwardTarget(upstream, { CCSP_FORWARD_URL: 'publisher' })).toThrow(
      /CCSP_FORWARD_URL must be a URL/,
    );
  });
});
