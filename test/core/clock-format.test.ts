import { afterAll, describe, expect, it } from 'vitest';
import { formatClock, formatDays, formatOpeningHours, formatTimeOfDay } from '../../src/core/clock-format.ts';

// The device's own zone must not matter: the screen shows the channel's time.
// Node re-reads TZ when process.env.TZ is assigned, so one file proves both zones.
const original = process.env.TZ;
afterAll(() => {
  process.env.TZ = original;
});

describe('formatClock', () => {
  for (const zone of ['America/New_York', 'Europe/Paris']) {
    it(`shows Africa/Porto-Novo time in French when the device is in ${zone}`, () => {
      process.env.TZ = zone;
      // The device zone really changed: its offset differs from Porto-Novo's (-60).
      // (in July: Paris is UTC+2 then, Porto-Novo UTC+1 all year).
      expect(new Date('2026-07-02T09:05:00Z').getTimezoneOffset()).not.toBe(-60);
      expect(formatClock(new Date('2026-07-02T09:05:00Z'), 'Africa/Porto-Novo')).toBe(
        'jeudi 2 juillet, 10 h 05',
      );
      // 23:30 UTC is already the next day in Porto-Novo, 1 h 30 in Paris, the day before in New York.
      expect(formatClock(Date.parse('2026-06-20T23:30:00Z'), 'Africa/Porto-Novo')).toBe(
        'dimanche 21 juin, 0 h 30',
      );
    });
  }

  it('defaults to Africa/Porto-Novo and follows another channel zone when given', () => {
    process.env.TZ = 'America/New_York';
    expect(formatClock(new Date('2026-07-01T12:00:00Z'))).toBe('mercredi 1 juillet, 13 h 00');
    expect(formatClock(new Date('2026-07-01T12:00:00Z'), 'Europe/Paris')).toBe('mercredi 1 juillet, 14 h 00');
  });
});

describe('opening hours in French', () => {
  it('formats times of day the French way', () => {
    expect(formatTimeOfDay('08:00')).toBe('8 h');
    expect(formatTimeOfDay('12:30')).toBe('12 h 30');
  });

  it('names ranges and lists of days', () => {
    expect(formatDays(['mon', 'tue', 'wed', 'thu', 'fri'])).toBe('du lundi au vendredi');
    expect(formatDays(['sat'])).toBe('samedi');
    expect(formatDays(['fri', 'mon', 'wed'])).toBe('lundi, mercredi et vendredi');
  });

  it('groups the sample channel hours by days', () => {
    expect(
      formatOpeningHours([
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '08:00', close: '12:30' },
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '15:00', close: '18:30' },
        { days: ['sat'], open: '09:00', close: '13:00' },
      ]),
    ).toEqual([
      { days: 'du lundi au vendredi', times: '8 h – 12 h 30, 15 h – 18 h 30' },
      { days: 'samedi', times: '9 h – 13 h' },
    ]);
  });
});
