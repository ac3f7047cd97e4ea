import { describe, expect, it } from 'vitest';
import type { SchedulableChannel } from '../../src/core/index.ts';
import type { ScreenStatus } from '../../src/server/telemetry/schema.ts';
import { openMs, screenState, type ScreenStateInput } from '../../src/server/telemetry/screen-state.ts';

// docs/telemetry.md "Down, and opening hours", with fixed clocks. The tests run in
// America/New_York (vitest.config.ts); the centre is in Africa/Porto-Novo (UTC+1).

const CHANNEL: SchedulableChannel = {
  timezone: 'Africa/Porto-Novo',
  hours: [
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '08:00', close: '12:30' },
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '15:00', close: '18:30' },
    { days: ['sat'], open: '09:00', close: '13:00' },
  ],
  closures: [{ from: '2026-12-25', reason: 'Noël' }],
  items: [],
};

/** An instant from a wall-clock time in Porto-Novo (UTC+1, no daylight saving). */
const local = (date: string, time: string) => Date.parse(`${date}T${time}+01:00`);
const TUESDAY = '2026-12-01';

const playing: ScreenStatus = {
  channel: 'ccsp-lokossa',
  sentAt: '2026-12-01T09:00:00.000Z',
  state: 'playing',
  painting: { ok: true },
};

function state(lastSeen: number, now: number, extra: Partial<ScreenStateInput> = {}) {
  return screenState({ status: playing, lastSeen, intervalS: 60, channel: CHANNEL, now, ...extra });
}

describe('screenState', () => {
  it('ok while heartbeats arrive', () => {
    expect(state(local(TUESDAY, '10:00:00'), local(TUESDAY, '10:00:30'))).toBe('ok');
  });

  it('down after three intervals missed during opening hours, not before', () => {
    expect(state(local(TUESDAY, '10:00:00'), local(TUESDAY, '10:02:59'))).toBe('ok');
    expect(state(local(TUESDAY, '10:00:00'), local(TUESDAY, '10:03:00'))).toBe('down');
    // The interval it was asked for counts: at 5 minutes, 15 minutes of silence.
    expect(state(local(TUESDAY, '10:00:00'), local(TUESDAY, '10:10:00'), { intervalS: 300 })).toBe('ok');
    expect(state(local(TUESDAY, '10:00:00'), local(TUESDAY, '10:15:00'), { intervalS: 300 })).toBe('down');
  });

  it('a night: silent after closing is closed, not an alarm, until three intervals of the next opening', () => {
    const last = local(TUESDAY, '18:29:30');
    expect(state(last, local(TUESDAY, '23:00:00'))).toBe('closed');
    expect(state(last, local('2026-12-02', '03:00:00'))).toBe('closed');
    expect(state(last, local('2026-12-02', '08:02:00'))).toBe('closed'); // 30 s + 2 min open
    expect(state(last, local('2026-12-02', '08:02:31'))).toBe('down');
  });

  it('the lunch break does not count', () => {
    const last = local(TUESDAY, '12:29:00');
    expect(state(last, local(TUESDAY, '14:59:00'))).toBe('closed');
    expect(state(last, local(TUESDAY, '15:01:59'))).toBe('closed');
    expect(state(last, local(TUESDAY, '15:02:00'))).toBe('down');
  });

  it('a closure day (Christmas, a Friday) raises no alarm; the Saturday opening does', () => {
    const last = local('2026-12-24', '18:29:30');
    expect(state(last, local('2026-12-25', '10:00:00'))).toBe('closed');
    expect(state(last, local('2026-12-25', '16:00:00'))).toBe('closed');
    expect(state(last, local('2026-12-26', '08:59:00'))).toBe('closed');
    expect(state(last, local('2026-12-26', '09:02:00'))).toBe('closed');
    expect(state(last, local('2026-12-26', '09:02:30'))).toBe('down');
  });

  it('a screen that died during the day stays down through the night', () => {
    const last = local(TUESDAY, '16:00:00');
    expect(state(last, local(TUESDAY, '23:00:00'))).toBe('down');
  });

  it('what the screen says: not-painting, no-content, stale', () => {
    const at = local(TUESDAY, '10:00:00');
    const with_ = (status: Partial<ScreenStatus>) =>
      state(at, at + 1000, { status: { ...playing, ...status } });
    expect(with_({ painting: { ok: false, reason: 'video-frozen' } })).toBe('not-painting');
    expect(with_({ state: 'no-content', painting: null })).toBe('no-content');
    expect(with_({ state: 'stale' })).toBe('stale');
    expect(with_({ state: 'loading', painting: undefined })).toBe('ok');
  });

  it('a screen heard of at night shows its own state', () => {
    const at = local(TUESDAY, '23:00:00');
    expect(state(at, at + 30_000)).toBe('ok');
  });

  it('without a published manifest every hour counts', () => {
    const last = local(TUESDAY, '18:29:30');
    expect(state(last, local(TUESDAY, '23:00:00'), { channel: undefined })).toBe('down');
  });

  it('behind a box: the box silent for three keep-alives during opening hours takes its screens down', () => {
    const seen = local(TUESDAY, '10:00:00');
    const relay = { lastContact: seen, everyS: 900 };
    // The screen was heard by its box at the box's last contact: what happened since is unknown.
    expect(state(seen, local(TUESDAY, '10:44:00'), { relay })).toBe('ok');
    expect(state(seen, local(TUESDAY, '10:45:00'), { relay })).toBe('down');
    // A screen its box has not heard for three intervals is down, however fresh the box.
    const fresh = { lastContact: local(TUESDAY, '10:05:00'), everyS: 900 };
    expect(state(seen, local(TUESDAY, '10:06:00'), { relay: fresh })).toBe('down');
    // At night the box's silence is not an alarm.
    const evening = { lastContact: local(TUESDAY, '18:20:00'), everyS: 900 };
    expect(state(local(TUESDAY, '18:20:00'), local(TUESDAY, '22:00:00'), { relay: evening })).toBe('closed');
  });
});

describe('openMs', () => {
  it('adds the open time between two instants in the channel’s zone', () => {
    // Tuesday 00:00 to Wednesday 00:00: 4 h 30 + 3 h 30.
    expect(openMs(CHANNEL, local(TUESDAY, '00:00:00'), local('2026-12-02', '00:00:00'))).toBe(8 * 3600_000);
    // A full week with the Christmas closure: 4 weekdays × 8 h + Saturday 4 h.
    expect(openMs(CHANNEL, local('2026-12-21', '00:00:00'), local('2026-12-28', '00:00:00'))).toBe(
      (4 * 8 + 4) * 3600_000,
    );
  });

  it('stops early: a screen silent for months is judged as fast as one silent for minutes', () => {
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++)
      openMs(CHANNEL, local('2026-01-05', '10:00:00'), local('2026-12-01', '10:00:00'), 180_000);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
