import { describe, expect, it } from 'vitest';
import { timeline, type SchedulableChannel, type SchedulableItem } from '../../../src/core/index.ts';

const T0 = Date.parse('2026-12-01T08:00:00+01:00');
const always = (items: SchedulableItem[]): SchedulableChannel => ({
  timezone: 'Africa/Porto-Novo',
  hours: [],
  items,
});
const order = (c: SchedulableChannel, minutes: number) =>
  timeline(c, T0, T0 + minutes * 60_000).map((e) => e.item?.id ?? '-');

describe('timeline', () => {
  it('plays the items in turn, A → B → C → A, each for its duration', () => {
    const c = always([
      { id: 'a', duration: 10 },
      { id: 'b', duration: 20 },
      { id: 'c', duration: 5 },
    ]);
    const entries = timeline(c, T0, T0 + 70_000);
    expect(entries.map((e) => [e.item?.id, (e.end - e.start) / 1000])).toEqual([
      ['a', 10],
      ['b', 20],
      ['c', 5],
      ['a', 10],
      ['b', 20],
      ['c', 5],
    ]);
  });

  it('shows an `every` item at least every N minutes', () => {
    const items: SchedulableItem[] = Array.from({ length: 20 }, (_, i) => ({
      id: `n${i}`,
      duration: 15 + (i % 3) * 5,
    }));
    items.push({ id: 'often', duration: 10, schedule: { every: 2 } });
    const starts = timeline(always(items), T0, T0 + 3600_000)
      .filter((e) => e.item?.id === 'often')
      .map((e) => e.start);
    const gaps = starts.slice(1).map((s, i) => (s - starts[i]!) / 1000);
    // First due N minutes after playing began: the loop opens the day, not the `every` item.
    expect(starts[0]! - T0).toBeGreaterThanOrEqual(120_000);
    expect(starts[0]! - T0).toBeLessThanOrEqual(120_000 + 25_000);
    // At most N minutes plus the item that was playing when it fell due.
    expect(Math.max(...gaps)).toBeLessThanOrEqual(120 + 25);
    expect(starts.length).toBeGreaterThanOrEqual(24);
  });

  it('keeps a `share` item to its share of the airtime', () => {
    const items: SchedulableItem[] = Array.from({ length: 6 }, (_, i) => ({ id: `n${i}`, duration: 12 }));
    items.push({ id: 'quarter', duration: 12, schedule: { share: 0.25 } });
    const entries = timeline(always(items), T0, T0 + 2 * 3600_000);
    const airtime = (id: string) =>
      entries.filter((e) => e.item?.id === id).reduce((s, e) => s + e.end - e.start, 0);
    expect(airtime('quarter') / (2 * 3600_000)).toBeCloseTo(0.25, 1);
  });

  it('cuts the current item when an urgent one starts, and repeats the urgent one until it ends', () => {
    const c = always([
      { id: 'long', duration: 60 },
      {
        id: 'u',
        priority: 'urgent',
        duration: 20,
        schedule: { from: '2026-12-01T08:00', until: '2026-12-01T08:01' },
      },
    ]);
    const entries = timeline(c, T0 - 30_000, T0 + 120_000);
    expect(entries.map((e) => [e.item?.id, (e.start - T0) / 1000, (e.end - T0) / 1000])).toEqual([
      ['long', -30, 0],
      ['u', 0, 20],
      ['u', 20, 40],
      ['u', 40, 60],
      ['long', 60, 120],
    ]);
  });

  it('leaves a gap, shown as the welcome or closed card, while nothing may play', () => {
    const c: SchedulableChannel = {
      timezone: 'Africa/Porto-Novo',
      hours: [{ days: ['tue'], open: '08:00', close: '12:00' }],
      items: [{ id: 'open-only', duration: 30, schedule: { when: 'open' } }],
    };
    const entries = timeline(c, T0 - 60_000, T0 + 60_000);
    expect(entries.map((e) => [e.item?.id ?? null, e.open])).toEqual([
      [null, false],
      ['open-only', true],
      ['open-only', true],
    ]);
  });

  it('is deterministic: the editor preview and the screen agree', () => {
    const c = always([
      { id: 'a', duration: 7 },
      { id: 'b', duration: 9, schedule: { every: 1 } },
      { id: 'c', duration: 11 },
    ]);
    expect(order(c, 30)).toEqual(order(c, 30));
  });
});
