import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import {
  buildHeartbeat,
  heartbeatLoop,
  judgePainting,
  MAX_ERRORS,
  minimalHeartbeat,
  parseHeartbeatAnswer,
  pushError,
  type HeartbeatResult,
  type TelemetryError,
} from '../../../src/core/telemetry/index.ts';

const NOW = Date.parse('2026-12-01T09:00:00.000Z');

describe('the heartbeat body', () => {
  it('is the contract of docs/telemetry.md', () => {
    const painting = judgePainting({ framesPresented: 58, visible: true, videoAdvancing: null });
    const body = buildHeartbeat({
      player: 'p-3f9c0a1e7d2b4c55',
      name: 'Écran salle d’attente',
      channel: 'ccsp-lokossa',
      now: NOW,
      uptimeMs: 3_600_400,
      state: 'playing',
      manifest: { version: 7, issued: '2026-11-30T09:00:00.000Z' },
      item: 'bienvenue',
      skewMs: 1600,
      cache: { usage: 1234567, quota: 1e9 },
      painting,
      power: 'ok',
      errors: [],
    });
    expect(body).toEqual({
      v: 1,
      player: 'p-3f9c0a1e7d2b4c55',
      name: 'Écran salle d’attente',
      channel: 'ccsp-lokossa',
      sentAt: '2026-12-01T09:00:00.000Z',
      uptimeS: 3600,
      state: 'playing',
      manifest: { version: 7, ageS: 86400 },
      item: 'bienvenue',
      clockSkewS: 2,
      cache: { usedBytes: 1234567, quotaBytes: 1e9 },
      painting: { ok: true, framesPresented: 58, visible: true, videoAdvancing: null, reason: null },
      power: 'ok',
      errors: [],
    });
  });

  it('has a minimal form with only the fields every server requires', () => {
    const painting = judgePainting({ framesPresented: 1, visible: null, videoAdvancing: null });
    const full = buildHeartbeat({
      player: 'p-3f9c0a1e7d2b4c55',
      channel: 'ccsp-lokossa',
      now: NOW,
      uptimeMs: 0,
      state: 'loading',
      skewMs: 0,
      painting,
      power: 'ok',
      errors: [],
    });
    expect(minimalHeartbeat(full)).toEqual({
      v: 1,
      player: 'p-3f9c0a1e7d2b4c55',
      channel: 'ccsp-lokossa',
      sentAt: '2026-12-01T09:00:00.000Z',
      state: 'loading',
    });
  });

  it('says why painting fails, the page first', () => {
    expect(judgePainting({ framesPresented: 0, visible: false, videoAdvancing: false }).reason).toBe(
      'no-frames',
    );
    expect(judgePainting({ framesPresented: 9, visible: false, videoAdvancing: false }).reason).toBe(
      'hidden',
    );
    expect(judgePainting({ framesPresented: 9, visible: true, videoAdvancing: false })).toMatchObject({
      ok: false,
      reason: 'video-frozen',
    });
    expect(judgePainting({ framesPresented: 9, visible: null, videoAdvancing: null }).ok).toBe(true);
  });

  it('keeps the last errors, short', () => {
    let errors: TelemetryError[] = [];
    for (let i = 0; i < 25; i++) errors = pushError(errors, NOW + i, `e${i} ${'x'.repeat(i * 20)}`);
    expect(errors).toHaveLength(MAX_ERRORS);
    expect(errors.at(-1)!.message).toMatch(/^e24 /);
    expect(errors.every((e) => e.message.length <= 300)).toBe(true);
  });

  it('reads the answer, and refuses what is not one', () => {
    expect(
      parseHeartbeatAnswer({
        ack: 'b-1',
        intervalS: 2,
        power: 'eco',
        display: 'off',
        serverTime: '2026-12-01T09:00:00.000Z',
      }),
    ).toEqual({ ack: 'b-1', intervalS: 10, power: 'eco', display: 'off', serverTime: NOW });
    expect(parseHeartbeatAnswer({ ack: null })).toEqual({
      ack: null,
      intervalS: 60,
      power: undefined,
      display: undefined,
      serverTime: undefined,
    });
    expect(parseHeartbeatAnswer({ ack: 5 })).toBeUndefined();
    expect(parseHeartbeatAnswer('ok')).toBeUndefined();
  });
});

describe('the heartbeat timer (virtual time)', () => {
  const answer = (intervalS: number, more = false): HeartbeatResult => ({
    ok: true,
    more,
    answer: { ack: null, intervalS, power: 'ok', display: 'on', serverTime: undefined },
  });

  /** The virtual times at which `send` was called while the loop ran for `forMs`. */
  function sendTimes(
    results: HeartbeatResult[],
    forMs: number,
    opts: { requestMs?: number; scale?: number; firstDelayMs?: number } = {},
  ) {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const sends: number[] = [];
    scheduler.run(({ cold }) => {
      let n = 0;
      const loop = heartbeatLoop({
        scheduler,
        scale: () => opts.scale ?? 1,
        firstDelayMs: opts.firstDelayMs,
        send: () => {
          sends.push(scheduler.now());
          const a = results[Math.min(n++, results.length - 1)]!;
          return cold(opts.requestMs ? `${opts.requestMs}ms (a|)` : '(a|)', { a });
        },
      });
      const sub = loop.subscribe();
      scheduler.schedule(() => sub.unsubscribe(), forMs);
    });
    return sends;
  }

  it('beats at once, then at the interval the server gives, timed from the end of the previous one', () => {
    const failed: HeartbeatResult = { ok: false, error: 'network' };
    // Each request takes 1 s; a failure waits for the next interval, like a success.
    expect(
      sendTimes([answer(60), failed, failed, answer(30), answer(30)], 200_000, { requestMs: 1000 }),
    ).toEqual([0, 61_000, 122_000, 183_000]);
    expect(sendTimes([failed, answer(30)], 100_000, { requestMs: 1000 })).toEqual([0, 61_000, 92_000]);
  });

  it('never beats more often than every 10 s, and drains a long queue at that floor', () => {
    expect(sendTimes([answer(60, true), answer(60, true), answer(60), answer(1)], 105_000)).toEqual([
      0, 10_000, 20_000, 80_000, 90_000, 100_000,
    ]);
  });

  it('waits before the first heartbeat when told (a page reloading in a loop)', () => {
    expect(sendTimes([answer(60)], 130_000, { firstDelayMs: 7000 })).toEqual([7000, 67_000, 127_000]);
  });

  it('scales its delays with the player time-scale', () => {
    expect(sendTimes([answer(60)], 1500, { scale: 0.01 })).toEqual([0, 600, 1200]);
  });

  it('survives a send that throws or never answers', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, cold }) => {
      let n = 0;
      const loop = heartbeatLoop({
        scheduler,
        send: () => {
          if (n++ === 0) throw new Error('boom');
          return cold('|');
        },
      });
      expectObservable(loop, '^ 61s !').toBe('a 59999ms b', {
        a: { ok: false, error: 'Error: boom' },
        b: { ok: false, error: 'no answer' },
      });
    });
  });
});
