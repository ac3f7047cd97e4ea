import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eligibleAt, LocalClock, type SourcePlaylist } from '../../src/core/index.ts';
import {
  closePage,
  firstInstantShowing as firstShowing,
  openAt,
  serveEditedSample,
  type EditedSample,
} from './fixed-clock.ts';

// Issue 4, done when: the player follows the sample channel's schedule (opening
// hours, a closed-hours item, an urgent item), checked in Chromium with a fixed clock.
// The urgent item's dates are moved to two days from now, so the test holds whenever it runs.
let sample: EditedSample;
let playlist: SourcePlaylist;
const HOUR = 3600_000;

const firstInstantShowing = (id: string, from: number) => firstShowing(playlist, id, from);

beforeAll(async () => {
  sample = await serveEditedSample((source) => {
    const clock = new LocalClock('Africa/Porto-Novo');
    const inTwoDays = clock.parts(Date.now() + 2 * 24 * HOUR).day;
    const day = new Date(inTwoDays * 86_400_000).toISOString().slice(0, 10);
    const urgent = source.items.find((i) => i.id === 'maintenance-portail')!;
    urgent.schedule = { from: `${day}T09:00`, until: `${day}T23:00` };
  });
  playlist = sample.playlist;
}, 120_000);

afterAll(async () => {
  await sample?.close();
});

async function itemShownAt(instant: number): Promise<string | null> {
  const page = await openAt(sample, instant);
  try {
    await page.waitForSelector('ccsp-player[data-item]', { timeout: 15_000 });
    return await page.locator('ccsp-player').getAttribute('data-item');
  } finally {
    await closePage(page);
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
