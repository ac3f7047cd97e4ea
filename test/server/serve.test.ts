import { mkdtempSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayAt, eligibleAt, verifyManifest, verifyRoot, type Manifest } from '../../src/core/index.ts';
import { freePort, startServe, stopServe, type ServeProcess } from './serve-process.ts';
import { CHROME_PATH, CHROMIUM_ARGS } from '../chromium.mjs';

// `npm start` end to end: the real command, a real port on 127.0.0.1, and the
// built player in real Chromium verifying the channel with WebCrypto.

describe('ccsp-signage serve (npm start)', () => {
  let dataDir: string;
  let port: number;
  let base: string;
  let server: ServeProcess;
  let browser: Browser | undefined;
  let manifest: Manifest | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ccsp-serve-'));
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Issue 7: the display commands record their calls; at start the current state is applied once.
    const record = (state: string) => `echo "${state} $CCSP_DISPLAY" >> ${join(dataDir, 'display.log')}`;
    server = await startServe({
      env: {
        CCSP_DATA_DIR: dataDir,
        PORT: String(port),
        CCSP_DISPLAY_ON_COMMAND: record('on'),
        CCSP_DISPLAY_OFF_COMMAND: record('off'),
      },
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServe(server.child);
  });

  it('creates its keys at first run, keeps them private and prints the URLs', () => {
    expect(server.output()).toContain('created a development key pair and trust root');
    expect(server.output()).toContain(`${base}/channels/ccsp-lokossa/manifest.json`);
    expect(statSync(join(dataDir, 'keys', 'manifest.key.pem')).mode & 0o777).toBe(0o600);
  });

  it('serves the signed sample channel and its media, verifiable against the pinned root', async () => {
    const config = (await (await fetch(`${base}/config.json`)).json()) as { channel: string; root: string };
    expect(config.channel).toBe('ccsp-lokossa');
    const rootBytes = new Uint8Array(await (await fetch(`${base}/trust/root.json`)).arrayBuffer());
    const root = await verifyRoot(rootBytes, { fingerprint: config.root });
    if (!root.ok) throw new Error(root.error.message);
    const manifestBytes = new Uint8Array(
      await (await fetch(`${base}/channels/ccsp-lokossa/manifest.json`)).arrayBuffer(),
    );
    const result = await verifyManifest(manifestBytes, {
      root: root.root,
      channel: 'ccsp-lokossa',
      now: new Date(),
    });
    expect(result.status).toBe('accepted');
    if (result.status !== 'accepted') return;
    manifest = result.manifest;
    const file = result.manifest.items.flatMap((i) => (i.kind === 'video' && i.file ? [i.file] : []))[0];
    expect(file?.type).toBe('video/mp4');
    const media = await fetch(`${base}/media/${file!.sha256}.mp4`);
    expect(media.status).toBe(200);
    expect(Number(media.headers.get('content-length'))).toBe(file!.bytes);
  });

  it('serves the built player, which verifies and plays the channel in Chromium', async () => {
    browser = await chromium.launch({
      executablePath: CHROME_PATH,
      args: CHROMIUM_ARGS,
    });
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/`);
    await page.waitForSelector('ccsp-player[data-state="playing"]', { timeout: 15_000 });
    const player = page.locator('ccsp-player');
    // What plays first depends on the hour (opening hours): ask the schedule engine.
    const first = eligibleAt(manifest!, Date.now()).eligible[0]!;
    expect(await player.getAttribute('data-item')).toBe(first.id);
    expect(await player.getAttribute('data-manifest-version')).toBe('1');
    expect(await page.locator('ccsp-player h1').first().textContent()).toBe(first.title);
    expect(errors).toEqual([]);
  }, 60_000);

  it('switches the screen to the state of the opening hours once at start', async () => {
    const expected = displayAt(manifest!, Date.now());
    await expect
      .poll(() => readFile(join(dataDir, 'display.log'), 'utf8').catch(() => ''), { timeout: 10_000 })
      .toBe(`${expected} ${expected}\n`);
  });

  it('keeps the version when restarted on unchanged playlists', async () => {
    await stopServe(server.child);
    server = await startServe({ env: { CCSP_DATA_DIR: dataDir, PORT: String(port) } });
    expect(server.output()).toContain('channel ccsp-lokossa: version 1 (unchanged)');
    expect(server.output()).not.toContain('created a development key pair');
  }, 120_000);
});
