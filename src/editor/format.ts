/**
 * French wording for the editor's pages: sizes, relative times, local dates and
 * times in a channel's time zone (whatever the zone of the staff's computer).
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { fr } from 'date-fns/locale';
import { formatTimeOfDay } from '../core/clock-format.ts';
import { dayNumber, dayString, LocalClock, MINUTE } from '../core/schedule/local-time.ts';

/** `850 octets`, `12 Ko`, `3,4 Mo`, `1,2 Go` (1 Ko = 1024 octets, as file managers show). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} octet${bytes > 1 ? 's' : ''}`;
  const units = ['Ko', 'Mo', 'Go'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value < 10 ? 1 : 0;
  return `${value.toLocaleString('fr-FR', { maximumFractionDigits: digits })} ${units[unit]}`;
}

const relative = new Intl.RelativeTimeFormat('fr', { numeric: 'auto', style: 'short' });

/** `il y a 3 min`, `il y a 2 h`, `hier`; `à l’instant` under a minute. */
export function formatAgo(at: number, now: number): string {
  const s = Math.round((now - at) / 1000);
  if (Math.abs(s) < 60) return 'à l’instant';
  const m = Math.round(s / 60);
  if (Math.abs(m) < 60) return relative.format(-m, 'minute');
  const h = Math.round(m / 60);
  if (Math.abs(h) < 48) return relative.format(-h, 'hour');
  return relative.format(-Math.round(h / 24), 'day');
}

/** `28/11/2026 à 10 h 05` in the zone. */
export function formatDateTime(at: number, timeZone: string): string {
  return format(new TZDate(at, timeZone), "dd/MM/yyyy 'à' H 'h' mm", { locale: fr });
}

/** `jeudi 28 novembre 2026` of a `YYYY-MM-DD` day. */
export function formatLongDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return format(new Date(y, m - 1, d), 'EEEE d MMMM yyyy', { locale: fr });
}

/** A local date and time (`YYYY-MM-DD`, `HH:MM`) in a zone, as the form fields hold them. */
export interface LocalDateTime {
  date: string;
  time: string;
}

export function toLocal(at: number, timeZone: string): LocalDateTime {
  const parts = new LocalClock(timeZone).parts(at);
  const minute = Math.floor(parts.minute);
  const hh = String(Math.floor(minute / 60)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return { date: dayString(parts.day), time: `${hh}:${mm}` };
}

/** The instant of a local date and time in the zone; NaN when a field is not filled in. */
export function fromLocal(local: LocalDateTime, timeZone: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(local.date) || !/^\d{2}:\d{2}/.test(local.time)) return NaN;
  const [h, m] = local.time.split(':').map(Number) as [number, number];
  return new LocalClock(timeZone).instant(dayNumber(local.date), h * 60 + m);
}

/** Local midnight of the day and of the next one, in ms. */
export function dayBounds(date: string, timeZone: string): [number, number] {
  const clock = new LocalClock(timeZone);
  const day = dayNumber(date);
  return [clock.instant(day, 0), clock.instant(day + 1, 0)];
}

/** `8 h`, `10 h 05` of an instant in the zone; `24 h` for the next midnight when `end` is set. */
export function formatHour(at: number, timeZone: string, dayEnd?: number): string {
  if (dayEnd !== undefined && at >= dayEnd) return '24 h';
  const { time } = toLocal(at, timeZone);
  return formatTimeOfDay(time);
}

/** `3 min`, `1 h 20`, `45 s` of a length in ms. */
export function formatLength(ms: number): string {
  if (ms < MINUTE) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 60) return `${minutes} min`;
  const m = minutes % 60;
  return `${Math.floor(minutes / 60)} h${m ? ` ${String(m).padStart(2, '0')}` : ''}`;
}
