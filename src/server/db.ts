/**
 * The server's SQLite database (better-sqlite3 12.x; 13.x crashes on Node 20, see
 * TOOLCHAIN.md): accounts, drafts, history and audit for the editor, heartbeats and
 * proof of play for telemetry. One file in the data folder, `ccsp.sqlite`.
 *
 * Each module owns its tables and its migrations (`migrate(db, 'editor', [...])`):
 * a module's steps run once each, in order, inside a transaction, so a crash in
 * the middle of one leaves the file as it was before it.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export const DB_FILE = 'ccsp.sqlite';

/** Opens (creating) the database of a data folder, or any path (':memory:' in tests). */
export function openDatabase(dataDirOrFile: string, { file = false } = {}): Db {
  const path = file || dataDirOrFile === ':memory:' ? dataDirOrFile : join(dataDirOrFile, DB_FILE);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // WAL: readers (the editor's lists, the fleet view) never wait for the writer
  // (heartbeat ingest); synchronous=NORMAL is durable across a process crash, and
  // across a power cut up to the last checkpoint, which is what a box can promise.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Two processes on one data folder (serve and a CLI command) wait for each other.
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS schema_versions (
    module TEXT PRIMARY KEY,
    version INTEGER NOT NULL
  ) STRICT`);
  return db;
}

/**
 * Brings a module's tables up to date: runs the steps after the recorded version,
 * each with the version bump in one transaction. Steps are append-only: never
 * edit a step that has shipped, add one.
 */
export function migrate(db: Db, module: string, steps: readonly string[]): void {
  const row = db.prepare('SELECT version FROM schema_versions WHERE module = ?').get(module) as
    { version: number } | undefined;
  const current = row?.version ?? 0;
  if (current > steps.length) {
    throw new Error(
      `the database's ${module} tables are at version ${current}, newer than this program (${steps.length}); update ccsp-signage`,
    );
  }
  for (let v = current; v < steps.length; v++) {
    db.transaction(() => {
      db.exec(steps[v]!);
      db.prepare(
        'INSERT INTO schema_versions (module, version) VALUES (?, ?) ON CONFLICT(module) DO UPDATE SET version = excluded.version',
      ).run(module, v + 1);
    })();
  }
}
