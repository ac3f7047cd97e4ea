import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eligibleAt, LocalClock, validateSourcePlaylist, type SourcePlaylist } from '../../src/core/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { openDataDir, publishDirectory } from '../../src/server/data-dir.ts';
import { CHROME_PATH, CHROMIUM_ARGS } from '../chromium.mjs';
import { buildPlayer, REPO } from './built-player.ts';

// Issue 4, done when: the player follows the sample channel's schedule (opening
// hours, a closed-hours item, an urgent item), checked in Chromium with a fixed clock.
// The urgent item's dates are moved to two days from now, so the test holds whenever it runs.
let browser: Browser;
let base: string;
let playlist: SourcePlaylist;
let close: () => Promise<void>;
const HOUR = 3600_000;

/** The first instant at or after `from`, on the hour, at which the sample shows `id` first. */
function firstInstantShowing(id: string, from: number): number {
  for (let t = Math.ceil(from / HOUR) * HOUR; t < from + 14 * 24 * HOUR; t += HOUR) {
    if (eligibleAt(playlist, t).eligible[0]?.id === id) return t + 10 * 60_000;
  }
  throw new Error(`the sample never shows ${id} first`);
}

beforeAll(async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'ccsp-schedule-e2e-'));
  const source = JSON.parse(await readFile(join(REPO, 'playlists/ccsp-lokossa.json'), 'utf8')) as {
    items: { id: string; schedule?: Record<string, unknown> }[];
  };
  const clock = new LocalClock('Africa/Porto-Novo');
  const inTwoDays = clock.parts(Date.now() + 2 * 24 * HOUR).day;
  const day = new Date(inTwoDays * 86_400_000).toISOString().slice(0, 10);
  const urgent = source.items.find((i) => i.id === 'maintenance-portail')!;
  urgent.schedule = { from: `${day}T09:00`, until: `${day}T23:00` };
  const text = JSON.stringify(source).replaceAll('../assets/', `${REPO}/assets/`);
  await writeFile(join(tmp, 'ccsp-lokossa.json'), text);
  const parsed = validateSourcePlaylist(JSON.parse(text));
  if (!parsed.ok) throw new Error('invalid test playlist');
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

async function itemShownAt(instant: number): Promise<string | null> {
  const page = await browser.newPage({ viewport: { width: 960, height: 540 } });
  try {
    await page.clock.setFixedTime(new Date(instant));
    // The player trusts the server's Date header over the device clock: fix that one too.
    await page.route('**/config.json', async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        headers: { ...response.headers(), date: new Date(instant).toUTCString() },
      });
    });
    await page.goto(`${base}/`);
    await page.waitForSelector('ccsp-player[data-item]', { timeout: 15_000 });
    return await page.locator('ccsp-player').getAttribute('data-item');
  } finally {
    // The player may still be asking for /config.json (telemetry, after the first item).
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.close();
  }
}

describe('the player follows the schedule in Chromium', () => {
  it('shows the welcome announcement first while the centre is open', async () => {
    expect(await itemShownAt(firstInstantShowing('bienvenue-ccsp', Date.now()))).toBe('bienvenue-ccsp');
  }, 30_000);

  it('shows the closed-hours card while the centre is closed', async () => {
    expect(await itemShownAt(firstInstantShowing('centre-ferme', Date.now()))).toBe('centre-ferme');
  }, 30_000);

  it('shows only the urgent item during its window', async () => {
    const t = firstInstantShowing('maintenance-portail', Date.now());
    expect(eligibleAt(playlist, t).eligible.map((i) => i.id)).toEqual(['maintenance-portail']);
    expect(await itemShownAt(t)).toBe('maintenance-portail');
  }, 30_000);
});
