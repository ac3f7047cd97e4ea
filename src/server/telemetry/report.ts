/**
 * Proof-of-play reports (docs/telemetry.md "Reports"): plays and minutes per item
 * per day, days counted in the channel's time zone, and the raw records as CSV
 * (RFC 4180) for partners. Hourly counts (records a screen merged during a long
 * outage) are merged in: a count's plays fall on the local day of its hour.
 */
import { DEFAULT_TIMEZONE, dayNumber, dayString, LocalClock, type Manifest } from '../../core/index.ts';
import type { TelemetryStore } from './store.ts';

/** A report covers at most this many days. */
export const REPORT_MAX_DAYS = 366;

export interface ReportRow {
  /** Local day, YYYY-MM-DD. */
  day: string;
  item: string;
  /** French title from the published manifest, when the item is still in it. */
  title: string | null;
  /** Every showing, completed or skipped. */
  plays: number;
  skipped: number;
  /** Minutes on screen, to a tenth. */
  minutes: number;
}

export interface RawRow {
  kind: 'record' | 'count';
  player: string;
  playerName: string | null;
  item: string;
  title: string | null;
  version: number;
  /** The record's start, or the count's hour (ISO 8601, UTC). */
  start: string;
  day: string;
  shownS: number;
  outcome: string | null;
  reason: string | null;
  plays: number;
  skipped: number;
}

/** A report: the summary at once, the raw rows as they are read (a year of records is not held in memory). */
export interface Report {
  channel: string;
  timezone: string;
  from: string;
  to: string;
  days: ReportRow[];
  /** How many records and counts the raw rows hold. */
  records: number;
  counts: number;
  raw(): Generator<RawRow>;
}

export type ReportQuery = { channel: string; from: string; to: string };

/** Checks a query's channel and days; an English message (CLI) when wrong. */
export function checkReportQuery(q: Partial<Record<keyof ReportQuery, unknown>>): string | undefined {
  if (typeof q.channel !== 'string' || !/^[a-z0-9-]{1,64}$/.test(q.channel))
    return 'the channel must be a channel id such as ccsp-lokossa';
  for (const key of ['from', 'to'] as const) {
    const value = q[key];
    if (
      typeof value !== 'string' ||
      !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
      dayString(dayNumber(value)) !== value
    )
      return `${key} must be a date YYYY-MM-DD`;
  }
  const days = dayNumber(q.to as string) - dayNumber(q.from as string) + 1;
  if (days < 1) return 'from must not be after to';
  if (days > REPORT_MAX_DAYS) return `a report covers at most ${REPORT_MAX_DAYS} days`;
  return undefined;
}

/** The French title of each item of the manifest, by id. */
export function frenchTitles(manifest: Manifest | undefined): Map<string, string> {
  const titles = new Map<string, string>();
  for (const item of manifest?.items ?? []) {
    const translations = (item.translations ?? []) as { lang: string; title: string }[];
    const fr =
      item.lang === 'fr' ? item.title : (translations.find((t) => t.lang === 'fr')?.title ?? item.title);
    titles.set(item.id, fr);
  }
  return titles;
}

export function buildReport(
  store: TelemetryStore,
  query: ReportQuery,
  manifest: Manifest | undefined,
): Report {
  const timezone = manifest?.timezone ?? DEFAULT_TIMEZONE;
  const clock = new LocalClock(timezone);
  const fromMs = clock.instant(dayNumber(query.from), 0);
  const toMs = clock.instant(dayNumber(query.to) + 1, 0);
  const titles = frenchTitles(manifest);
  const dayOf = (ms: number) => dayString(clock.parts(ms).day);

  const byKey = new Map<string, ReportRow & { seconds: number }>();
  for (const sum of store.playSums(query.channel, fromMs, toMs)) {
    const day = dayOf(sum.quarter * 900_000);
    const key = `${day}\u0000${sum.item}`;
    let row = byKey.get(key);
    if (!row) {
      row = {
        day,
        item: sum.item,
        title: titles.get(sum.item) ?? null,
        plays: 0,
        skipped: 0,
        minutes: 0,
        seconds: 0,
      };
      byKey.set(key, row);
    }
    row.plays += sum.plays;
    row.skipped += sum.skipped;
    row.seconds += sum.seconds;
  }
  const days = [...byKey.values()]
    .map(({ seconds, ...row }) => ({ ...row, minutes: Math.round(seconds / 6) / 10 }))
    .sort((a, b) =>
      a.day !== b.day ? (a.day < b.day ? -1 : 1) : a.item < b.item ? -1 : a.item > b.item ? 1 : 0,
    );

  function* raw(): Generator<RawRow> {
    const names = new Map(store.players().map((p) => [p.id, p.name]));
    for (const r of store.iteratePlays(query.channel, fromMs, toMs)) {
      const record = r.kind === 'record';
      yield {
        kind: r.kind,
        player: r.player,
        playerName: names.get(r.player) ?? null,
        item: r.item,
        title: titles.get(r.item) ?? null,
        version: r.version,
        start: new Date(r.start).toISOString(),
        day: dayOf(r.start),
        shownS: r.shownS,
        outcome: record ? r.outcome : null,
        reason: record ? r.reason : null,
        plays: record ? 1 : r.plays,
        skipped: record ? (r.outcome === 'skipped' ? 1 : 0) : r.skipped,
      };
    }
  }
  return {
    channel: query.channel,
    timezone,
    from: query.from,
    to: query.to,
    days,
    ...store.playTotals(query.channel, fromMs, toMs),
    raw,
  };
}

/**
 * One RFC 4180 field: quoted when it holds a comma, quote or line break. Text that
 * a spreadsheet would run as a formula (a player's name is not trusted) gets a
 * leading apostrophe (OWASP "CSV injection").
 */
export function csvField(value: string | number | null, text = true): string {
  if (value === null) return '';
  let s = String(value);
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const csvLine = (fields: string[]) => `${fields.join(',')}\r\n`;
/** Spreadsheets read the accents of French titles right only with it. */
export const UTF8_BOM = '\uFEFF';

export const RAW_CSV_HEADER =
  'kind,player,player_name,channel,item,title,version,start,local_day,shown_s,outcome,reason,plays,skipped';

/** The raw records and counts, one line each (CRLF, header first), in chunks of a few hundred lines. */
export function* rawCsv(report: Report): Generator<string> {
  let chunk = `${RAW_CSV_HEADER}\r\n`;
  let lines = 0;
  for (const r of report.raw()) {
    chunk += csvLine([
      r.kind,
      csvField(r.player),
      csvField(r.playerName),
      report.channel,
      csvField(r.item),
      csvField(r.title),
      String(r.version),
      r.start,
      r.day,
      String(r.shownS),
      csvField(r.outcome),
      csvField(r.reason),
      String(r.plays),
      String(r.skipped),
    ]);
    if (++lines % 500 === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** Plays and minutes per item per day. */
export function summaryCsv(report: Report): string {
  return (
    'day,item,title,plays,skipped,minutes\r\n' +
    report.days
      .map((d) =>
        csvLine([
          d.day,
          csvField(d.item),
          csvField(d.title),
          String(d.plays),
          String(d.skipped),
          d.minutes.toFixed(1),
        ]),
      )
      .join('')
  );
}
