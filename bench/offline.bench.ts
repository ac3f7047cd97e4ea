/**
 * Offline first in Chromium (issue 5, "Benchmarks"): the time from navigation
 * start to the first item painted (the player's `ccsp-first-item` mark) on an
 * offline reload, served by the service worker and the cached media with the
 * server stopped and the context offline, against the warm online reload of the
 * same page measured in the same run.
 */
import { chromium, type Page } from 'playwright-core';
import { CHROME_PATH, CHROMIUM_ARGS } from '../test/chromium.mjs';
import { serveBuiltPlayer } from '../test/player/built-player.ts';
import { ratio, target, type Bench, type BenchRow } from './harness.ts';

const RUNS = 7;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Reloads and reads the `ccsp-first-item` mark (ms since navigation start). */
async function reloadToFirstItem(page: Page): Promise<number> {
  await page.reload();
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const check = () => {
          const mark = performance.getEntriesByName('ccsp-first-item')[0];
          if (mark) resolve(mark.startTime);
          else setTimeout(check, 10);
        };
        check();
      }),
  );
}

/** Medians over RUNS reloads, after one reload that warms whatever is cold. */
async function measure(page: Page): Promise<number> {
  await reloadToFirstItem(page);
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await reloadToFirstItem(page));
  return median(samples);
}

const bench: Bench = {
  title: 'Offline first (Chromium, built player, service worker and cached media)',
  async run(): Promise<BenchRow[]> {
    const server = await serveBuiltPlayer();
    let serverUp = true;
    const browser = await chromium.launch({ executablePath: CHROME_PATH, args: CHROMIUM_ARGS });
    try {
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
      const page = await context.newPage();
      // tsx compiles with esbuild's keepNames: the functions passed to evaluate() call its `__name` helper.
      await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
      await page.goto(`${server.base}/`);
      // Everything kept: the service worker controls the page and the engine has every medium.
      await page.waitForFunction(
        () => {
          const s = document.querySelector('ccsp-player')?.syncState;
          return (
            navigator.serviceWorker.controller !== null &&
            s?.phase === 'idle' &&
            s.active !== undefined &&
            Object.keys(s.downloads).length === 0
          );
        },
        undefined,
        { timeout: 60_000, polling: 200 },
      );
      const online = await measure(page);
      await server.close();
      serverUp = false;
      await context.setOffline(true);
      const offline = await measure(page);
      const state = await page.locator('ccsp-player').getAttribute('data-state');
      return [
        {
          case: `baseline: warm online reload, navigation to first item painted (median of ${RUNS})`,
          value: `${online.toFixed(0)} ms`,
          ratio: '1.0×',
        },
        {
          case: `offline reload, server stopped: navigation to first item painted (median of ${RUNS}, ${state})`,
          value: `${offline.toFixed(0)} ms`,
          ratio: ratio(offline, Math.max(1, online)),
          target: target(offline <= 300 && state === 'playing', '≤ 300 ms'),
        },
      ];
    } finally {
      await browser.close();
      if (serverUp) await server.close();
    }
  },
};
export default bench;
