/**
 * Login throttling (docs/editor-api.md): at most 5 failed attempts per login and per
 * address in any 15 minutes. Kept in the database, so a restart does not reset it.
 */
import type { Db } from '../db.ts';
import { normalizeLogin } from './accounts.ts';

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60_000;

export class LoginLimiter {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait when the login or the address is locked out, else undefined. */
  retryAfter(login: string, ip: string): number | undefined {
    const now = this.now();
    const since = now - WINDOW_MS;
    let until = 0;
    for (const [column, value] of [
      ['login', normalizeLogin(login)],
      ['ip', ip],
    ] as const) {
      const times = (
        this.db
          .prepare(`SELECT at FROM login_failures WHERE ${column} = ? AND at > ? ORDER BY at DESC LIMIT ?`)
          .all(value, since, MAX_FAILURES) as { at: number }[]
      ).map((r) => r.at);
      // Locked until the oldest of the last five leaves the window.
      if (times.length >= MAX_FAILURES) until = Math.max(until, times[MAX_FAILURES - 1]! + WINDOW_MS);
    }
    return until > now ? Math.max(1, Math.ceil((until - now) / 1000)) : undefined;
  }

  fail(login: string, ip: string): void {
    const now = this.now();
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM login_failures WHERE at <= ?').run(now - WINDOW_MS);
      this.db
        .prepare('INSERT INTO login_failures (at, login, ip) VALUES (?, ?, ?)')
        .run(now, normalizeLogin(login).slice(0, 200), ip);
    })();
  }

  /** A successful login forgets that login's failures (not the address's). */
  succeed(login: string): void {
    this.db.prepare('DELETE FROM login_failures WHERE login = ?').run(normalizeLogin(login));
  }
}
