import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalClock, nextOpening, type PowerState, type SourcePlaylist } from '../../src/core/index.ts';
import {
  closePage,
  firstInstantShowing as firstShowing,
  openAt,
  serveEditedSample,
  type EditedSample,
} from './fixed-clock.ts';

// Issue 7, done when: the built player shows the dark closed card with the right
// reopening time while the centre is closed, and on critical power (from the box's
// /config.json) only essential items; in Chromium at a chosen instant.
// The test playlist is the sample with every item for opening hours only (so that
// nothing is left to play while closed), the urgent item removed, and the portal
// item marked essential besides the opening-hours one.
let sample: EditedSample;
let playlist: SourcePlaylist;
const clock = new LocalClock('Africa/Porto-Novo');

/** The next Saturday 14:00 in Porto-Novo (closed: Saturdays open 9:00–13:00) after which the centre reopens on Monday 8:00. */
function saturdayAfternoon(): number {
  for (let day = clock.parts(Date.now()).day + 1; ; day++) {
    if (clock.parts(clock.instant(day, 0)).weekday !== 5) continue;
    const t = clock.instant(day, 14 * 60);
    if (nextOpening(playlist, t) === clock.instant(day + 2, 8 * 60)) return t;
  }
}

const firstInstantShowing = (id: string) => firstShowing(playlist, id);

beforeAll(async () => {
  sample = await serveEditedSample((source) => {
    source.items = source.items.filter((i) => i.priority !== 'urgent');
    for (const item of source.items) item.schedule = { ...item.schedule, when: 'open' };
    source.items.find((i) => i.id === 'portail-service-public')!.essential = true;
  });
  playlist = sample.playlist;
}, 120_000);

afterAll(async () => {
  await sample?.close();
});

/** Opens the player at a fixed instant, with the power state the box's /config.json says. */
const open = (instant: number, power: PowerState = 'ok') =>
  openAt(sample, instant, (body) => ({ ...body, power }));

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
