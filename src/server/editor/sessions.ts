/**
 * Editor sessions (docs/editor-api.md "Sessions"): a random 32-byte token in the
 * `ccsp_session` cookie; the database keeps only its SHA-256, so a copy of the
 * file does not let anyone log in. 12 hours idle, 7 days at most.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db.ts';
import { toUser, type Role, type User } from './accounts.ts';

export const SESSION_COOKIE = 'ccsp_session';
export const IDLE_MS = 12 * 3600_000;
export const MAX_AGE_MS = 7 * 86_400_000;
/** last_seen_at is written at most this often: a request need not always write. */
const TOUCH_EVERY_MS = 60_000;

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export type SessionLookup = { status: 'ok'; user: User } | { status: 'expired' } | { status: 'none' };

interface Row {
  token_sha256: string;
  user_id: number;
  created_at: number;
  last_seen_at: number;
  login: string;
  name: string;
  role: Role;
  disabled: number;
}

export class Sessions {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new session for the user; returns the token for the cookie (never stored). */
  create(userId: number, ip: string | undefined): string {
    const token = randomBytes(32).toString('base64url');
    const at = this.now();
    this.db
      .prepare(
        'INSERT INTO sessions (token_sha256, user_id, created_at, last_seen_at, ip) VALUES (?, ?, ?, ?, ?)',
      )
      .run(sha256(token), userId, at, at, ip ?? null);
    // Old rows go when someone logs in, not on a timer.
    this.db
      .prepare('DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?')
      .run(at - IDLE_MS, at - MAX_AGE_MS);
    return token;
  }

  lookup(token: string | undefined): SessionLookup {
    if (!token || token.length > 128) return { status: 'none' };
    const hash = sha256(token);
    const row = this.db
      .prepare(
        `SELECT s.*, u.login, u.name, u.role, u.disabled FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_sha256 = ?`,
      )
      .get(hash) as Row | undefined;
    if (!row) return { status: 'none' };
    const now = this.now();
    if (row.disabled === 1 || now - row.last_seen_at > IDLE_MS || now - row.created_at > MAX_AGE_MS) {
      this.db.prepare('DELETE FROM sessions WHERE token_sha256 = ?').run(hash);
      return { status: 'expired' };
    }
    if (now - row.last_seen_at >= TOUCH_EVERY_MS)
      this.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_sha256 = ?').run(now, hash);
    return {
      status: 'ok',
      user: toUser({ id: row.user_id, login: row.login, name: row.name, role: row.role }),
    };
  }

  destroy(token: string | undefined): void {
    if (token) this.db.prepare('DELETE FROM sessions WHERE token_sha256 = ?').run(sha256(token));
  }
}

/** The value of one cookie from a Cookie header (RFC 6265 §5.4), or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    return value;
  }
  return undefined;
}

/**
 * The Set-Cookie value for a session token (or, with no token, one that clears it).
 * No Max-Age: the cookie lasts while the browser runs; the server decides expiry.
 */
export function sessionCookie(token: string | undefined, secure: boolean): string {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (secure) attributes.push('Secure');
  if (!token) attributes.push('Max-Age=0');
  return [`${SESSION_COOKIE}=${token ?? ''}`, ...attributes].join('; ');
}
