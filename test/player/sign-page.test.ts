import { mkdirSync, statSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_PATH, CHROMIUM_ARGS } from '../chromium.mjs';
import { serveBuiltPlayer, type BuiltPlayer } from './built-player.ts';

// Issue 6: the LED page in Chromium at two resolutions; the text scrolls, and a
// screenshot of each is kept for a person to look at.
const SHOTS = '/tmp/ccsp-sign-page';
let player: BuiltPlayer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  player = await serveBuiltPlayer();
  browser = await chromium.launch({ executablePath: CHROME_PATH, args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await player?.close();
});

describe('the sign LED page (/?display=sign)', () => {
  for (const [size, viewport] of [
    ['128x32', { width: 1024, height: 256 }],
    ['256x64', { width: 1024, height: 256 }],
  ] as const) {
    it(`draws the sign's state at ${size} and scrolls its text`, async () => {
      const page = await browser.newPage({ viewport });
      try {
        await page.goto(`${player.base}/?display=sign&size=${size}`);
        const sign = page.locator('ccsp-sign[data-mode][data-offset]');
        await sign.waitFor({ timeout: 15_000 });
        const mode = await sign.getAttribute('data-mode');
        expect(['open', 'closed', 'info']).toContain(mode);
        const canvas = page.locator('ccsp-sign canvas');
        expect(await canvas.evaluate((c: HTMLCanvasElement) => `${c.width}x${c.height}`)).toBe(size);
        const first = Number(await sign.getAttribute('data-offset'));
        await page.waitForTimeout(500);
        const second = Number(await sign.getAttribute('data-offset'));
        expect(second).not.toBe(first);
        const path = `${SHOTS}/sign-${size}.png`;
        await page.screenshot({ path });
        expect(statSync(path).size).toBeGreaterThan(1000);
      } finally {
        await page.close();
      }
    }, 30_000);
  }
});
