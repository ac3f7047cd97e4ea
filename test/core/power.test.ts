import { describe, expect, it } from 'vitest';
import {
  applyPower,
  closureReason,
  formatProblem,
  formatReopening,
  isEssential,
  reopeningLine,
  screenPlan,
  showsAsStill,
  validateSourcePlaylist,
  type PowerItem,
  type SchedulableChannel,
} from '../../src/core/index.ts';
import { sampleWithAbsolutePaths } from '../sample-playlist.ts';

const items: (PowerItem & { id: string })[] = [
  { id: 'hours', kind: 'announcement', essential: true },
  { id: 'welcome', kind: 'announcement' },
  { id: 'clip', kind: 'video', poster: { sha256: 'x' } },
  { id: 'clip-no-poster', kind: 'video' },
  { id: 'notice', kind: 'announcement', priority: 'urgent' },
];
const ids = (list: readonly { id: string }[]) => list.map((i) => i.id);

describe('applyPower', () => {
  it('keeps everything on ok power, without stills', () => {
    expect(applyPower(items, 'ok')).toEqual({ items, stills: false });
  });

  it('keeps everything on eco power, with videos as stills', () => {
    const plan = applyPower(items, 'eco');
    expect(ids(plan.items)).toEqual(ids(items));
    expect(plan.stills).toBe(true);
  });

  it('keeps only essential and urgent items on critical power', () => {
    const plan = applyPower(items, 'crit');
    expect(ids(plan.items)).toEqual(['hours', 'notice']);
    expect(plan.stills).toBe(true);
    expect(items.map(isEssential)).toEqual([true, false, false, false, true]);
  });
});

describe('showsAsStill', () => {
  it('is true only for a video with a poster when stills are asked for', () => {
    expect(items.map((i) => showsAsStill(i, true))).toEqual([false, false, true, false, false]);
    expect(items.some((i) => showsAsStill(i, false))).toBe(false);
  });
});

describe('screenPlan', () => {
  it('plays what the schedule allows while closed, as the editor’s timeline shows it', () => {
    expect(ids(screenPlan(items, { open: false, power: 'ok' }).items)).toEqual(ids(items));
    expect(ids(screenPlan(items, { open: false, power: 'crit' }).items)).toEqual(['hours', 'notice']);
  });

  it('dims while closed or saving power, and asks for the closed card while closed', () => {
    expect(screenPlan(items, { open: true, power: 'ok' })).toMatchObject({ dim: false, closed: false });
    expect(screenPlan(items, { open: true, power: 'eco' })).toMatchObject({ dim: true, stills: true });
    expect(screenPlan(items, { open: false, power: 'ok' })).toMatchObject({ dim: true, closed: true });
    const crit = screenPlan(items.slice(1, 4), { open: true, power: 'crit' });
    expect(crit.items).toEqual([]);
  });
});

describe('reopening', () => {
  const at = (local: string) => new Date(`${local}:00+01:00`).getTime();
  const channel: SchedulableChannel = {
    timezone: 'Africa/Porto-Novo',
    hours: [
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '08:00', close: '12:30' },
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '15:00', close: '18:30' },
    ],
    closures: [{ from: '2026-12-28', to: '2027-01-08', reason: 'Congés' }],
    items: [],
  };

  it('says when the centre reopens, in French, in Porto-Novo time', () => {
    expect(reopeningLine(channel, at('2026-12-21T07:00'))).toBe('Réouverture aujourd’hui à 8 h 00');
    expect(reopeningLine(channel, at('2026-12-21T13:00'))).toBe('Réouverture aujourd’hui à 15 h 00');
    expect(reopeningLine(channel, at('2026-12-21T19:00'))).toBe('Réouverture demain à 8 h 00');
    // Friday evening: Monday. 2026-12-18 is a Friday.
    expect(reopeningLine(channel, at('2026-12-18T19:00'))).toBe('Réouverture lundi à 8 h 00');
    // Before a long closure: the date.
    expect(reopeningLine(channel, at('2026-12-25T19:00'))).toBe('Réouverture le lundi 11 janvier à 8 h 00');
    // 23:30 UTC on Sunday is already Monday 00:30 in Porto-Novo.
    expect(
      formatReopening(at('2026-12-21T08:00'), Date.parse('2026-12-20T23:30:00Z'), 'Africa/Porto-Novo'),
    ).toBe('aujourd’hui à 8 h 00');
  });

  it('has nothing to say without opening hours', () => {
    expect(reopeningLine({ ...channel, hours: [] }, at('2026-12-21T13:00'))).toBeUndefined();
  });
});

describe('the essential field', () => {
  it('is accepted as a boolean in the sample and refused otherwise, in French too', async () => {
    const json = await sampleWithAbsolutePaths();
    const sample = validateSourcePlaylist(json);
    expect(sample.ok && sample.value.items.find((i) => i.id === 'centre-ferme')?.essential).toBe(true);
    json.items[0]!.essential = 'oui';
    const bad = validateSourcePlaylist(json);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(formatProblem(bad.problems[0]!, 'en')).toBe('/items/0/essential: must be true or false');
      expect(formatProblem(bad.problems[0]!, 'fr')).toContain('doit valoir true (oui) ou false (non)');
    }
  });
});

describe('closureReason', () => {
  it('names the closure or the holiday of the day, in Porto-Novo time', () => {
    const channel: SchedulableChannel = {
      timezone: 'Africa/Porto-Novo',
      hours: [],
      closures: [{ from: '2026-12-23', reason: 'Inventaire' }],
      publicHolidays: { calendar: 'bj' },
      items: [],
    };
    expect(closureReason(channel, Date.parse('2026-12-22T23:30:00Z'))).toBe('Inventaire');
    expect(closureReason(channel, Date.parse('2026-12-25T10:00:00Z'))).toBe('Noël');
    expect(closureReason(channel, Date.parse('2026-12-22T10:00:00Z'))).toBeUndefined();
  });
});
