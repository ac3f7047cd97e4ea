import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PowerState } from '../../src/core/index.ts';
import type { PlayRecord } from '../../src/core/telemetry/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { openDataDir, publishDirectory, type DataDir } from '../../src/server/data-dir.ts';
import { openDatabase, type Db } from '../../src/server/db.ts';
import { TelemetryStore, telemetryRoutes } from '../../src/server/telemetry/index.ts';
import { CHROME_PATH, CHROMIUM_ARGS } from '../chromium.mjs';
import { buildPlayer, REPO } from './built-player.ts';

// Issue 7, done when: a screen's heartbeats and proof of play reach the server's
// SQLite file; the server stops for a while and starts again on the same file:
// nothing lost, nothing doubled. The built player in real Chromium against the real
// server and its telemetry routes. Time runs 200 times fast (`time-scale` 0.005):
// a 12 s item lasts 60 ms, a heartbeat every 60 s comes every 0.3 s, one simulated
// hour takes 18 s. The queue cap is lowered to 150 (`?telemetry-cap=`) so that the
// outage fills it and old records are merged into counts.

const SCALE = 0.005;
const HOUR_MS = 3_600_000 * SCALE;
const CAP = 150;

let tmp: string;
let distDir: string;
let data: DataDir;
let dbFile: string;
let channel: string;
let port = 0;
let base: string;
let stopServer: (() => Promise<void>) | undefined;
let browser: Browser;
/** The centre's power state the server tells the screens. */
let power: PowerState = 'ok';
let page: Page;

async function startServer(): Promise<void> {
  const db: Db = openDatabase(dbFile, { file: true });
  const store = new TelemetryStore(db);
  const app = buildApp({
    publicDir: data.publicDir,
    distDir,
    defaultChannel: channel,
    routes: [telemetryRoutes({ store, power: { read: async () => power } })],
  });
  base = await app.listen({ host: '127.0.0.1', port });
  port = Number(new URL(base).port);
  stopServer = async () => {
    stopServer = undefined;
    await app.close();
    db.close();
  };
}

interface Sqlite {
  players: { id: string; name: string | null; channel: string; status: string }[];
  heartbeats: number;
  plays: {
    id: string;
    item: string;
    version: number;
    start: number;
    shown_s: number;
    outcome: string;
    reason: string | null;
  }[];
  counts: {
    id: string;
    item: string;
    version: number;
    hour: number;
    plays: number;
    shown_s: number;
    skipped: number;
  }[];
}

/** What the server's SQLite file holds, read by a connection of our own. */
function readSqlite(): Sqlite {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return {
      players: db.prepare('SELECT id, name, channel, status FROM players').all() as Sqlite['players'],
      heartbeats: (db.prepare('SELECT count(*) AS n FROM heartbeats').get() as { n: number }).n,
      plays: db
        .prepare('SELECT id, item, version, start, shown_s, outcome, reason FROM plays ORDER BY start')
        .all() as Sqlite['plays'],
      counts: db
        .prepare('SELECT id, item, version, hour, plays, shown_s, skipped FROM play_counts ORDER BY hour')
        .all() as Sqlite['counts'],
    };
  } finally {
    db.close();
  }
}

/** The telemetry state the player shows in its status overlay. */
const telemetryStatus = () =>
  page.evaluate(() => {
    const status = document.querySelector('ccsp-player')?.shadowRoot?.querySelector('ccsp-status');
    return status?.telemetry;
  });
const logged = () => page.evaluate(() => (window as unknown as { plays: PlayRecord[] }).plays.slice());

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ccsp-telemetry-e2e-'));
  distDir = join(tmp, 'dist');
  await buildPlayer(distDir);
  data = await openDataDir(join(tmp, 'data'));
  dbFile = join(tmp, 'data', 'ccsp.sqlite');
  const channels = await publishDirectory(join(REPO, 'playlists'), data);
  channel = channels[0]!.channel;
  await startServer();
  browser = await chromium.launch({ executablePath: CHROME_PATH, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 960, height: 540 } });
  await context.addInitScript(
    ({ scale }) => {
      // Every play the player records (ccsp-play), as the test's log to compare with SQLite.
      const w = window as unknown as { plays: unknown[] };
      w.plays = [];
      document.addEventListener('ccsp-play', (e) => w.plays.push((e as CustomEvent).detail));
      // Fast time, no fade, every item in turn whatever the hour: set before the channel loads.
      new MutationObserver((_, observer) => {
        const player = document.querySelector('ccsp-player');
        if (!player) return;
        player.setAttribute('time-scale', String(scale));
        player.setAttribute('fade-ms', '0');
        player.setAttribute('no-schedule', '');
        observer.disconnect();
      }).observe(document, { childList: true, subtree: true });
    },
    { scale: SCALE },
  );
  page = await context.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stopServer?.();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('telemetry from a screen to the server', () => {
  it('stores heartbeats and every play once, through a server outage', async () => {
    await page.goto(`${base}/?name=${encodeURIComponent('Écran salle d’attente')}&telemetry-cap=${CAP}`);
    await page.waitForSelector('ccsp-player[data-item]', { timeout: 20_000 });

    // About an hour online: heartbeats and plays arrive.
    await page.waitForTimeout(HOUR_MS);
    const online = readSqlite();
    expect(online.players).toHaveLength(1);
    const player = online.players[0]!;
    expect(player.id).toMatch(/^p-[0-9a-f]{16}$/);
    expect(player.name).toBe('Écran salle d’attente');
    expect(player.channel).toBe(channel);
    expect(online.heartbeats).toBeGreaterThan(10);
    expect(online.plays.length).toBeGreaterThan(50);
    const status = JSON.parse(player.status) as {
      state: string;
      painting: { framesPresented: number };
      cache: { quotaBytes: number } | null;
    };
    expect(status.state).toBe('playing');
    expect(status.painting.framesPresented).toBeGreaterThan(0);
    // The full heartbeat, with this machine's real storage quota (over 1 GB here), is accepted.
    expect(status.cache?.quotaBytes).toBeGreaterThan(0);

    // About an hour and a half without the server: the queue passes its cap and merges.
    await stopServer!();
    const down = Date.now();
    const before = readSqlite();
    await expect
      .poll(async () => (await telemetryStatus())?.queued ?? 0, { timeout: 60_000, interval: 500 })
      .toBeGreaterThan(CAP * 0.8);
    await page.waitForTimeout(Math.max(0, 1.5 * HOUR_MS - (Date.now() - down)));
    expect(await page.locator('ccsp-player').getAttribute('data-state')).toBe('playing');
    const during = await telemetryStatus();
    // Merged: no more than the cap, give or take what arrived since the last merge.
    expect(during!.queued).toBeLessThanOrEqual(CAP + 1);
    expect(readSqlite()).toEqual(before);

    // The server again, on the same file.
    await startServer();
    await page.waitForTimeout(HOUR_MS / 2);

    // Stop playing (a manifest without items: the welcome card), then let the queue drain.
    await page.evaluate(() => {
      const p = document.querySelector('ccsp-player')!;
      p.manifest = { ...p.manifest!, items: [] };
    });
    await page.waitForSelector('ccsp-player:not([data-item])');
    await expect
      .poll(async () => (await telemetryStatus())?.queued, { timeout: 30_000, interval: 200 })
      .toBe(0);

    const plays = await logged();
    const db = readSqlite();
    expect(db.players).toHaveLength(1);

    // Every record in SQLite is one the player logged, unchanged.
    const byId = new Map(plays.map((r) => [r.id, r]));
    expect(byId.size).toBe(plays.length);
    for (const row of db.plays) {
      const r = byId.get(row.id);
      expect(r, `record ${row.id} was never logged`).toBeDefined();
      expect({
        item: row.item,
        version: row.version,
        start: row.start,
        shownS: row.shown_s,
        outcome: row.outcome,
        reason: row.reason ?? undefined,
      }).toEqual({
        item: r!.item,
        version: r!.version,
        start: Date.parse(r!.start),
        shownS: r!.shownS,
        outcome: r!.outcome,
        reason: r!.reason,
      });
    }
    // The logged plays SQLite has no record of were merged: per item, version and hour,
    // exactly as many plays, seconds and skips as the counts hold.
    const stored = new Set(db.plays.map((r) => r.id));
    const missing = new Map<string, { plays: number; tenths: number; skipped: number }>();
    for (const r of plays) {
      if (stored.has(r.id)) continue;
      const hour = new Date(Math.floor(Date.parse(r.start) / 3_600_000) * 3_600_000).getTime();
      const key = `${r.item}|${r.version}|${hour}`;
      const m = missing.get(key) ?? { plays: 0, tenths: 0, skipped: 0 };
      m.plays++;
      m.tenths += Math.round(r.shownS * 10);
      if (r.outcome === 'skipped') m.skipped++;
      missing.set(key, m);
    }
    const counted = new Map<string, { plays: number; tenths: number; skipped: number }>();
    for (const c of db.counts) {
      const key = `${c.item}|${c.version}|${c.hour}`;
      const m = counted.get(key) ?? { plays: 0, tenths: 0, skipped: 0 };
      m.plays += c.plays;
      m.tenths += Math.round(c.shown_s * 10);
      m.skipped += c.skipped;
      counted.set(key, m);
    }
    expect(db.counts.length).toBeGreaterThan(0);
    expect(counted).toEqual(missing);
    const total = db.plays.length + db.counts.reduce((n, c) => n + c.plays, 0);
    expect(total).toBe(plays.length);

    // The answer's power state is applied by the player.
    power = 'eco';
    await page.waitForSelector('ccsp-player[data-power="eco"]', { timeout: 10_000 });

    // A player taken off the page stops sending.
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/telemetry/v1/heartbeat')) posts.push(r.url());
    });
    await page.waitForTimeout(1000);
    expect(posts.length).toBeGreaterThan(0);
    await page.evaluate(() => document.querySelector('ccsp-player')!.remove());
    await page.waitForTimeout(500);
    posts.length = 0;
    await page.waitForTimeout(2000);
    expect(posts).toEqual([]);
  }, 240_000);
});
