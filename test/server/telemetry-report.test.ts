import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/core/index.ts';
import { openDatabase, type Db } from '../../src/server/db.ts';
import { buildReport, csvField, rawCsv, summaryCsv } from '../../src/server/telemetry/report.ts';
import { check, HeartbeatSchema } from '../../src/server/telemetry/schema.ts';
import { TelemetryStore } from '../../src/server/telemetry/store.ts';
import { heartbeat, record, tempDir } from './telemetry-helpers.ts';

// Reports on a real SQLite file: summed in SQL, raw rows read an hour at a time.

describe('proof-of-play reports', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let db: Db;
  let store: TelemetryStore;
  beforeEach(async () => {
    tmp = await tempDir();
    db = openDatabase(tmp.dir);
    store = new TelemetryStore(db);
  });
  afterEach(async () => {
    db.close();
    await tmp.remove();
  });

  const ingest = (player: string, records: ReturnType<typeof record>[], counts: unknown[] = []) => {
    const checked = check(HeartbeatSchema, heartbeat({ player, plays: { batch: 'b-1', records, counts } }));
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    store.ingestHeartbeat(checked.value, Date.now(), 60);
  };

  it('a month of two screens: the SQL summary equals a count of the raw rows, and streaming does not hold the connection', () => {
    const t0 = Date.parse('2026-11-01T00:00:00+01:00');
    const insert = db.prepare(
      `INSERT INTO plays (player, id, channel, item, version, start, shown_s, outcome, reason, received_at)
       VALUES (?, ?, 'ccsp-lokossa', ?, 7, ?, ?, ?, NULL, 0)`,
    );
    db.transaction(() => {
      for (let i = 0; i < 60_000; i++) {
        const skipped = i % 10 === 0;
        insert.run(
          i % 2 ? 'p-screen-aaaa' : 'p-screen-bbbb',
          `r-${i}`,
          `item-${i % 7}`,
          t0 + i * 43_200,
          skipped ? 1.5 : 12,
          skipped ? 'skipped' : 'completed',
        );
      }
    })();
    const report = buildReport(
      store,
      { channel: 'ccsp-lokossa', from: '2026-11-01', to: '2026-11-30' },
      undefined,
    );
    expect(report.records).toBe(60_000);
    const expected = new Map<string, { plays: number; skipped: number }>();
    let lines = 0;
    let previous = '';
    for (const chunk of rawCsv(report)) {
      // Heartbeats go on being stored between chunks (no statement left open).
      ingest('p-screen-cccc', [record(lines)]);
      for (const line of chunk.split('\r\n').filter(Boolean)) {
        if (line.startsWith('kind,')) continue;
        lines++;
        const f = line.split(',');
        expect(f[7]! >= previous).toBe(true); // by start
        previous = f[7]!;
        const key = `${f[8]} ${f[4]}`;
        const e = expected.get(key) ?? { plays: 0, skipped: 0 };
        e.plays += 1;
        e.skipped += f[10] === 'skipped' ? 1 : 0;
        expected.set(key, e);
      }
    }
    expect(lines).toBe(60_000);
    expect(report.days.map((d) => [`${d.day} ${d.item}`, { plays: d.plays, skipped: d.skipped }])).toEqual(
      [...expected.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  });

  it('days are the channel’s, across a daylight-saving change', () => {
    // Paris goes to summer time on 29 March 2026 at 02:00 (UTC+1 → UTC+2).
    ingest('p-screen-aaaa', [
      record(1, 'p-screen-aaaa', Date.parse('2026-03-28T22:59:00Z')), // 23:59 on the 28th
      record(2, 'p-screen-aaaa', Date.parse('2026-03-28T23:00:00Z')), // 00:00 on the 29th
      record(3, 'p-screen-aaaa', Date.parse('2026-03-29T21:59:00Z')), // 23:59 on the 29th (UTC+2)
      record(4, 'p-screen-aaaa', Date.parse('2026-03-29T22:00:00Z')), // 00:00 on the 30th
    ]);
    const manifest = { timezone: 'Europe/Paris', items: [] } as unknown as Manifest;
    const report = buildReport(
      store,
      { channel: 'ccsp-lokossa', from: '2026-03-28', to: '2026-03-30' },
      manifest,
    );
    expect(report.days.map((d) => [d.day, d.plays])).toEqual([
      ['2026-03-28', 1],
      ['2026-03-29', 1], // record 3 is a clip (skipped): its own row
      ['2026-03-29', 1],
      ['2026-03-30', 1],
    ]);
    expect(summaryCsv(report).split('\r\n')[0]).toBe('day,item,title,plays,skipped,minutes');
  });

  it('CSV fields: RFC 4180 quoting, formulas defused, numbers left alone', () => {
    expect(csvField('Écran, "salle"')).toBe('"Écran, ""salle"""');
    expect(csvField('ligne\nsuivante')).toBe('"ligne\nsuivante"');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('-5', false)).toBe('-5');
    expect(csvField(null)).toBe('');
  });
});
