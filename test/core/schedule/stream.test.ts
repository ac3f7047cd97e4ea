import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { scheduleTicks, TrustedClock, type SchedulableChannel } from '../../../src/core/index.ts';

// A simulated week in virtual time: the schedule stream sleeps until nextChange,
// reacts at once to a new manifest, and survives the device clock jumping to 1970.
const MON = Date.parse('2026-11-30T00:00:00+01:00');
const H = 3600_000;

const base: SchedulableChannel = {
  timezone: 'Africa/Porto-Novo',
  hours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '08:00', close: '17:00' }],
  closures: [{ from: '2026-12-03', reason: 'Fermeture exceptionnelle' }], // Thursday
  items: [
    { id: 'welcome', duration: 10, schedule: { when: 'open' } },
    { id: 'closed-card', duration: 10, schedule: { when: 'closed' } },
  ],
};
const withUrgent: SchedulableChannel = {
  ...base,
  items: [
    ...base.items,
    {
      id: 'coupure',
      priority: 'urgent',
      duration: 15,
      schedule: { from: '2026-12-02T10:00', until: '2026-12-02T11:00' },
    },
  ],
};

describe('scheduleTicks over a simulated week', () => {
  it('follows opening hours, a closure, an urgent item and a device clock jump to 1970', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      // The device clock: right, except from Tuesday 12:00 to 18:00, when it reads 1970.
      const device = () => {
        const t = MON + scheduler.now();
        return t >= MON + 36 * H && t < MON + 42 * H ? 5_000 : t;
      };
      const clock = new TrustedClock(device, () => scheduler.now());
      clock.observeSigned(MON - 24 * H);
      const manifests = new Subject<SchedulableChannel>();
      const ticks: { at: number; ids: string; open: boolean }[] = [];
      const skews: number[] = [];
      const started = performance.now();
      const subscription = scheduleTicks(
        manifests,
        () => {
          const t = clock.now();
          if (t.implausible) skews.push(t.skewMs);
          return t.now;
        },
        scheduler,
      ).subscribe((tick) =>
        ticks.push({
          at: (tick.at - MON) / H,
          ids: tick.eligible.map((i) => i.id).join(','),
          open: tick.open,
        }),
      );
      manifests.next(base);
      // The new manifest with the urgent item arrives on Wednesday at 09:30.
      scheduler.schedule(() => manifests.next(withUrgent), 57.5 * H);
      // The stream never ends by itself (it sleeps until the next change): stop after a week.
      scheduler.schedule(() => subscription.unsubscribe(), 7 * 24 * H);
      flush();
      expect(performance.now() - started).toBeLessThan(1000);

      expect(ticks).toEqual([
        { at: 0, ids: 'closed-card', open: false },
        { at: 8, ids: 'welcome', open: true }, // Monday
        { at: 17, ids: 'closed-card', open: false },
        { at: 32, ids: 'welcome', open: true }, // Tuesday, clock fine until 12:00
        // 12:00–18:00 the device reads 1970: trusted time keeps running, so closing at 17:00 is on time.
        { at: 41, ids: 'closed-card', open: false },
        { at: 56, ids: 'welcome', open: true }, // Wednesday
        { at: 58, ids: 'coupure', open: true }, // urgent from 10:00, announced at 09:30
        { at: 59, ids: 'welcome', open: true },
        { at: 65, ids: 'closed-card', open: false },
        // Thursday is closed all day (closure): no opening at 08:00.
        { at: 104, ids: 'welcome', open: true }, // Friday
        { at: 113, ids: 'closed-card', open: false },
      ]);
      expect(skews.length).toBeGreaterThan(0);
      expect(Math.min(...skews)).toBeGreaterThan(Date.UTC(2024, 0, 1));
    });
  });

  it('reacts at once when a new manifest arrives', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectObservable }) => {
      const m2 = { ...base, items: [{ id: 'other', duration: 5 }] };
      const manifests = cold('a 9ms b', { a: base, b: m2 });
      const ids = (t: number) => (t === 0 ? 'closed-card' : 'other');
      const ticks = scheduleTicks(manifests, () => MON + scheduler.now(), scheduler);
      expectObservable(
        ticks.pipe((s) => s),
        '^ 11ms !',
      ).toBe('a 9ms b', {
        a: expect.objectContaining({ eligible: [expect.objectContaining({ id: ids(0) })] }),
        b: expect.objectContaining({ eligible: [expect.objectContaining({ id: ids(10) })] }),
      });
    });
  });
});
