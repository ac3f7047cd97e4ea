import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { openDataDir, publishDirectory, type DataDir } from '../../src/server/data-dir.ts';
import { CHROME_PATH, CHROMIUM_ARGS } from '../chromium.mjs';
import { PLAYLISTS, sampleWithAbsolutePaths } from '../sample-playlist.ts';
import { buildPlayer } from './built-player.ts';

// Issue 5, more of "Offline first" in real Chromium with the built player behind
// the real server (offline.test.ts has the offline boot): the browser's `online`
// event polls at once, and an HLS-only video plays from the cache offline.

type Json = Record<string, unknown> & { items: Record<string, unknown>[] };

let tmp: string;
let distDir: string;
let data: DataDir;
let channel: string;
let port = 0;
let base: string;
let stopServer: (() => Promise<void>) | undefined;
let browser: Browser;

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

let copies = 0;
/** Publishes a changed copy of the sample into the same data folder: the next version. */
async function publishChanged(change: (json: Json) => void): Promise<number> {
  const json = (await sampleWithAbsolutePaths(channel)) as Json;
  change(json);
  const dir = join(tmp, `playlists-${copies++}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${channel}.json`), JSON.stringify(json, null, 2));
  const [published] = await publishDirectory(dir, data);
  return published!.version;
}

/** What the page's sync engine says, for the waits below. */
const syncReady = (page: Page) =>
  page.evaluate(() => {
    const state = document.querySelector('ccsp-player')?.syncState;
    return {
      controlled: navigator.serviceWorker.controller !== null,
      phase: state?.phase,
      active: state?.active?.version,
      downloads: Object.keys(state?.downloads ?? {}).length,
    };
  });

async function newContext(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 960, height: 540 } });
  return { context, page: await context.newPage() };
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ccsp-offline-more-'));
  distDir = join(tmp, 'dist');
  await buildPlayer(distDir);
  data = await openDataDir(join(tmp, 'data'));
  const channels = await publishDirectory(PLAYLISTS, data);
  channel = channels[0]!.channel;
  await startServer();
  browser = await chromium.launch({ executablePath: CHROME_PATH, args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stopServer?.();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the player and the link', () => {
  it('polls at once when the browser comes back online, and plays the new version', async () => {
    const { context, page } = await newContext();
    try {
      await page.goto(`${base}/?status=1`);
      await page.waitForSelector('ccsp-player[data-item]', { timeout: 15_000 });
      await expect
        .poll(() => syncReady(page), { timeout: 20_000, interval: 200 })
        .toEqual({ controlled: true, phase: 'idle', active: 1, downloads: 0 });
      // The staff's overlay, opened by ?status=1.
      const version = page.locator('ccsp-status .version');
      await expect.poll(() => version.textContent(), { timeout: 5000 }).toMatch(/^\s*1, publiée/);

      await context.setOffline(true);
      const next = await publishChanged((json) => {
        json.ticker = [{ text: 'Nouvelle annonce de test.', lang: 'fr' }];
      });
      expect(next).toBe(2);
      const back = Date.now();
      await context.setOffline(false);
      // The engine polls every 5 minutes; the `online` event must not wait for that.
      await page.waitForSelector('ccsp-player[data-manifest-version="2"]', { timeout: 20_000 });
      expect(Date.now() - back).toBeLessThan(20_000);
      await page.waitForSelector('ccsp-player[data-item]', { timeout: 10_000 });
      expect(
        await page.evaluate(() => document.querySelector('ccsp-player')?.syncState?.active?.version),
      ).toBe(2);
      await expect.poll(() => version.textContent(), { timeout: 5000 }).toMatch(/^\s*2, publiée/);
    } finally {
      await context.setOffline(false);
      await context.close();
    }
  }, 60_000);

  it('plays an HLS-only video from the cache after an offline reload', async () => {
    const video = await publishChanged((json) => {
      const item = json.items.find((i) => i.kind === 'video')!;
      expect(item.hls).toBeTruthy();
      delete item.file;
    });
    const { context, page } = await newContext();
    try {
      await page.goto(`${base}/`);
      await page.waitForSelector('ccsp-player[data-item]', { timeout: 15_000 });
      await expect
        .poll(() => syncReady(page), { timeout: 30_000, interval: 200 })
        .toEqual({ controlled: true, phase: 'idle', active: video, downloads: 0 });

      await stopServer?.();
      await context.setOffline(true);
      const fromNetwork: string[] = [];
      page.on('response', (r) => {
        if (!r.fromServiceWorker()) fromNetwork.push(r.url());
      });
      await page.reload();
      await page.waitForSelector('ccsp-player[data-item]', { timeout: 10_000 });
      const id = await page.evaluate(() => {
        const player = document.querySelector('ccsp-player')!;
        player.noSchedule = true;
        const item = player.manifest!.items.find((i) => i.kind === 'video')!;
        if (item.kind !== 'video' || item.file || !item.hls) throw new Error('not an HLS-only video');
        return item.id;
      });
      await page.evaluate(() => document.querySelector('ccsp-player')!.updateComplete);
      await page.evaluate((id) => document.querySelector('ccsp-player')!.jump(id), id);
      await page.waitForSelector(`ccsp-player[data-item="${id}"]`, { timeout: 15_000 });
      const currentTime = () =>
        page.evaluate(
          (id) =>
            [...document.querySelector('ccsp-player')!.shadowRoot!.querySelectorAll('ccsp-video')]
              .find((v) => v.item.id === id)
              ?.shadowRoot?.querySelector('video')?.currentTime ?? -1,
          id,
        );
      const t0 = await currentTime();
      await expect.poll(currentTime, { timeout: 5000, interval: 100 }).toBeGreaterThan(t0 + 0.5);
      expect(fromNetwork).toEqual([]);
    } finally {
      await context.close();
      if (!stopServer) await startServer();
    }
  }, 90_000);
});
