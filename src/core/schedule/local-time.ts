/**
 * Wall-clock time in an IANA zone, computed from instants with @date-fns/tz,
 * whatever the zone of the machine. Days are numbered from 1970-01-01 in the
 * zone (local day numbers), minutes from local midnight.
 */
import { tzOffset } from '@date-fns/tz/tzOffset';

export const MINUTE = 60_000;
export const DAY = 86_400_000;

export interface LocalParts {
  /** Days since 1970-01-01 in the zone. */
  day: number;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  /** Minutes since local midnight, with fractions. */
  minute: number;
}

/** Offsets are looked up per quarter hour: every zone's transitions fall on one. */
const QUARTER = 15 * MINUTE;

export class LocalClock {
  private readonly cache = new Map<number, number>();

  constructor(readonly timeZone: string) {}

  /** Offset from UTC in milliseconds at the instant. */
  offset(ms: number): number {
    const key = Math.floor(ms / QUARTER);
    let minutes = this.cache.get(key);
    if (minutes === undefined) {
      if (this.cache.size > 50_000) this.cache.clear();
      minutes = tzOffset(this.timeZone, new Date(key * QUARTER));
      this.cache.set(key, minutes);
    }
    return minutes * MINUTE;
  }

  parts(ms: number): LocalParts {
    const local = ms + this.offset(ms);
    const day = Math.floor(local / DAY);
    return { day, weekday: mod(day + 3, 7), minute: (local - day * DAY) / MINUTE };
  }

  /**
   * The instant of a local wall-clock time. A time repeated when clocks go back is
   * its first occurrence; a time skipped when they go forward moves forward by the
   * length of the jump, as JavaScript dates do (02:30 on a spring-forward night is 03:30).
   */
  instant(day: number, minute: number): number {
    const local = day * DAY + minute * MINUTE;
    const before = this.offset(local - DAY / 2);
    const after = this.offset(local + DAY / 2);
    if (before === after) return local - before; // no transition nearby: the usual case
    const candidates = [local - before, local - after].filter(
      (t, i) => this.offset(t) === (i === 0 ? before : after),
    );
    return candidates.length > 0 ? Math.min(...candidates) : local - before;
  }
}

export function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/** Local day number of a "YYYY-MM-DD" string. */
export function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY;
}

/** "YYYY-MM-DD" of a local day number. */
export function dayString(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** Minutes since midnight of "HH:MM" (24:00 allowed as the end of a day). */
export function clockMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}
