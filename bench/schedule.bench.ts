/**
 * The schedule engine on a 500-item channel with mixed rules: `timeline` over 7
 * days (target ≤ 20 ms) and `eligibleAt` per call, against a baseline of one pass
 * over the items in the same run.
 */
import {
  compile,
  eligibleAt,
  nextChange,
  timeline,
  type SchedulableChannel,
  type Weekday,
} from '../src/core/index.ts';
import { medianMs, ratio, target, type Bench } from './harness.ts';

const DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same channel. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mixedChannel(n: number): SchedulableChannel {
  const rnd = random(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const hh = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const items = Array.from({ length: n }, (_, i) => {
    const kind = rnd();
    const schedule: Record<string, unknown> = {};
    if (kind < 0.3) schedule.until = `2026-12-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
    if (kind > 0.2 && kind < 0.45) schedule.days = DAYS.filter(() => rnd() < 0.6).concat(pick(DAYS));
    if (kind > 0.4 && kind < 0.6) {
      const start = Math.floor(rnd() * 96) * 15;
      schedule.times = [{ start: hh(start), end: hh((start + 60 + Math.floor(rnd() * 8) * 30) % 1440) }];
    }
    if (kind > 0.6 && kind < 0.75) schedule.when = pick(['open', 'closed'] as const);
    if (i % 50 === 7) schedule.every = 30;
    if (i % 100 === 13) schedule.share = 0.05;
    const urgent = i % 250 === 99;
    if (urgent) Object.assign(schedule, { from: '2026-12-02T10:00', until: '2026-12-02T12:00' });
    return {
      id: `item-${i}`,
      priority: urgent ? ('urgent' as const) : ('normal' as const),
      duration: 8 + Math.floor(rnd() * 25),
      schedule,
    };
  });
  return {
    timezone: 'Africa/Porto-Novo',
    hours: [
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '08:00', close: '12:30' },
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '15:00', close: '18:30' },
      { days: ['sat'], open: '09:00', close: '13:00' },
    ],
    closures: [{ from: '2026-12-03', reason: 'Fermeture exceptionnelle' }],
    publicHolidays: { calendar: 'bj' },
    items,
  };
}

const bench: Bench = {
  title: 'Schedule engine (500 items, mixed rules)',
  async run() {
    const from = Date.parse('2026-11-30T00:00:00+01:00');
    const week = from + 7 * 86_400_000;
    const fresh = () => ({ ...mixedChannel(500) });
    const channel = fresh();
    compile(channel);
    const entries = timeline(channel, from, week).length;
    // Each run compiles a fresh copy, as a new manifest would.
    const tl = await medianMs(() => timeline(fresh(), from, week), 15);
    const instants = Array.from({ length: 1000 }, (_, i) => from + i * 600_000);
    let k = 0;
    const eligible = await medianMs(() => eligibleAt(channel, instants[k++ % instants.length]!), 2000);
    const next = await medianMs(() => nextChange(channel, instants[k++ % instants.length]!), 300);
    // Baseline for the timeline: the same number of entries from a plain round robin, no rules.
    const plain = await medianMs(() => {
      const out: { item: unknown; start: number; end: number }[] = [];
      let t = from;
      for (let i = 0; out.length < entries; i++) {
        const item = channel.items[i % channel.items.length]!;
        out.push({ item, start: t, end: (t += (item.duration ?? 1) * 1000) });
      }
      return out;
    }, 15);
    let sink = 0;
    const baseline = await medianMs(() => {
      for (const it of channel.items) sink += it.duration ?? 0;
    }, 2000);
    if (sink < 0) console.log(sink);
    return [
      {
        case: 'baseline: one pass over the 500 items',
        value: `${(baseline * 1000).toFixed(2)} µs`,
        ratio: '1.0×',
      },
      {
        case: 'baseline: as many entries by plain round robin',
        value: `${plain.toFixed(2)} ms`,
        ratio: '1.0× (timeline)',
      },
      {
        case: 'eligibleAt, per call',
        value: `${(eligible * 1000).toFixed(2)} µs`,
        ratio: ratio(eligible, baseline),
      },
      { case: 'nextChange, per call', value: `${(next * 1000).toFixed(1)} µs`, ratio: ratio(next, baseline) },
      {
        case: `timeline, 7 days (${entries} entries, compile included)`,
        value: `${tl.toFixed(1)} ms`,
        ratio: ratio(tl, plain),
        target: target(tl <= 20, '≤ 20 ms'),
      },
    ];
  },
};
export default bench;
