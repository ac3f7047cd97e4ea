import { describe, expect, it } from 'vitest';
import { timeline } from '../../src/core/schedule/index.ts';
import { validateManifest, type Manifest, type ManifestInput } from '../../src/core/index.ts';
import { closureOf, dayProgramme, frenchTitle } from '../../src/editor/day-programme.ts';
import {
  dayBounds,
  formatAgo as ago,
  formatBytes,
  formatHour,
  fromLocal,
  toLocal,
} from '../../src/editor/format.ts';
import { sampleManifest } from '../fixtures.ts';

// Runs with TZ=America/New_York (vitest.config.ts): hours must come out in the channel's zone.

const announcement = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  kind: 'announcement',
  lang: 'fr',
  priority: 'normal',
  title: `Annonce ${id}`,
  body: 'Texte.',
  duration: 20,
  schedule: { until: '2099-12-31' },
  ...extra,
});

function manifest(items: unknown[]): Manifest {
  const r = validateManifest(sampleManifest({ items: items as ManifestInput['items'] }));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

const m = manifest([
  announcement('a', { schedule: { until: '2099-12-31', when: 'open' } }),
  announcement('b', {
    schedule: { until: '2099-12-31', when: 'open', times: [{ start: '09:00', end: '11:00' }] },
  }),
  announcement('u', {
    priority: 'urgent',
    schedule: { from: '2026-11-30T10:00', until: '2026-11-30T10:30' },
  }),
  announcement('f', {
    title: 'Fermé',
    lang: 'fon',
    translations: [{ lang: 'fr', title: 'Centre fermé', body: 'Réouverture à 8 h.' }],
    schedule: { until: '2099-12-31', when: 'closed' },
  }),
]);
const TZ = m.timezone;

describe('dayProgramme', () => {
  const [from, to] = dayBounds('2026-11-30', TZ);
  const periods = dayProgramme(m, from, to);
  const hour = (t: number) => formatHour(t, TZ, to);

  it('cuts the day where the schedule changes, in the channel’s hours', () => {
    expect(
      periods.map(
        (p) => `${hour(p.start)}-${hour(p.end)} ${p.open ? 'open' : 'closed'}${p.urgent ? ' urgent' : ''}`,
      ),
    ).toEqual([
      '0 h-8 h closed',
      '8 h-9 h open',
      '9 h-10 h open',
      '10 h-10 h 30 open urgent',
      '10 h 30-11 h open',
      '11 h-17 h 30 open',
      '17 h 30-24 h closed',
    ]);
    expect(periods[0]!.start).toBe(from);
    expect(periods.at(-1)!.end).toBe(to);
    periods.slice(1).forEach((p, i) => expect(p.start).toBe(periods[i]!.end));
  });

  it('lists what core’s timeline plays in each period, with its plays and airtime', () => {
    const entries = timeline(m, from, to);
    for (const p of periods) {
      const inside = entries.filter((e) => e.item && e.start >= p.start && e.start < p.end);
      expect(p.lines.map((l) => l.item.id).sort()).toEqual(
        [...new Set(inside.map((e) => e.item!.id))].sort(),
      );
      for (const line of p.lines) {
        const mine = inside.filter((e) => e.item!.id === line.item.id);
        expect(line.plays).toBe(mine.length);
        expect(line.ms).toBe(mine.reduce((s, e) => s + e.end - e.start, 0));
      }
    }
    expect(periods[3]!.lines.map((l) => l.item.id)).toEqual(['u']);
    expect(periods[2]!.lines.map((l) => l.item.id).sort()).toEqual(['a', 'b']);
  });

  it('says why the centre is closed all day', () => {
    const closed = manifest([announcement('a')]);
    const withClosure = {
      ...closed,
      closures: [{ from: '2026-12-02', reason: 'Inventaire' }],
      publicHolidays: { calendar: 'bj' as const, except: [] },
    };
    expect(closureOf(withClosure, '2026-12-02')).toBe('Inventaire');
    expect(closureOf(withClosure, '2026-12-25')).toMatch(/No[eë]l/);
    expect(closureOf(withClosure, '2026-12-03')).toBeUndefined();
  });

  it('names items in French', () => {
    expect(frenchTitle(m.items[3]!)).toBe('Centre fermé');
    expect(frenchTitle(m.items[0]!)).toBe('Annonce a');
  });
});

describe('format', () => {
  it('converts between instants and the channel’s wall clock, whatever the machine’s zone', () => {
    const at = fromLocal({ date: '2026-11-30', time: '09:15' }, TZ);
    expect(new Date(at).toISOString()).toBe('2026-11-30T08:15:00.000Z');
    expect(toLocal(at, TZ)).toEqual({ date: '2026-11-30', time: '09:15' });
    expect(Number.isNaN(fromLocal({ date: '', time: '09:15' }, TZ))).toBe(true);
  });

  it('says sizes and ages as staff read them', () => {
    expect(formatBytes(850)).toBe('850 octets');
    expect(formatBytes(1869)).toBe('1,8 Ko');
    expect(formatBytes(3_565_158)).toBe('3,4 Mo');
    expect(formatBytes(250 * 1024 * 1024)).toBe('250 Mo');
    const now = Date.now();
    // Intl puts a narrow no-break space between number and unit, as French typography wants.
    const formatAgo = (at: number, n: number) => ago(at, n).replace(/\s/g, ' ');
    expect(formatAgo(now - 20_000, now)).toBe('à l’instant');
    expect(formatAgo(now - 3 * 60_000, now)).toBe('il y a 3 min');
    expect(formatAgo(now - 2 * 3600_000, now)).toBe('il y a 2 h');
  });
});
