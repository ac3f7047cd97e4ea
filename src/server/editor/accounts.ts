/**
 * Editor accounts: logins, roles and scrypt password hashes (docs/editor-api.md).
 * Used by the API (admin routes) and by `ccsp-signage user …` on the same file.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { chmodSync } from 'node:fs';
import type { Db } from '../db.ts';
import { migrateEditor } from './schema.ts';

/** In increasing order: each role includes the ones before it. */
export const ROLES = ['redacteur', 'validateur', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS_FR: Record<Role, string> = {
  redacteur: 'Rédacteur',
  validateur: 'Validateur',
  admin: 'Administrateur',
};

export const MIN_PASSWORD_LENGTH = 12;
/** Bounds the work an attacker can make one login cost (scrypt reads all of it). */
export const MAX_PASSWORD_LENGTH = 1024;
const LOGIN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export interface User {
  id: number;
  login: string;
  name: string;
  role: Role;
}

export interface UserRecord extends User {
  disabled: boolean;
  createdAt: string;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `role` includes `needed` (an admin is also a validateur and a rédacteur). */
export function hasRole(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** A mistake in an account request, with a stable code and a French message for the editor. */
export class AccountError extends Error {
  override name = 'AccountError';
  constructor(
    readonly code: 'invalid' | 'conflict' | 'not-found',
    /** English, for the CLI and logs. */
    message: string,
    /** French, for the staff in the editor. */
    readonly messageFr: string,
    /** The body field at fault, as a JSON pointer. */
    readonly pointer?: string,
  ) {
    super(message);
  }
}

// scrypt (RFC 7914) with N = 2^15, r = 8: 32 MiB and a few tens of milliseconds a
// hash on a centre's box; the parameters are stored with each hash, so they can grow.
const SCRYPT = { N: 1 << 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

function scryptAsync(
  password: string,
  salt: Buffer,
  length: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, length, options, (e, key) => (e ? reject(e) : resolve(key))),
  );
}

const maxmem = (o: { N: number; r: number }) => 256 * o.N * o.r;

/** `scrypt$N$r$p$<salt base64>$<hash base64>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEY_LENGTH, { ...SCRYPT, maxmem: maxmem(SCRYPT) });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const options = { N: Number(n), r: Number(r), p: Number(p) };
  const expected = Buffer.from(hash, 'base64');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
    ...options,
    maxmem: maxmem(options),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Verified against when the login is unknown, so the answer takes as long as for a known one. */
let dummyHash: Promise<string> | undefined;

interface Row {
  id: number;
  login: string;
  name: string;
  role: Role;
  password_hash: string;
  disabled: number;
  created_at: number;
}

const toRecord = (r: Row): UserRecord => ({
  id: r.id,
  login: r.login,
  name: r.name,
  role: r.role,
  disabled: r.disabled === 1,
  createdAt: new Date(r.created_at).toISOString(),
});

export const toUser = (u: User): User => ({ id: u.id, login: u.login, name: u.name, role: u.role });

export function normalizeLogin(login: string): string {
  return login.trim().toLowerCase();
}

export function checkLogin(login: string): string {
  const l = normalizeLogin(login);
  if (!LOGIN.test(l)) {
    throw new AccountError(
      'invalid',
      `login "${login}" must be 1 to 64 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit`,
      'L’identifiant doit compter de 1 à 64 lettres minuscules, chiffres, points, tirets ou soulignés, et commencer par une lettre ou un chiffre.',
      '/login',
    );
  }
  return l;
}

export function checkName(name: string): string {
  const n = name.trim();
  if (n === '' || n.length > 100) {
    throw new AccountError(
      'invalid',
      'the name must be 1 to 100 characters',
      'Le nom doit compter de 1 à 100 caractères.',
      '/name',
    );
  }
  return n;
}

export function checkPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new AccountError(
      'invalid',
      `the password must be at least ${MIN_PASSWORD_LENGTH} characters long`,
      `Le mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères.`,
      '/password',
    );
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new AccountError(
      'invalid',
      `the password must be at most ${MAX_PASSWORD_LENGTH} characters long`,
      `Le mot de passe doit compter au plus ${MAX_PASSWORD_LENGTH} caractères.`,
      '/password',
    );
  }
}

function checkRole(role: string): Role {
  if (!isRole(role)) {
    throw new AccountError(
      'invalid',
      `the role must be one of ${ROLES.join(', ')}, not "${role}"`,
      'Le rôle doit être Rédacteur, Validateur ou Administrateur.',
      '/role',
    );
  }
  return role;
}

/**
 * The database holds password hashes and session digests: owner only, like keys/.
 * SQLite gives its -wal and -shm files the main file's mode only when it creates them.
 */
function restrictDatabaseFile(db: Db): void {
  if (db.memory) return;
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      chmodSync(db.name + suffix, 0o600);
    } catch {
      // Absent, or not ours to change (another user runs the server): nothing to do here.
    }
  }
}

/** The accounts of the editor, in the server's database. */
export class Accounts {
  constructor(
    readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    migrateEditor(db);
    restrictDatabaseFile(db);
  }

  /** `onAdded` runs in the transaction that inserts the user (an audit row). */
  async add(
    input: { login: string; name: string; role: string; password: string },
    onAdded?: (user: UserRecord) => void,
  ): Promise<UserRecord> {
    const login = checkLogin(input.login);
    const name = checkName(input.name);
    const role = checkRole(input.role);
    checkPassword(input.password);
    if (this.byLogin(login)) {
      throw new AccountError(
        'conflict',
        `there is already a user "${login}"`,
        `Il existe déjà un compte « ${login} ».`,
        '/login',
      );
    }
    const hash = await hashPassword(input.password);
    const at = this.now();
    try {
      return this.db.transaction(() => {
        const { lastInsertRowid } = this.db
          .prepare(
            'INSERT INTO users (login, name, role, password_hash, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(login, name, role, hash, at, at);
        const user = this.get(Number(lastInsertRowid))!;
        onAdded?.(user);
        return user;
      })();
    } catch (e) {
      // Another process added the same login while this one was hashing.
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new AccountError(
          'conflict',
          `there is already a user "${login}"`,
          `Il existe déjà un compte « ${login} ».`,
          '/login',
        );
      }
      throw e;
    }
  }

  get(id: number): UserRecord | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
    return row && toRecord(row);
  }

  byLogin(login: string): UserRecord | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE login = ?').get(normalizeLogin(login)) as
      Row | undefined;
    return row && toRecord(row);
  }

  list(): UserRecord[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY login').all() as Row[]).map(toRecord);
  }

  /** True when an enabled admin exists (serve tells how to create the first one otherwise). */
  hasAdmin(): boolean {
    return (
      this.db.prepare("SELECT 1 FROM users WHERE role = 'admin' AND disabled = 0 LIMIT 1").get() !== undefined
    );
  }

  /**
   * The enabled user with this login and password, or undefined. Takes as long for
   * an unknown login as for a known one, so the answer does not tell logins apart.
   */
  async authenticate(login: string, password: string): Promise<User | undefined> {
    if (password.length > MAX_PASSWORD_LENGTH) return undefined;
    const row = this.db.prepare('SELECT * FROM users WHERE login = ?').get(normalizeLogin(login)) as
      Row | undefined;
    if (!row) {
      dummyHash ??= hashPassword('not a password of anyone');
      await verifyPassword(password, await dummyHash);
      return undefined;
    }
    const ok = await verifyPassword(password, row.password_hash);
    return ok && row.disabled === 0 ? toUser(row) : undefined;
  }

  /**
   * Changes some fields. A new password or disabling ends the user's sessions; a role
   * change takes effect at their next request (the guard reads the role each time).
   * Refuses (conflict) a change that would leave no enabled admin, checked in the
   * transaction: a password hashed meanwhile must not let two demotions both pass.
   * `onUpdated` runs in that transaction (an audit row).
   */
  async update(
    id: number,
    changes: { name?: string; role?: string; password?: string; disabled?: boolean },
    onUpdated?: (user: UserRecord) => void,
  ): Promise<UserRecord> {
    const current = this.get(id);
    if (!current) {
      throw new AccountError('not-found', `no user with id ${id}`, 'Ce compte n’existe pas.');
    }
    const name = changes.name === undefined ? current.name : checkName(changes.name);
    const role = changes.role === undefined ? current.role : checkRole(changes.role);
    if (changes.password !== undefined) checkPassword(changes.password);
    const hash = changes.password === undefined ? undefined : await hashPassword(changes.password);
    const disabled = changes.disabled ?? current.disabled;
    return this.db.transaction(() => {
      if (this.removesLastAdmin(id, { role, disabled })) {
        throw new AccountError(
          'conflict',
          `"${current.login}" is the last active admin; add another admin first`,
          'Il doit rester au moins un administrateur actif : nommez-en un autre d’abord.',
        );
      }
      this.db
        .prepare('UPDATE users SET name = ?, role = ?, disabled = ? WHERE id = ?')
        .run(name, role, disabled ? 1 : 0, id);
      if (hash) {
        this.db
          .prepare('UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?')
          .run(hash, this.now(), id);
      }
      if (hash || disabled) this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(id);
      const user = this.get(id)!;
      onUpdated?.(user);
      return user;
    })();
  }

  /** Would this change leave no enabled admin? (An editor nobody can administer.) */
  removesLastAdmin(id: number, changes: { role?: string; disabled?: boolean }): boolean {
    const current = this.get(id);
    if (!current || current.role !== 'admin' || current.disabled) return false;
    const stillAdmin = (changes.role ?? 'admin') === 'admin' && changes.disabled !== true;
    if (stillAdmin) return false;
    const others = this.db
      .prepare("SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0 AND id != ?")
      .get(id) as { n: number };
    return others.n === 0;
  }
}
