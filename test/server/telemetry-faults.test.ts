import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Forwarder } from '../../src/server/telemetry/forwarder.ts';
import type { Heartbeat } from '../../src/server/telemetry/schema.ts';
import { freePort } from './serve-process.ts';
import {
  countRows,
  heartbeat,
  post,
  record,
  startTelemetryServer,
  tempDir,
  type TelemetryServer,
} from './telemetry-helpers.ts';

// Issue 7 "fault tests": real servers on 127.0.0.1, real SQLite files, restarts and a week-long outage.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('telemetry under faults', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(async () => {
    await tmp.remove();
  });

  it('the server restarted while heartbeats arrive: every record stored once, the retries finish', async () => {
    const port = await freePort();
    const dir = `${tmp.dir}/server`;
    let server: TelemetryServer | undefined = await startTelemetryServer(dir, { port });
    const url = `http://127.0.0.1:${port}/api/telemetry/v1/heartbeat`;
    const screens = ['p-screen-aaaa', 'p-screen-bbbb', 'p-screen-cccc'];
    const beats = 40;
    let retries = 0;
    /** A player's loop: each batch is sent until the server acknowledges it, as the player does. */
    const player = async (id: string) => {
      for (let b = 0; b < beats; b++) {
        const records = Array.from({ length: 5 }, (_, i) => record(b * 5 + i, id));
        const body = heartbeat({ player: id, plays: { batch: `b-${b}`, records, counts: [] } });
        for (;;) {
          const res = await post(url, body).catch(() => undefined);
          if (res?.status === 200 && ((await res.json()) as { ack: string }).ack === `b-${b}`) break;
          retries++;
          await sleep(5);
        }
      }
    };
    const restarts = (async () => {
      for (let i = 0; i < 3; i++) {
        await sleep(60);
        await server!.close();
        server = undefined;
        await sleep(30);
        server = await startTelemetryServer(dir, { port });
      }
    })();
    await Promise.all([...screens.map(player), restarts]);
    expect(retries).toBeGreaterThan(0);
    expect(countRows(server!.db, 'plays')).toBe(screens.length * beats * 5);
    expect(countRows(server!.db, 'players')).toBe(3);
    await server!.close();
  }, 90_000);

  it('the publisher restarted while a box forwards: nothing lost or doubled', async () => {
    const port = await freePort();
    const first = await startTelemetryServer(`${tmp.dir}/publisher`, { port });
    const box = await startTelemetryServer(`${tmp.dir}/box`, { outbox: true, acceptForward: false });
    const forwarder = new Forwarder({
      store: box.store,
      upstream: new URL(`http://127.0.0.1:${port}/`),
      box: 'box-1',
      maxItems: 50,
    });
    const total = 600;
    for (let b = 0; b < total / 20; b++) {
      const records = Array.from({ length: 20 }, (_, i) => record(b * 20 + i));
      await post(
        `${box.url}/api/telemetry/v1/heartbeat`,
        heartbeat({ plays: { batch: `b-${b}`, records, counts: [] } }),
      );
    }
    let failures = 0;
    const drain = (async () => {
      while (box.store.outboxSize() > 0) {
        if (await forwarder.forwardOnce()) continue;
        failures++;
        await sleep(5);
      }
    })();
    await sleep(20);
    await first.close();
    await sleep(50);
    const publisher = await startTelemetryServer(`${tmp.dir}/publisher`, { port });
    await drain;
    expect(failures).toBeGreaterThan(0);
    expect(countRows(publisher.db, 'plays')).toBe(total);
    await publisher.close();
    await box.close();
  }, 90_000);

  it('the link down for a week: the outbox holds it all, and it all arrives once when the upstream returns', async () => {
    const port = await freePort(); // nothing listens there yet: connection refused
    const box = await startTelemetryServer(`${tmp.dir}/box`, { outbox: true, acceptForward: false });
    const start = Date.parse('2026-11-30T00:00:00+01:00'); // a Monday in Porto-Novo
    let now = start;
    const forwarder = new Forwarder({
      store: box.store,
      upstream: new URL(`http://127.0.0.1:${port}/`),
      box: 'box-lokossa',
      now: () => now,
    });
    const screens = ['p-screen-salle', 'p-screen-accueil'];
    const counters = new Map(screens.map((s) => [s, 0]));
    let nextStep = now;
    let attempts = 0;
    const day = 86_400_000;
    // A heartbeat a minute from each screen; during 10 hours a day, 5 plays a minute each.
    for (; now < start + 7 * day; now += 60_000) {
      const hour = ((now - start) % day) / 3600_000;
      for (const player of screens) {
        const plays = hour >= 8 && hour < 18 ? 5 : 0;
        const first = counters.get(player)!;
        counters.set(player, first + plays);
        const records = Array.from({ length: plays }, (_, i) =>
          record(first + i, player, now - 60_000 + i * 12_000),
        );
        const hb = heartbeat({
          player,
          sentAt: new Date(now).toISOString(),
          ...(plays ? { plays: { batch: `b-${first}`, records, counts: [] } } : {}),
        }) as unknown as Heartbeat;
        box.store.ingestHeartbeat(hb, now, 60);
      }
      if (now >= nextStep) {
        const before = forwarder.state.failures;
        nextStep = now + (await forwarder.step());
        if (forwarder.state.failures > before) attempts++;
      }
    }
    const lastBeat = now - 60_000;
    const total = [...counters.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(2 * 7 * 10 * 60 * 5);
    expect(box.store.outboxSize()).toBe(total);
    expect(forwarder.state.batches).toBe(0);
    // Back-off: about one try an hour once it has grown, not one a minute.
    expect(attempts).toBeGreaterThan(7 * 24 * 0.5);
    expect(attempts).toBeLessThan(7 * 24 * 3);

    const publisher = await startTelemetryServer(`${tmp.dir}/publisher`, { port, now: () => now });
    for (let i = 0; i < 200 && box.store.outboxSize() > 0; i++) {
      now = Math.max(now, forwarder.state.retryAt);
      now += await forwarder.step();
    }
    expect(box.store.outboxSize()).toBe(0);
    expect(countRows(publisher.db, 'plays')).toBe(total);
    const perPlayer = publisher.db
      .prepare('SELECT player, count(*) AS n FROM plays GROUP BY player ORDER BY player')
      .all();
    expect(perPlayer).toEqual([
      { player: 'p-screen-accueil', n: total / 2 },
      { player: 'p-screen-salle', n: total / 2 },
    ]);
    // The publisher knows when the box last heard each screen, not when the batch came.
    expect(publisher.store.players().map((p) => p.lastSeen)).toEqual([lastBeat, lastBeat]);
    await publisher.close();
    await box.close();
  }, 180_000);
});
