/**
 * `ccsp-signage report`: a proof-of-play report from the data folder's SQLite file,
 * on the publisher or on a centre's box (both keep the records), with the titles
 * and time zone of the channel's published manifest when there is one.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ChannelStore } from '../channel-store.ts';
import { DB_FILE, openDatabase } from '../db.ts';
import { UserError } from '../errors.ts';
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

/**
 * Writes the CSV to `out` (UTF-8 with a byte-order mark; a temporary file renamed
 * once complete) or to stdout, a few hundred lines at a time; a UserError when the
 * query or the data folder is wrong. Returns the number of rows written.
 */
export async function runReport(
  command: ReportCommand,
  stdout: NodeJS.WritableStream = process.stdout,
): Promise<{ rows: number }> {
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
    const chunks = command.format === 'csv' ? rawCsv(report) : [summaryCsv(report)];
    const rows = command.format === 'csv' ? report.records + report.counts : report.days.length;
    if (!command.out) {
      for (const chunk of chunks) if (!stdout.write(chunk)) await once(stdout, 'drain');
      return { rows };
    }
    await mkdir(dirname(resolve(command.out)), { recursive: true });
    const part = `${command.out}.${randomBytes(6).toString('hex')}.part`;
    try {
      await pipeline(
        Readable.from(
          (function* () {
            yield UTF8_BOM;
            yield* chunks;
          })(),
        ),
        createWriteStream(part, { flags: 'wx' }),
      );
      await rename(part, command.out);
    } catch (e) {
      await rm(part, { force: true });
      throw e;
    }
    return { rows };
  } finally {
    db.close();
  }
}
