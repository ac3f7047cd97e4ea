/**
 * Public holidays of Benin (fériés, chômés et payés), which a manifest refers to
 * with `"publicHolidays": { "calendar": "bj" }`.
 *
 * Sources:
 * - Loi n° 90-019 du 27 juillet 1990 fixant les fêtes légales en République du Bénin:
 *   1 January, Easter Monday, 1 May, Ascension, Whit Monday, 1 August (fête nationale),
 *   15 August, 1 November, 25 December, and the Muslim feasts of Maouloud
 *   (12 Rabiʻ al-Awwal), Ramadan (1 Shawwal) and Tabaski (10 Dhou al-Hijja).
 * - Loi n° 2024-32 du 02 septembre 2024 fixant la fête annuelle des religions
 *   traditionnelles: the second Friday of January and the Thursday before it
 *   (replacing the 10 January of loi n° 97-031); applied e.g. on 8 and 9 January 2026.
 *
 * The Muslim feasts follow the sighting of the moon: the government fixes each one
 * by decree shortly before. The dates below are astronomical estimates and may be
 * off by a day; staff correct them with `closures` and `publicHolidays.except`.
 */
import { dayNumber, DAY } from './local-time.ts';

export interface Holiday {
  date: string;
  name: string;
  /** True for the Muslim feasts, whose official date is set by decree each year. */
  estimated?: boolean;
}

/** Estimated dates of the Muslim feasts (see above). */
const MUSLIM_FEASTS: Record<number, { ramadan: string; tabaski: string; maouloud: string }> = {
  2026: { ramadan: '2026-03-20', tabaski: '2026-05-27', maouloud: '2026-08-26' },
  2027: { ramadan: '2027-03-10', tabaski: '2027-05-17', maouloud: '2027-08-15' },
  2028: { ramadan: '2028-02-27', tabaski: '2028-05-05', maouloud: '2028-08-04' },
  2029: { ramadan: '2029-02-15', tabaski: '2029-04-24', maouloud: '2029-07-24' },
  2030: { ramadan: '2030-02-05', tabaski: '2030-04-13', maouloud: '2030-07-13' },
};

export const FIRST_HOLIDAY_YEAR = 2026;
export const LAST_HOLIDAY_YEAR = 2030;

/** Gregorian Easter Sunday as a day number (the anonymous Gregorian algorithm, Meeus). */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day) / DAY;
}

const iso = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/** The holidays of one year, in date order. */
export function beninHolidays(year: number): Holiday[] {
  const easter = easterSunday(year);
  // Second Friday of January: 1 January's weekday decides (0 = Sunday … 6 = Saturday).
  const jan1 = Date.UTC(year, 0, 1) / DAY;
  const firstFriday = jan1 + ((5 - new Date(jan1 * DAY).getUTCDay() + 7) % 7);
  const vodun = firstFriday + 7;
  const list: Holiday[] = [
    { date: `${year}-01-01`, name: 'Jour de l’An' },
    { date: iso(vodun - 1), name: 'Fête des religions traditionnelles (veille)' },
    { date: iso(vodun), name: 'Fête des religions traditionnelles' },
    { date: iso(easter + 1), name: 'Lundi de Pâques' },
    { date: `${year}-05-01`, name: 'Fête du Travail' },
    { date: iso(easter + 39), name: 'Ascension' },
    { date: iso(easter + 50), name: 'Lundi de Pentecôte' },
    { date: `${year}-08-01`, name: 'Fête nationale' },
    { date: `${year}-08-15`, name: 'Assomption' },
    { date: `${year}-11-01`, name: 'Toussaint' },
    { date: `${year}-12-25`, name: 'Noël' },
  ];
  const muslim = MUSLIM_FEASTS[year];
  if (muslim) {
    list.push(
      { date: muslim.ramadan, name: 'Ramadan (Aïd el-Fitr)', estimated: true },
      { date: muslim.tabaski, name: 'Tabaski (Aïd el-Kébir)', estimated: true },
      { date: muslim.maouloud, name: 'Maouloud', estimated: true },
    );
  }
  return list.sort((x, y) => (x.date < y.date ? -1 : 1));
}

/** Holidays by local day number, for the years this build knows. */
export function beninHolidayDays(): Map<number, Holiday> {
  const out = new Map<number, Holiday>();
  for (let year = FIRST_HOLIDAY_YEAR; year <= LAST_HOLIDAY_YEAR; year++) {
    for (const h of beninHolidays(year)) out.set(dayNumber(h.date), h);
  }
  return out;
}
