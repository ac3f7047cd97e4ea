/**
 * The built player behind the real server, in process: a fresh `vite build` into
 * a temporary folder, the sample playlists signed into a temporary data folder,
 * and `buildApp` listening on a free port of 127.0.0.1. Used by the layout test
 * and bench/player.bench.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { buildApp } from '../../src/server/app.ts';
import { openDataDir, publishDirectory } from '../../src/server/data-dir.ts';
import { openDatabase } from '../../src/server/db.ts';
import { TelemetryStore, telemetryRoutes } from '../../src/server/telemetry/index.ts';

export const REPO = new URL('../..', import.meta.url).pathname;

export interface BuiltPlayer {
  base: string;
  distDir: string;
  close(): Promise<void>;
}

export async function buildPlayer(outDir: string): Promise<void> {
  await build({ root: REPO, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
}

/**
 * `telemetry`: also take the screens' heartbeats (a real SQLite file), as the real
 * server does, so that a long run's proof-of-play queue is acknowledged and drains.
 */
export async function serveBuiltPlayer({ telemetry = false } = {}): Promise<BuiltPlayer> {
  const tmp = mkdtempSync(join(tmpdir(), 'ccsp-built-player-'));
  const distDir = join(tmp, 'dist');
  await buildPlayer(distDir);
  const data = await openDataDir(join(tmp, 'data'));
  const channels = await publishDirectory(join(REPO, 'playlists'), data);
  const db = telemetry ? openDatabase(join(tmp, 'data')) : undefined;
  const app = buildApp({
    publicDir: data.publicDir,
    distDir,
    defaultChannel: channels[0]?.channel,
    // No hourly budget of plays: a benchmark plays a thousand times faster than a screen.
    routes: db
      ? [telemetryRoutes({ store: new TelemetryStore(db, false, undefined, Number.MAX_SAFE_INTEGER) })]
      : [],
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    base: address,
    distDir,
    async close() {
      await app.close();
      db?.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
