import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_PATH, CHROMIUM_ARGS } from '../chromium.mjs';
import { serveBuiltPlayer, type BuiltPlayer } from './built-player.ts';

// The built player on the real server, at the three screen shapes it must fit
// from one stylesheet: every item of the sample channel is shown, photographed,
// and checked for text that overflows its box.

export const SCREENSHOTS = process.env.CCSP_SCREENSHOTS ?? join(tmpdir(), 'ccsp-player-layouts');

const LAYOUTS = [
  { name: '1920x1080', width: 1920, height: 1080 },
  { name: '3840x2160', width: 3840, height: 2160 },
  { name: '1080x1920', width: 1080, height: 1920 },
];

/** Text containers (elements with text of their own) whose content is larger than their box, across shadow roots. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const visit = (root: Element | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) visit(el.shadowRoot);
        const hasText = [...el.childNodes].some(
          (n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim(),
        );
        const style = getComputedStyle(el);
        // A box that clips its children hides text as surely as a text box that overflows.
        const clips =
          style.overflow !== 'visible' && el.localName !== 'canvas' && !el.classList.contains('stage');
        if ((!hasText && !clips) || style.display === 'inline' || style.display === 'contents') continue;
        // Hidden layers (a step not shown) are not on screen.
        if (el.closest('[aria-hidden="true"]')) continue;
        const h = el as HTMLElement;
        if (h.scrollHeight > h.clientHeight + 1 || h.scrollWidth > h.clientWidth + 1) {
          out.push(
            `${h.localName}.${h.className} "${h.textContent!.trim().slice(0, 40)}" ${h.scrollWidth}x${h.scrollHeight} > ${h.clientWidth}x${h.clientHeight}`,
          );
        }
      }
    };
    visit(document.documentElement);
    return out;
  });
}

describe('the built player at 1920×1080, 3840×2160 and 1080×1920', () => {
  let server: BuiltPlayer;
  let browser: Browser;

  beforeAll(async () => {
    server = await serveBuiltPlayer();
    browser = await chromium.launch({ executablePath: CHROME_PATH, args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const layout of LAYOUTS) {
    it(`shows every item of the sample channel at ${layout.name} without text overflow`, async () => {
      const page = await browser.newPage({ viewport: { width: layout.width, height: layout.height } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${server.base}/`);
      // Every item, whatever the hour: the closed-hours card and the urgent notice too.
      await page.evaluate(() => (document.querySelector('ccsp-player')!.noSchedule = true));
      await page.waitForSelector('ccsp-player[data-state="playing"]', { timeout: 15_000 });
      await page.evaluate(() => document.fonts.ready);
      const ids = await page.evaluate(() =>
        document.querySelector('ccsp-player')!.manifest!.items.map((i) => i.id),
      );
      expect(ids.length).toBeGreaterThan(3);
      for (const id of ids) {
        await page.evaluate((id) => document.querySelector('ccsp-player')!.jump(id), id);
        await page.waitForSelector(`ccsp-player[data-item="${id}"]`, { timeout: 10_000 });
        await page.waitForTimeout(900); // the cross-fade, and a video's first frames
        expect(await overflowing(page), id).toEqual([]);
        await page.screenshot({ path: join(SCREENSHOTS, `${layout.name}-${id}.png`) });
      }
      expect(errors).toEqual([]);
      await page.close();
    }, 90_000);
  }
});
