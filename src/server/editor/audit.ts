/**
 * The editor's audit trail: who did what, to which channel, when. Written in the
 * same transaction as the change it records, so the trail and the data agree.
 */
import type { Db } from '../db.ts';

export interface AuditEntry {
  at: string;
  user: string;
  action: string;
  channel?: string;
  detail: Record<string, unknown>;
}

/**
 * Records an action. `user` is the account, or a name for what is not a person
 * (`import` at start, `cli` for the command line).
 */
export function audit(
  db: Db,
  user: { id: number; login: string } | string,
  action: string,
  channel: string | null,
  detail: Record<string, unknown> = {},
  at = Date.now(),
): void {
  const [id, login] = typeof user === 'string' ? [null, user] : [user.id, user.login];
  db.prepare('INSERT INTO audit (at, user_id, user, action, channel, detail) VALUES (?, ?, ?, ?, ?, ?)').run(
    at,
    id,
    login,
    action,
    channel,
    JSON.stringify(detail),
  );
}

/** Newest first. */
export function auditEntries(db: Db, options: { channel?: string; limit?: number } = {}): AuditEntry[] {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  const rows = (
    options.channel === undefined
      ? db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?').all(limit)
      : db
          .prepare('SELECT * FROM audit WHERE channel = ? ORDER BY id DESC LIMIT ?')
          .all(options.channel, limit)
  ) as { at: number; user: string; action: string; channel: string | null; detail: string }[];
  return rows.map((r) => ({
    at: new Date(r.at).toISOString(),
    user: r.user,
    action: r.action,
    ...(r.channel === null ? {} : { channel: r.channel }),
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  }));
}
