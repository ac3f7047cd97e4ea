/**
 * For the telemetry tests and benchmark: a real server on 127.0.0.1 with the
 * telemetry routes on a real SQLite file, and heartbeats as a player sends them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { openDatabase, type Db } from '../../src/server/db.ts';
import { telemetryRoutes, type TelemetryRouteOptions } from '../../src/server/telemetry/routes.ts';
import { TelemetryStore } from '../../src/server/telemetry/store.ts';

export interface TelemetryServer {
  url: string;
  dir: string;
  db: Db;
  store: TelemetryStore;
  app: FastifyInstance;
  /** Closes the app and the database, keeping the folder (to reopen it). */
  close(): Promise<void>;
}

export async function tempDir(prefix = 'ccsp-telemetry-'): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A server on the data folder `dir` (its SQLite file is `dir/ccsp.sqlite`); `port` 0 for any. */
export async function startTelemetryServer(
  dir: string,
  options: Partial<TelemetryRouteOptions> & {
    outbox?: boolean;
    port?: number;
    publicDir?: string;
    playsPerHour?: number;
  } = {},
): Promise<TelemetryServer> {
  const db = openDatabase(dir);
  const store = new TelemetryStore(db, options.outbox ?? false, undefined, options.playsPerHour);
  const app = buildApp({
    publicDir: options.publicDir ?? join(dir, 'public'),
    routes: [telemetryRoutes({ acceptForward: true, ...options, store })],
  });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    dir,
    db,
    store,
    app,
    async close() {
      await app.close();
      db.close();
    },
  };
}

export const PLAYER = 'p-3f9c0a1e7d2b4c55';
export const CHANNEL = 'ccsp-lokossa';

export function record(n: number, player = PLAYER, startMs = Date.UTC(2026, 11, 1, 9, 0, 0) + n * 12_000) {
  return {
    id: `r-${player.slice(-4)}-${n}`,
    item: n % 3 === 0 ? 'clip' : 'bienvenue-ccsp',
    version: 7,
    start: new Date(startMs).toISOString(),
    shownS: n % 3 === 0 ? 1.2 : 12,
    outcome: n % 3 === 0 ? 'skipped' : 'completed',
    ...(n % 3 === 0 ? { reason: 'stalled' } : {}),
  };
}

export function heartbeat(overrides: Record<string, unknown> = {}) {
  return {
    v: 1,
    player: PLAYER,
    name: 'Écran salle d’attente',
    channel: CHANNEL,
    sentAt: '2026-12-01T09:00:00.000Z',
    uptimeS: 3600,
    state: 'playing',
    manifest: { version: 7, ageS: 86400 },
    item: 'bienvenue-ccsp',
    clockSkewS: 0,
    cache: { usedBytes: 1234567, quotaBytes: 1000000000 },
    painting: { ok: true, framesPresented: 58, visible: true, videoAdvancing: null, reason: null },
    power: 'ok',
    errors: [],
    ...overrides,
  };
}

export function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: (typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body)) as BodyInit,
  });
}

export function countRows(db: Db, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}
