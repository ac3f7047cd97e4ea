import { describe, expect, it } from 'vitest';
import {
  beninHolidays,
  easterSunday,
  eligibleAt,
  EXCLUSION_MESSAGES,
  nextChange,
  type SchedulableChannel,
  type SchedulableItem,
} from '../../../src/core/index.ts';

/** Local time in Porto-Novo (UTC+1, no daylight saving), written as staff think of it. */
const at = (local: string) => new Date(`${local}:00+01:00`);

function channel(items: SchedulableItem[], extra: Partial<SchedulableChannel> = {}): SchedulableChannel {
  return {
    timezone: 'Africa/Porto-Novo',
    hours: [
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '08:00', close: '12:30' },
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '15:00', close: '18:30' },
    ],
    items,
    ...extra,
  };
}

const ids = (c: SchedulableChannel, local: string) => eligibleAt(c, at(local)).eligible.map((i) => i.id);
const reasonOf = (c: SchedulableChannel, local: string, id: string) =>
  eligibleAt(c, at(local)).excluded.find((x) => x.item.id === id)?.reason;

describe('eligibleAt', () => {
  it('plays an item without a schedule at any time', () => {
    const c = channel([{ id: 'a' }]);
    expect(ids(c, '2026-11-29T03:00')).toEqual(['a']);
  });

  it('treats a date-only until as the whole last day, and a date-time as the instant', () => {
    const c = channel([
      { id: 'day', schedule: { from: '2026-12-01', until: '2026-12-03' } },
      { id: 'time', schedule: { from: '2026-12-01T10:00', until: '2026-12-03T10:00' } },
    ]);
    expect(ids(c, '2026-11-30T23:59')).toEqual([]);
    expect(reasonOf(c, '2026-11-30T23:59', 'day')).toBe('not-yet');
    expect(ids(c, '2026-12-01T00:00')).toEqual(['day']);
    expect(ids(c, '2026-12-01T10:00')).toEqual(['day', 'time']);
    expect(ids(c, '2026-12-03T09:59')).toEqual(['day', 'time']);
    expect(ids(c, '2026-12-03T10:00')).toEqual(['day']);
    expect(ids(c, '2026-12-03T23:59')).toEqual(['day']);
    expect(reasonOf(c, '2026-12-04T00:00', 'day')).toBe('ended');
  });

  it('follows days of the week and windows, including one across midnight', () => {
    // 2026-12-04 is a Friday.
    const c = channel([
      { id: 'night', schedule: { days: ['fri'], times: [{ start: '22:00', end: '02:00' }] } },
    ]);
    expect(reasonOf(c, '2026-12-04T21:59', 'night')).toBe('time');
    expect(ids(c, '2026-12-04T22:00')).toEqual(['night']);
    expect(ids(c, '2026-12-05T01:59')).toEqual(['night']); // Saturday, still Friday's window
    expect(reasonOf(c, '2026-12-05T02:00', 'night')).toBe('time');
    expect(reasonOf(c, '2026-12-05T22:30', 'night')).toBe('time'); // Saturday has only Friday's spill-over
    expect(reasonOf(c, '2026-12-06T23:00', 'night')).toBe('day'); // Sunday: nothing at all
  });

  it('limits items to opening hours or to closed hours, and says the centre is open', () => {
    const c = channel([
      { id: 'open', schedule: { when: 'open' } },
      { id: 'closed', schedule: { when: 'closed' } },
    ]);
    expect(eligibleAt(c, at('2026-12-01T10:00'))).toMatchObject({ open: true });
    expect(ids(c, '2026-12-01T10:00')).toEqual(['open']);
    expect(ids(c, '2026-12-01T13:00')).toEqual(['closed']); // lunch break
    expect(reasonOf(c, '2026-12-01T13:00', 'open')).toBe('closed');
    expect(reasonOf(c, '2026-12-01T10:00', 'closed')).toBe('open');
    expect(ids(c, '2026-12-05T10:00')).toEqual(['closed']); // Saturday
  });

  it('closes on closures and on Benin public holidays, except the days listed', () => {
    const c = channel([{ id: 'open', schedule: { when: 'open' } }], {
      closures: [{ from: '2026-12-02', to: '2026-12-03', reason: 'Inventaire' }],
      publicHolidays: { calendar: 'bj', except: ['2027-01-07'] },
    });
    expect(ids(c, '2026-12-01T10:00')).toEqual(['open']);
    expect(ids(c, '2026-12-02T10:00')).toEqual([]);
    expect(ids(c, '2026-12-03T10:00')).toEqual([]);
    expect(ids(c, '2026-12-25T10:00')).toEqual([]); // Noël, a Friday
    expect(ids(c, '2027-01-08T10:00')).toEqual([]); // fête des religions traditionnelles
    expect(ids(c, '2027-01-07T10:00')).toEqual(['open']); // its eve, excepted here
  });

  it('lets urgent items interrupt and replace the loop while they are active', () => {
    const c = channel([
      { id: 'a' },
      { id: 'u', priority: 'urgent', schedule: { from: '2026-12-01T10:00', until: '2026-12-01T11:00' } },
    ]);
    expect(ids(c, '2026-12-01T09:59')).toEqual(['a']);
    expect(ids(c, '2026-12-01T10:00')).toEqual(['u']);
    expect(reasonOf(c, '2026-12-01T10:30', 'a')).toBe('urgent');
    expect(ids(c, '2026-12-01T11:00')).toEqual(['a']);
  });

  it('explains every exclusion in French for the editor', () => {
    expect(EXCLUSION_MESSAGES.ended.fr).toBe('hors période de validité');
    expect(EXCLUSION_MESSAGES.closed.fr).toBe('centre fermé');
  });
});

describe('nextChange', () => {
  it('names the next instant the eligible set or the open state changes', () => {
    const c = channel([{ id: 'a', schedule: { from: '2026-12-10' } }]);
    // Tuesday 10:00: next change is the lunch closing at 12:30.
    expect(nextChange(c, at('2026-12-01T10:00'))).toEqual(at('2026-12-01T12:30'));
  });

  it('finds a change weeks away, past the weekly scan', () => {
    const c: SchedulableChannel = {
      timezone: 'Africa/Porto-Novo',
      hours: [],
      items: [{ id: 'a', schedule: { from: '2027-03-02' } }],
    };
    expect(nextChange(c, at('2026-12-01T10:00'))).toEqual(at('2027-03-02T00:00'));
  });

  it('finds a weekly window that starts after a distant validity bound', () => {
    // From a Tuesday, Mondays only: the first change is the Monday after.
    const c: SchedulableChannel = {
      timezone: 'Africa/Porto-Novo',
      hours: [],
      items: [{ id: 'a', schedule: { from: '2027-03-02', days: ['mon'] } }],
    };
    expect(nextChange(c, at('2026-12-01T10:00'))).toEqual(at('2027-03-08T00:00'));
  });

  it('returns null when nothing will ever change', () => {
    const c: SchedulableChannel = { timezone: 'Africa/Porto-Novo', hours: [], items: [{ id: 'a' }] };
    expect(nextChange(c, at('2026-12-01T10:00'))).toBeNull();
  });
});

describe('Benin public holidays', () => {
  it('computes Easter (Meeus) for known years', () => {
    const easter = (y: number) => new Date(easterSunday(y) * 86_400_000).toISOString().slice(0, 10);
    expect([2025, 2026, 2027, 2028].map(easter)).toEqual([
      '2025-04-20',
      '2026-04-05',
      '2027-03-28',
      '2028-04-16',
    ]);
  });

  it('puts the fête des religions traditionnelles on the second Friday of January and the Thursday before', () => {
    // Loi 2024-32; applied on 9–10 January 2025 and 8–9 January 2026.
    const vodun = (y: number) =>
      beninHolidays(y)
        .filter((h) => h.name.startsWith('Fête des religions'))
        .map((h) => h.date);
    expect(vodun(2025)).toEqual(['2025-01-09', '2025-01-10']);
    expect(vodun(2026)).toEqual(['2026-01-08', '2026-01-09']);
    expect(vodun(2027)).toEqual(['2027-01-07', '2027-01-08']);
  });

  it('lists the thirteen legal holidays plus the eve, and marks the Muslim feasts as estimates', () => {
    const list = beninHolidays(2027);
    expect(list).toHaveLength(14);
    expect(list.filter((h) => h.estimated).map((h) => h.name)).toEqual([
      'Ramadan (Aïd el-Fitr)',
      'Tabaski (Aïd el-Kébir)',
      'Maouloud',
    ]);
  });
});

describe('time zones', () => {
  it('gives the same answers whatever the zone of the machine', () => {
    const c = channel([
      { id: 'night', schedule: { days: ['fri'], times: [{ start: '22:00', end: '02:00' }] } },
      { id: 'day', schedule: { until: '2026-12-03' } },
    ]);
    const instants = Array.from(
      { length: 200 },
      (_, i) => at('2026-12-01T00:00').getTime() + i * 47 * 60_000,
    );
    const run = () =>
      instants.map((t) => `${eligibleAt(c, t).eligible.map((i) => i.id)}|${nextChange(c, t)?.getTime()}`);
    const original = process.env.TZ;
    try {
      process.env.TZ = 'Africa/Porto-Novo';
      const reference = run();
      for (const tz of ['Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'UTC']) {
        process.env.TZ = tz;
        // The machine really is in another zone now (Porto-Novo is −60 all year).
        expect(new Date(Date.UTC(2026, 6, 1)).getTimezoneOffset(), tz).not.toBe(-60);
        expect(run(), tz).toEqual(reference);
      }
    } finally {
      process.env.TZ = original;
    }
  });

  it('follows a channel in a zone with daylight saving across its transitions', () => {
    const paris: SchedulableChannel = {
      timezone: 'Europe/Paris',
      hours: [{ days: ['sun'], open: '08:00', close: '12:00' }],
      items: [{ id: 'morning', schedule: { when: 'open' } }],
    };
    // 29 March 2026, clocks go forward at 02:00; 25 October 2026, back at 03:00.
    expect(eligibleAt(paris, new Date('2026-03-29T06:00:00Z')).open).toBe(true); // 08:00 CEST
    expect(eligibleAt(paris, new Date('2026-03-29T05:59:00Z')).open).toBe(false);
    expect(eligibleAt(paris, new Date('2026-10-25T07:00:00Z')).open).toBe(true); // 08:00 CET
    expect(eligibleAt(paris, new Date('2026-10-25T06:59:00Z')).open).toBe(false);
    expect(nextChange(paris, new Date('2026-10-25T00:00:00Z'))).toEqual(new Date('2026-10-25T07:00:00Z'));
  });
});
