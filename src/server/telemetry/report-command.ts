/**
 * `ccsp-signage report`: a proof-of-play report from the data folder's SQLite file,
 * on the publisher or on a centre's box (both keep the records), with the titles
 * and time zone of the channel's published manifest when there is one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ChannelStore } from '../channel-store.ts';
import { DB_FILE, openDatabase } from '../db.ts';
import { UserError } from '../errors.ts';
import { writeFileAtomic } from '../files.ts';
import { buildReport, checkReportQuery, rawCsv, summaryCsv, UTF8_BOM } from './report.ts';
import { TelemetryStore } from './store.ts';

export interface ReportCommand {
  dataDir: string;
  channel: string;
  from: string;
  to: string;
  format: 'csv' | 'summary';
  out?: string | undefined;
}

/** Returns the CSV text, written to `out` when given; a UserError when the query or data folder is wrong. */
export async function runReport(command: ReportCommand): Promise<{ text: string; rows: number }> {
  const problem = checkReportQuery(command);
  if (problem) throw new UserError(problem);
  const dbPath = join(command.dataDir, DB_FILE);
  if (!existsSync(dbPath))
    throw new UserError(
      `no database in ${command.dataDir} (${DB_FILE}); run the report where "ccsp-signage serve" keeps its data, or set CCSP_DATA_DIR`,
    );
  const db = openDatabase(command.dataDir);
  try {
    const store = new TelemetryStore(db);
    const manifest = await new ChannelStore(join(command.dataDir, 'public')).manifest(command.channel);
    const report = buildReport(store, command, manifest);
    const text = command.format === 'csv' ? rawCsv(report) : summaryCsv(report);
    const rows = command.format === 'csv' ? report.raw.length : report.days.length;
    if (command.out) await writeFileAtomic(command.out, Buffer.from(UTF8_BOM + text, 'utf8'));
    return { text, rows };
  } finally {
    db.close();
  }
}
