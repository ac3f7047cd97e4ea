import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  beninHolidays,
  eligibleAt,
  nextChange,
  timeline,
  type SchedulableChannel,
  type SchedulableItem,
  type Weekday,
} from '../../../src/core/index.ts';

// Property tests against a brute-force model written independently of the engine:
// local time from Intl.DateTimeFormat, rules compared as local "YYYY-MM-DDTHH:MM"
// strings. Zones without daylight saving keep string order equal to time order
// (the engine's own DST handling has example tests in engine.test.ts).
const ZONES = ['Africa/Porto-Novo', 'Asia/Kolkata', 'America/Sao_Paulo'];
const DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const START = Date.parse('2026-12-21T00:00:00Z'); // the span covers Noël
const SPAN_DAYS = 12;

const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = (m: number) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
const dateOf = (dayOffset: number) => new Date(START + dayOffset * 86_400_000).toISOString().slice(0, 10);

const quarter = fc.integer({ min: 0, max: 95 }).map((q) => q * 15);
const days = fc.subarray(DAYS, { minLength: 1 });
const localDateTime = fc.oneof(
  fc.integer({ min: -2, max: SPAN_DAYS + 2 }).map(dateOf),
  fc.tuple(fc.integer({ min: -2, max: SPAN_DAYS + 2 }), quarter).map(([d, m]) => `${dateOf(d)}T${hhmm(m)}`),
);
const schedule = fc.record(
  {
    from: localDateTime,
    until: localDateTime,
    days,
    times: fc.array(
      fc
        .tuple(quarter, quarter)
        .filter(([a, b]) => a !== b)
        .map(([a, b]) => ({ start: hhmm(a), end: hhmm(b) })),
      { minLength: 1, maxLength: 2 },
    ),
    when: fc.constantFrom('always' as const, 'open' as const, 'closed' as const),
  },
  { requiredKeys: [] },
);
const item = (i: number) =>
  fc
    .record({
      priority: fc.constantFrom('normal' as const, 'normal' as const, 'urgent' as const),
      schedule,
      duration: fc.integer({ min: 5, max: 40 }),
    })
    .map((x): SchedulableItem => ({ id: `i${i}`, ...x }));
const channelArb = fc
  .record({
    timezone: fc.constantFrom(...ZONES),
    hours: fc.array(
      fc
        .tuple(days, quarter, quarter)
        .filter(([, a, b]) => a < b)
        .map(([d, a, b]) => ({ days: d, open: hhmm(a), close: hhmm(b) })),
      { maxLength: 3 },
    ),
    closures: fc.array(
      fc
        .tuple(fc.integer({ min: 0, max: SPAN_DAYS }), fc.integer({ min: 0, max: 2 }))
        .map(([d, n]) => ({ from: dateOf(d), to: dateOf(d + n), reason: 'x' })),
      { maxLength: 2 },
    ),
    holidays: fc.boolean(),
    items: fc
      .integer({ min: 1, max: 6 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => item(i)))),
  })
  .map(({ holidays, ...c }): SchedulableChannel =>
    holidays ? { ...c, publicHolidays: { calendar: 'bj' } } : c,
  );

const formatters = new Map<string, Intl.DateTimeFormat>();
function local(t: number, tz: string) {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday!);
  return { date: `${p.year}-${p.month}-${p.day}`, minute: Number(p.hour) * 60 + Number(p.minute), weekday };
}

const holidayDates = new Set([2026, 2027].flatMap((y) => beninHolidays(y).map((h) => h.date)));

/** The model: which ids may play at t, and whether the centre is open. */
function brute(c: SchedulableChannel, t: number): string {
  const l = local(t, c.timezone);
  const stamp = `${l.date}T${hhmm(l.minute)}`;
  const closedDay =
    (c.closures ?? []).some((x) => x.from <= l.date && l.date <= (x.to ?? x.from)) ||
    (c.publicHolidays !== undefined && holidayDates.has(l.date));
  const open =
    !closedDay &&
    c.hours.some(
      (h) => h.days.includes(DAYS[l.weekday]!) && l.minute >= toMin(h.open) && l.minute < toMin(h.close),
    );
  const passing = c.items.filter((it) => {
    const s = it.schedule ?? {};
    if (s.from !== undefined && stamp < (s.from.length === 10 ? `${s.from}T00:00` : s.from)) return false;
    if (s.until !== undefined && stamp >= (s.until.length === 10 ? `${s.until}T24:00` : s.until))
      return false;
    if (s.when === 'open' && !open) return false;
    if (s.when === 'closed' && open) return false;
    const today = (s.days ?? DAYS).includes(DAYS[l.weekday]!);
    const yesterday = (s.days ?? DAYS).includes(DAYS[(l.weekday + 6) % 7]!);
    if (!s.times) return today;
    return s.times.some(({ start, end }) => {
      const [a, b] = [toMin(start), toMin(end)];
      return a < b
        ? today && l.minute >= a && l.minute < b
        : (today && l.minute >= a) || (yesterday && l.minute < b);
    });
  });
  const urgent = passing.filter((it) => it.priority === 'urgent');
  return `${open}:${(urgent.length > 0 ? urgent : passing).map((it) => it.id).join(',')}`;
}
const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
const engine = (c: SchedulableChannel, t: number) => {
  const e = eligibleAt(c, t);
  return `${e.open}:${e.eligible.map((i) => i.id).join(',')}`;
};
// Half the instants fall on quarter hours, where every rule of the arbitraries has its edges.
const instant = fc.oneof(
  fc.integer({ min: 0, max: SPAN_DAYS * 1440 - 1 }).map((m) => START + m * 60_000),
  fc.integer({ min: 0, max: SPAN_DAYS * 96 - 1 }).map((q) => START + q * 15 * 60_000),
);

describe('the schedule engine against a brute-force model', () => {
  it('eligibleAt agrees with a minute-by-minute evaluation', () => {
    fc.assert(
      fc.property(channelArb, fc.array(instant, { minLength: 20, maxLength: 20 }), (c, ts) => {
        for (const t of ts) expect(engine(c, t)).toBe(brute(c, t));
        for (const t of ts) expect(engine(c, t + 37_000)).toBe(brute(c, t + 37_000)); // within the minute
      }),
      { numRuns: 300 },
    );
  });

  it('nextChange is never later than the first change, and names a real one', () => {
    fc.assert(
      fc.property(channelArb, instant, (c, t0) => {
        const next = nextChange(c, t0)?.getTime() ?? Infinity;
        expect(next).toBeGreaterThan(t0);
        const before = brute(c, t0);
        const limit = Math.min(next, t0 + 2 * 86_400_000);
        for (let t = t0 + 60_000; t < limit; t += 60_000) expect(brute(c, t)).toBe(before);
        if (next <= t0 + 2 * 86_400_000) expect(brute(c, next)).not.toBe(before);
      }),
      { numRuns: 120 },
    );
  });

  it('the timeline plays only eligible items, urgent ones first, end to end without gaps', () => {
    fc.assert(
      fc.property(channelArb, instant, (c, t0) => {
        const t1 = t0 + 6 * 3600_000;
        const entries = timeline(c, t0, t1);
        expect(entries[0]!.start).toBe(t0);
        expect(entries.at(-1)!.end).toBe(t1);
        for (let i = 0; i < entries.length; i++) {
          const e = entries[i]!;
          if (i > 0) expect(e.start).toBe(entries[i - 1]!.end);
          expect(e.end).toBeGreaterThan(e.start);
          const allowed = brute(c, e.start).split(':')[1]!.split(',').filter(Boolean);
          if (e.item) expect(allowed).toContain(e.item.id);
          else expect(allowed).toEqual([]);
        }
      }),
      { numRuns: 60 },
    );
  });
});
