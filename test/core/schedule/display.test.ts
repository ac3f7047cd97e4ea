import { describe, expect, it } from 'vitest';
import { displayAt, displayPlan, nextOpening, type SchedulableChannel } from '../../../src/core/index.ts';

/** Local time in Porto-Novo (UTC+1, no daylight saving). */
const at = (local: string) => new Date(`${local}:00+01:00`).getTime();
const local = (ms: number) => new Date(ms + 3600_000).toISOString().slice(0, 16);

// Week of Monday 2026-12-21: a closure on Wednesday 23, Christmas (public holiday) on Friday 25.
const channel: SchedulableChannel = {
  timezone: 'Africa/Porto-Novo',
  hours: [
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '08:00', close: '12:30' },
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '15:00', close: '18:30' },
    { days: ['sat'], open: '09:00', close: '13:00' },
  ],
  closures: [{ from: '2026-12-23', reason: 'Inventaire' }],
  publicHolidays: { calendar: 'bj' },
  items: [],
};

describe('displayAt', () => {
  it('is on from 15 minutes before opening until closing', () => {
    expect(displayAt(channel, at('2026-12-21T07:44'))).toBe('off');
    expect(displayAt(channel, at('2026-12-21T07:45'))).toBe('on');
    expect(displayAt(channel, at('2026-12-21T12:29'))).toBe('on');
    expect(displayAt(channel, at('2026-12-21T12:30'))).toBe('off');
    expect(displayAt(channel, at('2026-12-21T14:45'))).toBe('on');
    expect(displayAt(channel, at('2026-12-21T18:30'))).toBe('off');
    expect(displayAt(channel, at('2026-12-21T03:00'))).toBe('off');
  });

  it('is off all day on a closure, a public holiday and a day without hours', () => {
    for (const t of ['2026-12-23T07:50', '2026-12-23T10:00', '2026-12-25T10:00', '2026-12-27T10:00'])
      expect(displayAt(channel, at(t)), t).toBe('off');
  });

  it('takes the lead from the options', () => {
    expect(displayAt(channel, at('2026-12-21T07:45'), { leadMinutes: 0 })).toBe('off');
    expect(displayAt(channel, at('2026-12-21T07:30'), { leadMinutes: 30 })).toBe('on');
  });

  it('merges windows closer than the lead and follows a window opening at midnight', () => {
    const c: SchedulableChannel = {
      timezone: 'Africa/Porto-Novo',
      hours: [
        { days: ['mon'], open: '08:00', close: '12:00' },
        { days: ['mon'], open: '12:10', close: '14:00' },
        { days: ['tue'], open: '00:00', close: '02:00' },
      ],
      items: [],
    };
    const plan = displayPlan(c, at('2026-12-21T00:00'), at('2026-12-23T00:00'));
    expect(plan.changes.map((x) => `${local(x.at)} ${x.display}`)).toEqual([
      '2026-12-21T07:45 on',
      '2026-12-21T14:00 off',
      '2026-12-21T23:45 on',
      '2026-12-22T02:00 off',
    ]);
  });
});

describe('displayPlan', () => {
  it('lists the week’s changes in Porto-Novo time, skipping the closure and the holiday', () => {
    const plan = displayPlan(channel, at('2026-12-21T00:00'), at('2026-12-28T00:00'));
    expect(plan.initial).toBe('off');
    expect(plan.changes.map((x) => `${local(x.at)} ${x.display}`)).toEqual([
      '2026-12-21T07:45 on',
      '2026-12-21T12:30 off',
      '2026-12-21T14:45 on',
      '2026-12-21T18:30 off',
      '2026-12-22T07:45 on',
      '2026-12-22T12:30 off',
      '2026-12-22T14:45 on',
      '2026-12-22T18:30 off',
      // Wednesday 23: closed (Inventaire).
      '2026-12-24T07:45 on',
      '2026-12-24T12:30 off',
      '2026-12-24T14:45 on',
      '2026-12-24T18:30 off',
      // Friday 25: Noël. Saturday 26: 09:00–13:00.
      '2026-12-26T08:45 on',
      '2026-12-26T13:00 off',
    ]);
  });

  it('gives the state at the start, and no change at the start itself', () => {
    const plan = displayPlan(channel, at('2026-12-21T07:45'), at('2026-12-21T13:00'));
    expect(plan.initial).toBe('on');
    expect(plan.changes).toEqual([{ at: at('2026-12-21T12:30'), display: 'off' }]);
  });

  it('agrees with displayAt minute by minute', () => {
    const from = at('2026-12-20T00:00');
    const plan = displayPlan(channel, from, from + 9 * 86_400_000);
    let state = plan.initial;
    let i = 0;
    for (let t = from; t < from + 9 * 86_400_000; t += 60_000) {
      while (plan.changes[i] && plan.changes[i]!.at <= t) state = plan.changes[i++]!.display;
      if (displayAt(channel, t) !== state) throw new Error(`differs at ${local(t)}`);
    }
  });
});

describe('nextOpening', () => {
  it('skips closures and holidays', () => {
    expect(local(nextOpening(channel, at('2026-12-21T13:00'))!)).toBe('2026-12-21T15:00');
    expect(local(nextOpening(channel, at('2026-12-22T19:00'))!)).toBe('2026-12-24T08:00');
    expect(local(nextOpening(channel, at('2026-12-24T19:00'))!)).toBe('2026-12-26T09:00');
    expect(local(nextOpening(channel, at('2026-12-26T13:00'))!)).toBe('2026-12-28T08:00');
  });

  it('is null without opening hours', () => {
    expect(nextOpening({ ...channel, hours: [] }, at('2026-12-21T13:00'))).toBeNull();
  });
});
