/**
 * The editor's tables in the server's SQLite file (db.ts), module 'editor'.
 * Steps are append-only once shipped: change a table by adding a step.
 * Other modules (the media library, telemetry) migrate their own module name.
 *
 * Times are milliseconds since the epoch (INTEGER); JSON documents are TEXT.
 */
import { migrate, type Db } from '../db.ts';

const STEPS = [
  `CREATE TABLE users (
     id INTEGER PRIMARY KEY,
     login TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('redacteur', 'validateur', 'admin')),
     password_hash TEXT NOT NULL,
     disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
     created_at INTEGER NOT NULL,
     password_changed_at INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE sessions (
     token_sha256 TEXT PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     created_at INTEGER NOT NULL,
     last_seen_at INTEGER NOT NULL,
     ip TEXT
   ) STRICT;
   CREATE INDEX sessions_user ON sessions(user_id);
   CREATE TABLE login_failures (
     at INTEGER NOT NULL,
     login TEXT NOT NULL,
     ip TEXT NOT NULL
   ) STRICT;
   CREATE INDEX login_failures_login ON login_failures(login, at);
   CREATE INDEX login_failures_ip ON login_failures(ip, at);
   CREATE TABLE audit (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at INTEGER NOT NULL,
     user_id INTEGER,
     user TEXT NOT NULL,
     action TEXT NOT NULL,
     channel TEXT,
     detail TEXT NOT NULL
   ) STRICT;
   CREATE INDEX audit_channel ON audit(channel, id);
   CREATE TABLE channels (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     timezone TEXT NOT NULL,
     site TEXT,
     created_at INTEGER NOT NULL,
     created_by TEXT NOT NULL,
     -- Never reset, so that a draft revision is never reused (no ABA after a publish).
     revision INTEGER NOT NULL DEFAULT 0
   ) STRICT;
   CREATE TABLE drafts (
     channel TEXT PRIMARY KEY REFERENCES channels(id),
     playlist TEXT NOT NULL,
     revision INTEGER NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('editing', 'submitted')),
     author_id INTEGER REFERENCES users(id),
     author TEXT NOT NULL,
     updated_at INTEGER NOT NULL,
     updated_by TEXT NOT NULL,
     submitted_at INTEGER,
     comment TEXT
   ) STRICT;
   CREATE TABLE versions (
     channel TEXT NOT NULL REFERENCES channels(id),
     version INTEGER NOT NULL,
     playlist TEXT NOT NULL,
     issued TEXT NOT NULL,
     expires TEXT NOT NULL,
     author TEXT NOT NULL,
     approved_by TEXT NOT NULL,
     items INTEGER NOT NULL,
     manifest_sha256 TEXT NOT NULL,
     PRIMARY KEY (channel, version)
   ) STRICT;`,
];

export function migrateEditor(db: Db): void {
  migrate(db, 'editor', STEPS);
}
