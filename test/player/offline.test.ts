import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { openDataDir, publishDirectory, type DataDir } from '../../src/server/data-dir.ts';
import { CHROME_PATH, CHROMIUM_ARGS } from '../chromium.mjs';
import { buildPlayer, REPO } from './built-player.ts';

// Issue 5, "Offline boot": load, go offline, reload: the first item appears with
// no request succeeding. The built player behind the real server in real
// Chromium: service worker, IndexedDB and the Cache API as a screen has them.
// http://127.0.0.1 is a secure context, so the service worker registers there.

let tmp: string;
let distDir: string;
let data: DataDir;
let channel: string;
let port = 0;
let base: string;
let stopServer: (() => Promise<void>) | undefined;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let version: string | null;

async function startServer(): Promise<void> {
  const app = buildApp({ publicDir: data.publicDir, distDir, defaultChannel: channel });
  // The same port each time: the origin, and with it the stored data, must stay the same.
  base = await app.listen({ host: '127.0.0.1', port });
  port = Number(new URL(base).port);
  stopServer = async () => {
    stopServer = undefined;
    await app.close();
  };
}

/** What the page's sync engine and caches say, for the waits below. */
const syncReady = () =>
  page.evaluate(async () => {
    const player = document.querySelector('ccsp-player');
    const state = player?.syncState;
    const cached = await (await caches.open('ccsp-media-v1')).keys();
    return {
      controlled: navigator.serviceWorker.controller !== null,
      phase: state?.phase,
      active: state?.active?.version,
      downloads: Object.keys(state?.downloads ?? {}).length,
      cached: cached.length,
    };
  });

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ccsp-offline-e2e-'));
  distDir = join(tmp, 'dist');
  await buildPlayer(distDir);
  data = await openDataDir(join(tmp, 'data'));
  const channels = await publishDirectory(join(REPO, 'playlists'), data);
  channel = channels[0]!.channel;
  await startServer();
  browser = await chromium.launch({ executablePath: CHROME_PATH, args: CHROMIUM_ARGS });
  context = await browser.newContext({ viewport: { width: 960, height: 540 } });
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stopServer?.();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the player without the network', () => {
  it('plays, keeps the channel and its media, and plays again after an offline reload', async () => {
    await page.goto(`${base}/`);
    await page.waitForSelector('ccsp-player[data-item]', { timeout: 15_000 });
    version = await page.locator('ccsp-player').getAttribute('data-manifest-version');
    const media = (await readdir(join(data.publicDir, 'media'))).length;
    await expect
      .poll(syncReady, { timeout: 20_000, interval: 200 })
      .toEqual({ controlled: true, phase: 'idle', active: Number(version), downloads: 0, cached: media });

    await stopServer?.();
    await context.setOffline(true);
    const fromNetwork: string[] = [];
    page.on('response', (r) => {
      if (!r.fromServiceWorker()) fromNetwork.push(r.url());
    });
    await page.reload();
    await page.waitForSelector('ccsp-player[data-item]', { timeout: 10_000 });
    expect(await page.locator('ccsp-player').getAttribute('data-manifest-version')).toBe(version);
    expect(await page.locator('ccsp-player').getAttribute('data-state')).toBe('playing');
    expect(fromNetwork).toEqual([]);
  }, 45_000);

  it('refuses a tampered manifest and keeps playing what it has', async () => {
    await context.setOffline(false);
    await startServer();
    const path = join(data.publicDir, 'channels', channel, 'manifest.json');
    const original = await readFile(path, 'utf8');
    const envelope = JSON.parse(original) as { payload: string };
    const payload = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as {
      version: number;
    };
    payload.version += 1;
    envelope.payload = Buffer.from(JSON.stringify(payload)).toString('base64');
    await writeFile(path, JSON.stringify(envelope));

    await page.reload();
    await page.waitForSelector('ccsp-player[data-sync-error="rejected"]', { timeout: 15_000 });
    const player = page.locator('ccsp-player');
    expect(await player.getAttribute('data-manifest-version')).toBe(version);
    await page.waitForSelector('ccsp-player[data-item]', { timeout: 10_000 });
    expect(
      await page.evaluate(() => document.querySelector('ccsp-player')?.syncState?.lastError?.check),
    ).toBe('signature');
    await writeFile(path, original);
  }, 30_000);

  it('reports a full store, and plays from the network meanwhile', async () => {
    const small = await browser.newContext({ viewport: { width: 960, height: 540 } });
    try {
      const tab = await small.newPage();
      // Room for the manifest and the records, not for the sample's videos.
      const cdp = await small.newCDPSession(tab);
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: base, quotaSize: 150_000 });
      await tab.goto(`${base}/`);
      await tab.waitForSelector('ccsp-player[data-item]', { timeout: 15_000 });
      await tab.waitForSelector('ccsp-player[data-sync-error="store-full"]', { timeout: 15_000 });
      expect(await tab.evaluate(() => document.querySelector('ccsp-player')?.syncState?.storeFull)).toBe(
        true,
      );
    } finally {
      await small.close();
    }
  }, 30_000);
});
