import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eligibleAt,
  LocalClock,
  nextOpening,
  validateSourcePlaylist,
  type PowerState,
  type SourcePlaylist,
} from '../../src/core/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { openDataDir, publishDirectory } from '../../src/server/data-dir.ts';
import { CHROME_PATH, CHROMIUM_ARGS } from '../chromium.mjs';
import { buildPlayer, REPO } from './built-player.ts';

// Issue 7, done when: the built player shows the dark closed card with the right
// reopening time while the centre is closed, and on critical power (from the box's
// /config.json) only essential items; in Chromium at a chosen instant.
// The test playlist is the sample with every item for opening hours only (so that
// nothing is left to play while closed), the urgent item removed, and the portal
// item marked essential besides the opening-hours one.
let browser: Browser;
let base: string;
let playlist: SourcePlaylist;
let close: () => Promise<void>;
const HOUR = 3600_000;
const clock = new LocalClock('Africa/Porto-Novo');

/** The next Saturday 14:00 in Porto-Novo (closed: Saturdays open 9:00–13:00) after which the centre reopens on Monday 8:00. */
function saturdayAfternoon(): number {
  for (let day = clock.parts(Date.now()).day + 1; ; day++) {
    if (clock.parts(clock.instant(day, 0)).weekday !== 5) continue;
    const t = clock.instant(day, 14 * 60);
    if (nextOpening(playlist, t) === clock.instant(day + 2, 8 * 60)) return t;
  }
}

/** The first instant on the hour, within two weeks, at which the sample shows `id` first. */
function firstInstantShowing(id: string): number {
  const from = Date.now();
  for (let t = Math.ceil(from / HOUR) * HOUR; t < from + 14 * 24 * HOUR; t += HOUR) {
    if (eligibleAt(playlist, t).eligible[0]?.id === id) return t + 10 * 60_000;
  }
  throw new Error(`the test playlist never shows ${id} first`);
}

beforeAll(async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'ccsp-power-e2e-'));
  const source = JSON.parse(await readFile(join(REPO, 'playlists/ccsp-lokossa.json'), 'utf8')) as {
    items: { id: string; essential?: boolean; priority?: string; schedule?: Record<string, unknown> }[];
  };
  source.items = source.items.filter((i) => i.priority !== 'urgent');
  for (const item of source.items) item.schedule = { ...item.schedule, when: 'open' };
  source.items.find((i) => i.id === 'portail-service-public')!.essential = true;
  const text = JSON.stringify(source).replaceAll('../assets/', `${REPO}/assets/`);
  await writeFile(join(tmp, 'ccsp-lokossa.json'), text);
  const parsed = validateSourcePlaylist(JSON.parse(text));
  if (!parsed.ok) throw new Error(`invalid test playlist: ${JSON.stringify(parsed.problems)}`);
  playlist = parsed.value;

  const distDir = join(tmp, 'dist');
  await buildPlayer(distDir);
  const data = await openDataDir(join(tmp, 'data'));
  await publishDirectory(tmp, data);
  const app = buildApp({ publicDir: data.publicDir, distDir, defaultChannel: 'ccsp-lokossa' });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({ executablePath: CHROME_PATH, args: CHROMIUM_ARGS });
  close = () => app.close();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await close?.();
});

/** Opens the player at a fixed instant, with the power state the box's /config.json says. */
async function open(instant: number, power: PowerState = 'ok'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 960, height: 540 } });
  // The player trusts the box's Date header over its own clock (DESIGN.md "Time"): that
  // header alone sets the instant. (Playwright's page.clock would also fake Date, of which
  // @date-fns/tz's TZDate is a subclass, and times would then be formatted in the
  // machine's zone.)
  await page.route('**/config.json', async (route) => {
    const response = await route.fetch();
    const body = { ...((await response.json()) as object), power };
    await route.fulfill({
      response,
      body: JSON.stringify(body),
      headers: { ...response.headers(), date: new Date(instant).toUTCString() },
    });
  });
  await page.goto(`${base}/`);
  return page;
}

/** The player may still be asking for /config.json (telemetry, after the first item). */
async function closePage(page: Page): Promise<void> {
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await page.close();
}

describe('the built player on power and opening hours', () => {
  it('shows the dark closed card, with when the centre reopens, while closed', async () => {
    const page = await open(saturdayAfternoon());
    try {
      const card = page.locator('ccsp-player ccsp-closed');
      await card.waitFor({ timeout: 15_000 });
      expect(await card.locator('h1').textContent()).toBe('Fermé');
      expect(await card.locator('.reopening').textContent()).toBe('Réouverture lundi à 8 h 00');
      expect(await card.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(0, 0, 0)');
      expect(await page.locator('ccsp-player').getAttribute('data-item')).toBeNull();
      const player = page.locator('ccsp-player');
      expect(await player.getAttribute('data-dim')).toBe('');
      expect(await player.getAttribute('data-closed')).toBe('');
      expect(await player.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(0, 0, 0)');
    } finally {
      await closePage(page);
    }
  }, 30_000);

  it('shows the usual first item on ok power, and only essential items on critical power', async () => {
    const t = firstInstantShowing('bienvenue-ccsp');
    const ok = await open(t, 'ok');
    try {
      await ok.waitForSelector('ccsp-player[data-item]', { timeout: 15_000 });
      expect(await ok.locator('ccsp-player').getAttribute('data-item')).toBe('bienvenue-ccsp');
    } finally {
      await closePage(ok);
    }
    const crit = await open(t, 'crit');
    try {
      await crit.waitForSelector('ccsp-player[data-item]', { timeout: 15_000 });
      const player = crit.locator('ccsp-player');
      expect(await player.getAttribute('data-power')).toBe('crit');
      expect(['centre-ferme', 'portail-service-public']).toContain(await player.getAttribute('data-item'));
      expect(await player.getAttribute('data-dim')).toBe('');
    } finally {
      await closePage(crit);
    }
  }, 60_000);
});
