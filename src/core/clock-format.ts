/**
 * Dates, times and opening hours as citizens read them on the screen, in French
 * and in the channel's time zone whatever the device's own zone (DESIGN.md "Time").
 */
import { DEFAULT_TIMEZONE, type Manifest } from './manifest-schema.ts';

/** The parts of a date in French, as the screen writes them. */
export interface FrenchDateParts {
  /** `jeudi` */
  weekday: string;
  /** `28` */
  day: string;
  /** `novembre` */
  month: string;
  /** `10 h 05` (never `10 h` alone: a clock shows its minutes) */
  time: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * The date's parts in the zone, from the platform's own French data (Intl: the
 * player does not carry a date library's locales for this). Hours 0 to 23, no
 * leading zero; minutes on two digits.
 */
export function frenchDateParts(date: Date | number, timeZone: string = DEFAULT_TIMEZONE): FrenchDateParts {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('fr-FR', {
      timeZone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    formats.set(timeZone, f);
  }
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const p of f.formatToParts(+date)) parts[p.type] = p.value;
  const minute = String(Number(parts.minute)).padStart(2, '0');
  return {
    weekday: parts.weekday ?? '',
    day: String(Number(parts.day)),
    month: parts.month ?? '',
    time: `${Number(parts.hour)} h ${minute}`,
  };
}

/** `jeudi 28 novembre, 10 h 05`: the French typographic form of the time (Imprimerie nationale). */
export function formatClock(date: Date | number, timeZone: string = DEFAULT_TIMEZONE): string {
  const p = frenchDateParts(date, timeZone);
  return `${p.weekday} ${p.day} ${p.month}, ${p.time}`;
}

/** `10 h 05`, or `10 h` on the hour. */
export function formatTimeOfDay(clock: string): string {
  const [h = '0', m = '00'] = clock.split(':');
  const hours = String(Number(h));
  return m === '00' ? `${hours} h` : `${hours} h ${m}`;
}

const DAY_NAMES: Record<string, string> = {
  mon: 'lundi',
  tue: 'mardi',
  wed: 'mercredi',
  thu: 'jeudi',
  fri: 'vendredi',
  sat: 'samedi',
  sun: 'dimanche',
};
const DAY_ORDER = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** `du lundi au vendredi`, `samedi`, `lundi, mercredi et vendredi`. */
export function formatDays(days: readonly string[]): string {
  const sorted = [...new Set(days)].sort((a, b) => DAY_ORDER.indexOf(a) - DAY_ORDER.indexOf(b));
  const idx = sorted.map((d) => DAY_ORDER.indexOf(d));
  const consecutive = idx.every((v, i) => i === 0 || v === idx[i - 1]! + 1);
  const names = sorted.map((d) => DAY_NAMES[d] ?? d);
  if (names.length >= 3 && consecutive) return `du ${names[0]} au ${names[names.length - 1]}`;
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} et ${names[names.length - 1]}`;
}

export interface HoursLine {
  days: string;
  /** `8 h – 12 h 30, 15 h – 18 h 30` */
  times: string;
}

/**
 * The week's opening hours, one line per group of days in manifest order:
 * `du lundi au vendredi : 8 h – 12 h 30, 15 h – 18 h 30`.
 */
export function formatOpeningHours(hours: Manifest['hours']): HoursLine[] {
  const groups = new Map<string, { days: readonly string[]; times: string[] }>();
  for (const h of hours) {
    const key = [...h.days].sort().join(',');
    const group = groups.get(key) ?? { days: h.days, times: [] };
    group.times.push(`${formatTimeOfDay(h.open)} – ${formatTimeOfDay(h.close)}`);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({ days: formatDays(g.days), times: g.times.join(', ') }));
}
