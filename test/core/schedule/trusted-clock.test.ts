import { describe, expect, it } from 'vitest';
import { serverTimeFromHeaders, TrustedClock } from '../../../src/core/index.ts';

const NOW = Date.parse('2026-11-28T10:00:00Z');
const ISSUED = Date.parse('2026-11-27T08:00:00Z');

function fakeClock(device: number) {
  const state = { device, mono: 1000 };
  const clock = new TrustedClock(
    () => state.device,
    () => state.mono,
  );
  return { clock, state };
}

describe('TrustedClock', () => {
  it('uses a plausible device clock as it is', () => {
    const { clock } = fakeClock(NOW);
    clock.observeSigned(ISSUED);
    expect(clock.now()).toEqual({ now: NOW, skewMs: 0, implausible: false, source: 'device' });
  });

  it('never goes below the latest signed time, and keeps running from it on a 1970 clock', () => {
    const { clock, state } = fakeClock(0);
    clock.observeSigned(ISSUED);
    expect(clock.now()).toMatchObject({ now: ISSUED, implausible: true, source: 'signed' });
    state.mono += 60_000;
    state.device += 60_000;
    expect(clock.now()).toMatchObject({ now: ISSUED + 60_000, skewMs: ISSUED, implausible: true });
  });

  it('calls a device clock more than a day behind the signed time implausible', () => {
    const { clock } = fakeClock(ISSUED - 25 * 3600_000);
    clock.observeSigned(ISSUED);
    expect(clock.now()).toMatchObject({ implausible: true, now: ISSUED });
    const { clock: late } = fakeClock(ISSUED - 3600_000);
    late.observeSigned(ISSUED);
    expect(late.now()).toMatchObject({ implausible: false, now: ISSUED, source: 'signed' });
  });

  it('follows the server time when the server is reachable, and reports the skew', () => {
    const { clock, state } = fakeClock(Date.parse('2026-11-28T09:00:00Z'));
    clock.observeSigned(ISSUED);
    clock.observeServer(NOW);
    expect(clock.now()).toEqual({ now: NOW, skewMs: 3600_000, implausible: false, source: 'server' });
    state.mono += 5000;
    expect(clock.now().now).toBe(NOW + 5000);
  });

  it('does not let a server time behind the signed time roll time back', () => {
    const { clock } = fakeClock(NOW);
    clock.observeSigned(NOW);
    clock.observeServer(NOW - 3600_000);
    expect(clock.now()).toMatchObject({ now: NOW, source: 'signed' });
  });

  it('reads the HTTP Date header and ignores a missing or absurd one', () => {
    const h = (v: string | null) => ({ get: () => v });
    expect(serverTimeFromHeaders(h('Sat, 28 Nov 2026 10:00:00 GMT'))).toBe(NOW);
    expect(serverTimeFromHeaders(h(null))).toBeUndefined();
    expect(serverTimeFromHeaders(h('Thu, 01 Jan 1970 00:00:00 GMT'))).toBeUndefined();
    expect(serverTimeFromHeaders(h('not a date'))).toBeUndefined();
  });
});
