/**
 * The built player at a chosen instant, for the fixed-clock Chromium tests
 * (schedule.test.ts, power.test.ts): the sample channel edited by the test,
 * signed and served with a fresh build, and pages whose /config.json carries the
 * instant as its Date header. The player trusts that header over the device's
 * clock (DESIGN.md "Time"), so it alone sets the instant. (Playwright's
 * page.clock would also fake Date, of which @date-fns/tz's TZDate is a subclass,
 * and times would then be formatted in the machine's zone.)
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { eligibleAt, validateSourcePlaylist, type SourcePlaylist } from '../../src/core/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { openDataDir, publishDirectory } from '../../src/server/data-dir.ts';
import { CHROME_PATH, CHROMIUM_ARGS } from '../chromium.mjs';
import { buildPlayer, REPO } from './built-player.ts';

const HOUR = 3600_000;

/** The sample's source playlist as plain JSON, for a test to edit. */
export interface SampleSource {
  items: { id: string; priority?: string; essential?: boolean; schedule?: Record<string, unknown> }[];
}

export interface EditedSample {
  base: string;
  playlist: SourcePlaylist;
  browser: Browser;
  close(): Promise<void>;
}

/** Builds the player, signs the sample channel as `edit` leaves it, serves both, and starts Chromium. */
export async function serveEditedSample(edit: (source: SampleSource) => void): Promise<EditedSample> {
  const tmp = await mkdtemp(join(tmpdir(), 'ccsp-fixed-clock-'));
  const source = JSON.parse(
    await readFile(join(REPO, 'playlists/ccsp-lokossa.json'), 'utf8'),
  ) as SampleSource;
  edit(source);
  const text = JSON.stringify(source).replaceAll('../assets/', `${REPO}/assets/`);
  await writeFile(join(tmp, 'ccsp-lokossa.json'), text);
  const parsed = validateSourcePlaylist(JSON.parse(text));
  if (!parsed.ok) throw new Error(`invalid test playlist: ${JSON.stringify(parsed.problems)}`);

  const distDir = join(tmp, 'dist');
  await buildPlayer(distDir);
  const data = await openDataDir(join(tmp, 'data'));
  await publishDirectory(tmp, data);
  const app = buildApp({ publicDir: data.publicDir, distDir, defaultChannel: 'ccsp-lokossa' });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({ executablePath: CHROME_PATH, args: CHROMIUM_ARGS });
  return {
    base,
    playlist: parsed.value,
    browser,
    async close() {
      await browser.close();
      await app.close();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

/** The first instant on the hour, within two weeks of `from`, at which the playlist shows `id` first (plus 10 minutes). */
export function firstInstantShowing(playlist: SourcePlaylist, id: string, from = Date.now()): number {
  for (let t = Math.ceil(from / HOUR) * HOUR; t < from + 14 * 24 * HOUR; t += HOUR) {
    if (eligibleAt(playlist, t).eligible[0]?.id === id) return t + 10 * 60_000;
  }
  throw new Error(`the test playlist never shows ${id} first`);
}

/** Opens the player at `instant`; `config` may change the /config.json body (say, its power state). */
export async function openAt(
  sample: EditedSample,
  instant: number,
  config: (body: object) => object = (body) => body,
): Promise<Page> {
  const page = await sample.browser.newPage({ viewport: { width: 960, height: 540 } });
  await page.route('**/config.json', async (route) => {
    const response = await route.fetch();
    await route.fulfill({
      response,
      body: JSON.stringify(config((await response.json()) as object)),
      headers: { ...response.headers(), date: new Date(instant).toUTCString() },
    });
  });
  await page.goto(`${sample.base}/`);
  return page;
}

/** The player may still be asking for /config.json (telemetry, after the first item): drop the route first. */
export async function closePage(page: Page): Promise<void> {
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await page.close();
}
