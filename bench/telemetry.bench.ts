/**
 * Telemetry (issue 7 "Benchmarks").
 *
 * 1. Bytes a day on the metered link for a centre's box with two screens: each
 *    screen sends a heartbeat every 60 s all day, with a play every 12 s during
 *    10 opening hours; the box's forwarder (real code, virtual clock) sends gzip
 *    batches to a real publisher over real sockets, and every byte in and out of
 *    the publisher's sockets is counted (request and answer, headers and bodies;
 *    TCP and TLS overhead not included). The mirror's idle manifest polls of the
 *    same day are measured too (a real 304) and added. Baseline: the same day
 *    relayed naively, each heartbeat posted upstream as it came (plain JSON).
 * 2. Heartbeat ingest rate on loopback: POST /api/telemetry/v1/heartbeat with 5
 *    records each (parse, check, one SQLite transaction on a real file), against
 *    a no-op route of the same app that only parses the JSON, both driven by the
 *    same load generator (a child process, 16 keep-alive connections).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_POLL_INTERVAL_MS } from '../src/core/index.ts';
import { buildApp } from '../src/server/app.ts';
import { openDataDir, publishDirectory } from '../src/server/data-dir.ts';
import { openDatabase } from '../src/server/db.ts';
import { nodeFetcher } from '../src/server/mirror.ts';
import { Forwarder, httpSender } from '../src/server/telemetry/forwarder.ts';
import { telemetryRoutes } from '../src/server/telemetry/routes.ts';
import { check, HeartbeatSchema } from '../src/server/telemetry/schema.ts';
import { TelemetryStore } from '../src/server/telemetry/store.ts';
import { ratio, target, type Bench, type BenchRow } from './harness.ts';

const PLAYLISTS = fileURLToPath(new URL('../playlists', import.meta.url));
const CHANNEL = 'ccsp-lokossa';
const DAY = 86_400_000;
const ITEMS = ['bienvenue-ccsp', 'acte-naissance', 'casier-judiciaire', 'clip-anip', 'horaires'];

const hex = (n: number) => randomBytes(n).toString('hex');

/** One heartbeat of a screen, as the player sends it (ids from 8 random bytes, like the player's). */
function screenHeartbeat(player: string, name: string, at: number, plays: number, uptimeS: number) {
  const records = Array.from({ length: plays }, (_, i) => {
    const skipped = Math.random() < 0.02;
    return {
      id: `r-${hex(8)}`,
      item: ITEMS[Math.floor(Math.random() * ITEMS.length)]!,
      version: 7,
      start: new Date(at - 60_000 + i * 12_000).toISOString(),
      shownS: skipped ? 1.2 : 12,
      outcome: skipped ? 'skipped' : 'completed',
      ...(skipped ? { reason: 'stalled' } : {}),
    };
  });
  return {
    v: 1,
    player,
    name,
    channel: CHANNEL,
    sentAt: new Date(at).toISOString(),
    uptimeS,
    state: 'playing',
    manifest: { version: 7, ageS: 3600 + uptimeS },
    item: records.at(-1)?.item ?? 'horaires',
    clockSkewS: 0,
    cache: { usedBytes: 183_456_789, quotaBytes: 1_000_000_000 },
    painting: { ok: true, framesPresented: 3600, visible: true, videoAdvancing: null, reason: null },
    power: 'ok',
    errors: [],
    ...(plays > 0 ? { plays: { batch: `b-${hex(8)}`, records, counts: [] } } : {}),
  };
}

/** Counts the bytes in and out of every socket of the app, once each closes. */
function meter(app: FastifyInstance) {
  const open = new Set<Socket>();
  const traffic = { in: 0, out: 0, requests: 0 };
  let drained: (() => void)[] = [];
  app.server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => {
      traffic.in += socket.bytesRead;
      traffic.out += socket.bytesWritten;
      open.delete(socket);
      if (open.size === 0) drained.splice(0).forEach((f) => f());
    });
  });
  app.addHook('onRequest', async () => {
    traffic.requests++;
  });
  const idle = () => (open.size === 0 ? Promise.resolve() : new Promise<void>((r) => drained.push(r)));
  return {
    traffic,
    idle,
    reset: () => Object.assign(traffic, { in: 0, out: 0, requests: 0 }),
    stop: () => (drained = []),
  };
}

/** A lean POST with one connection, as the forwarder makes. */
function postOnce(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function bytesPerDay(tmp: string): Promise<BenchRow[]> {
  const data = await openDataDir(join(tmp, 'publisher'));
  await publishDirectory(PLAYLISTS, data);
  const publisherDb = openDatabase(join(tmp, 'publisher'));
  const app = buildApp({
    publicDir: data.publicDir,
    routes: [telemetryRoutes({ store: new TelemetryStore(publisherDb), acceptForward: true })],
  });
  const m = meter(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/`;
  const boxDb = openDatabase(join(tmp, 'box'));
  const box = new TelemetryStore(boxDb, true);
  try {
    // The day's heartbeats, from midnight in Porto-Novo: plays 08:00–18:00.
    const start = Date.parse('2026-12-01T00:00:00+01:00');
    const screens = [
      ['p-salle-9f3c0a1e7d2b', 'Écran salle d’attente'],
      ['p-accueil-1c55e0b27a', 'Écran accueil'],
    ] as const;
    const day: { at: number; body: ReturnType<typeof screenHeartbeat> }[] = [];
    for (let at = start + 60_000; at <= start + DAY; at += 60_000) {
      const hour = (at - start) / 3600_000;
      for (const [player, name] of screens)
        day.push({
          at,
          body: screenHeartbeat(player, name, at, hour > 8 && hour <= 18 ? 5 : 0, (at - start) / 1000),
        });
    }

    // The box: ingest each heartbeat at its minute, step the forwarder when it asks.
    let now = start;
    const forwarder = new Forwarder({
      store: box,
      upstream: new URL(base),
      box: 'box-lokossa',
      now: () => now,
      send: httpSender(new URL(base)),
    });
    let next = now;
    m.reset();
    for (const { at, body } of day) {
      now = at;
      const checked = check(HeartbeatSchema, body);
      if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
      box.ingestHeartbeat(checked.value, at, 60);
      if (now >= next) next = now + (await forwarder.step());
    }
    now = start + DAY + 1;
    await forwarder.forwardOnce();
    await m.idle();
    const forwarded = { ...m.traffic };
    if (box.outboxSize() !== 0) throw new Error('the outbox did not drain');
    const stored = (publisherDb.prepare('SELECT count(*) AS n FROM plays').get() as { n: number }).n;

    // The mirror's idle poll, a real 304.
    const fetcher = nodeFetcher();
    const url = `${base}channels/${CHANNEL}/manifest.json`;
    const first = await fetcher(url, { headers: {} });
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();
    await m.idle();
    m.reset();
    const poll = await fetcher(url, { headers: { 'if-none-match': etag } });
    await poll.arrayBuffer();
    await m.idle();
    if (poll.status !== 304) throw new Error(`the idle poll was ${poll.status}, not 304`);
    const pollBytes = m.traffic.in + m.traffic.out;
    const polls = DAY / DEFAULT_POLL_INTERVAL_MS;

    // Baseline: every heartbeat relayed upstream as it came.
    m.reset();
    for (const { body } of day) await postOnce(`${base}api/telemetry/v1/heartbeat`, JSON.stringify(body));
    await m.idle();
    const naive = { ...m.traffic };

    const fwd = forwarded.in + forwarded.out;
    const total = fwd + pollBytes * polls;
    const naiveTotal = naive.in + naive.out;
    const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    return [
      {
        case: `baseline: each heartbeat relayed as plain JSON (${naive.requests} requests)`,
        value: kib(naiveTotal),
        ratio: '1.0×',
      },
      {
        case: `forwarder: ${forwarded.requests} gzip batches, ${stored} records (2 screens, 1 day)`,
        value: `${kib(fwd)} (sent ${kib(forwarded.in)}, answers ${kib(forwarded.out)})`,
        ratio: ratio(fwd, naiveTotal),
      },
      {
        case: `mirror idle polls (${polls} × ${pollBytes} B, 304)`,
        value: kib(pollBytes * polls),
      },
      {
        case: 'box total on the metered link, a day',
        value: kib(total),
        ratio: ratio(total, naiveTotal),
        target: target(total <= 1024 * 1024, '≤ 1 MB/day'),
      },
    ];
  } finally {
    m.stop();
    await app.close();
    publisherDb.close();
    boxDb.close();
  }
}

/** The load generator: a child process with `connections` keep-alive connections for `seconds`. */
const LOAD = `
const http = require('node:http');
const crypto = require('node:crypto');
const [url, seconds, connections, records] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3]), Number(process.argv[4])];
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
let done = 0, errors = 0, n = 0;
const end = Date.now() + seconds * 1000;
const id = () => crypto.randomBytes(8).toString('hex');
function body() {
  const recs = [];
  for (let i = 0; i < records; i++) recs.push({ id: 'r-' + id(), item: 'bienvenue-ccsp', version: 7, start: '2026-12-01T09:00:00.000Z', shownS: 12, outcome: 'completed' });
  return JSON.stringify({ v: 1, player: 'p-load-' + (n++ % 50).toString().padStart(4, '0'), name: 'Écran', channel: 'ccsp-lokossa',
    sentAt: new Date().toISOString(), uptimeS: 60, state: 'playing', manifest: { version: 7, ageS: 60 }, item: 'bienvenue-ccsp',
    clockSkewS: 0, painting: { ok: true, framesPresented: 60, visible: true }, power: 'ok', errors: [],
    plays: { batch: 'b-' + id(), records: recs, counts: [] } });
}
function one() {
  if (Date.now() >= end) return Promise.resolve();
  const b = body();
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(b) } }, (res) => {
      res.resume();
      res.on('end', () => { if (res.statusCode === 200) done++; else errors++; resolve(); });
    });
    req.on('error', () => { errors++; resolve(); });
    req.end(b);
  }).then(one);
}
const t0 = Date.now();
Promise.all(Array.from({ length: connections }, one)).then(() => {
  console.log(JSON.stringify({ rps: done / ((Date.now() - t0) / 1000), errors }));
  agent.destroy();
});
`;

function load(url: string, seconds: number): Promise<{ rps: number; errors: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', LOAD, url, String(seconds), '16', '5'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as { rps: number; errors: number })
        : reject(new Error(`load generator exited with ${code}`)),
    );
  });
}

async function ingestRate(tmp: string): Promise<BenchRow[]> {
  const db = openDatabase(join(tmp, 'ingest'));
  const app = buildApp({
    publicDir: join(tmp, 'ingest', 'public'),
    routes: [
      telemetryRoutes({ store: new TelemetryStore(db) }),
      (a) =>
        a.post('/bench/noop', async (req) => ({
          ack: (req.body as { plays?: { batch?: string } }).plays?.batch ?? null,
        })),
    ],
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  try {
    await load(`${base}/bench/noop`, 1); // warm-up
    await load(`${base}/api/telemetry/v1/heartbeat`, 1);
    const noop = await load(`${base}/bench/noop`, 4);
    const ingest = await load(`${base}/api/telemetry/v1/heartbeat`, 4);
    const stored = (db.prepare('SELECT count(*) AS n FROM plays').get() as { n: number }).n;
    if (noop.errors + ingest.errors > 0) throw new Error(`errors: ${noop.errors} + ${ingest.errors}`);
    return [
      {
        case: 'baseline: no-op POST route, same body, JSON parse only',
        value: `${noop.rps.toFixed(0)} req/s`,
        ratio: '1.0×',
      },
      {
        case: `heartbeat ingest, 5 records each (real SQLite file; ${stored} records stored)`,
        value: `${ingest.rps.toFixed(0)} req/s`,
        ratio: ratio(ingest.rps, noop.rps),
        // 77 centres × 2 screens at one heartbeat a minute is 2.6 req/s: the target is 100 times that.
        target: target(
          ingest.rps >= 2600 / 10,
          '≥ 260 req/s (100× a national fleet of 154 screens at 1/min)',
        ),
      },
    ];
  } finally {
    await app.close();
    db.close();
  }
}

const bench: Bench = {
  title: 'Telemetry: bytes on the metered link (box → publisher) and heartbeat ingest',
  async run() {
    const tmp = await mkdtemp(join(tmpdir(), 'ccsp-bench-telemetry-'));
    try {
      return [...(await bytesPerDay(tmp)), ...(await ingestRate(tmp))];
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  },
};
export default bench;
