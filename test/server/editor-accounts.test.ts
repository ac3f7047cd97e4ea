/**
 * Editor sessions and accounts against the real server on 127.0.0.1 and its real
 * SQLite file: each refusal has its named error and leaves the database as it was.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoginLimiter } from '../../src/server/editor/login-limit.ts';
import { IDLE_MS, MAX_AGE_MS } from '../../src/server/editor/sessions.ts';
import { PASSWORD, startEditorServer, type EditorServer } from './editor-server.ts';

let server: EditorServer;
beforeEach(async () => {
  server = await startEditorServer();
});
afterEach(async () => {
  await server.close();
});

const count = (table: string) =>
  (server.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string; problems?: unknown[] } }).error;

describe('login, me, logout', () => {
  it('logs in with an HttpOnly SameSite=Strict cookie, answers me, and logs out', async () => {
    await server.createUser('awa', 'redacteur', PASSWORD, 'Awa Dossou');
    const res = await server.fetchAs(undefined, 'POST', 'login', { login: 'Awa', password: PASSWORD });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^ccsp_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(await res.json()).toEqual({
      user: { id: 1, login: 'awa', name: 'Awa Dossou', role: 'redacteur' },
    });
    const cookie = setCookie.split(';')[0]!;
    // Only the token's SHA-256 is stored.
    const stored = server.db.prepare('SELECT token_sha256 FROM sessions').get() as { token_sha256: string };
    expect(stored.token_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(cookie).not.toContain(stored.token_sha256);

    const me = await server.fetchAs(cookie, 'GET', 'me');
    expect(await me.json()).toEqual({ user: { id: 1, login: 'awa', name: 'Awa Dossou', role: 'redacteur' } });
    expect((await server.fetchAs(cookie, 'POST', 'logout')).status).toBe(204);
    const after = await server.fetchAs(cookie, 'GET', 'me');
    expect(after.status).toBe(401);
    expect((await errorOf(after)).code).toBe('not-logged-in');
    expect(count('sessions')).toBe(0);
    const actions = server.db.prepare('SELECT action, user FROM audit ORDER BY id').all();
    expect(actions).toEqual([
      { action: 'login', user: 'awa' },
      { action: 'logout', user: 'awa' },
    ]);
  });

  it('a wrong password or an unknown login is bad-credentials, and no session is made', async () => {
    await server.createUser('awa', 'redacteur');
    for (const body of [
      { login: 'awa', password: 'not the password' },
      { login: 'nobody', password: PASSWORD },
    ]) {
      const res = await server.fetchAs(undefined, 'POST', 'login', body);
      expect(res.status).toBe(401);
      expect(res.headers.get('set-cookie')).toBeNull();
      const error = await errorOf(res);
      expect(error).toEqual({ code: 'bad-credentials', message: 'Identifiant ou mot de passe incorrect.' });
    }
    expect(count('sessions')).toBe(0);
  });

  it('a disabled account cannot log in', async () => {
    const user = await server.createUser('awa', 'redacteur');
    await server.accounts.update(user.id, { disabled: true });
    const res = await server.fetchAs(undefined, 'POST', 'login', { login: 'awa', password: PASSWORD });
    expect((await errorOf(res)).code).toBe('bad-credentials');
  });

  it('5 failures in 15 minutes lock the login out with 429 and Retry-After, even with the right password', async () => {
    await server.createUser('awa', 'redacteur');
    for (let i = 0; i < 5; i++) {
      const res = await server.fetchAs(undefined, 'POST', 'login', { login: 'awa', password: `wrong ${i}` });
      expect(res.status).toBe(401);
    }
    const res = await server.fetchAs(undefined, 'POST', 'login', { login: 'awa', password: PASSWORD });
    expect(res.status).toBe(429);
    const retry = Number(res.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(14 * 60);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    const error = await errorOf(res);
    expect(error.code).toBe('rate-limited');
    expect(error.message).toMatch(/Réessayez dans 15 minutes/);
    expect(count('sessions')).toBe(0);
    // The same address is locked out for other logins too.
    await server.createUser('bio', 'redacteur');
    const other = await server.fetchAs(undefined, 'POST', 'login', { login: 'bio', password: PASSWORD });
    expect(other.status).toBe(429);
    // After the window, the right password works again.
    server.clock.offsetMs = 15 * 60_000 + 1000;
    expect(await server.login('awa')).toMatch(/^ccsp_session=/);
  });

  it('attempts sent at once count too: 20 in parallel get at most 5 password checks', async () => {
    await server.createUser('awa', 'redacteur');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        server.fetchAs(undefined, 'POST', 'login', { login: 'awa', password: `wrong ${i}` }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  it('a success after failures forgets them, the attempt itself included', async () => {
    await server.createUser('awa', 'redacteur');
    for (let i = 0; i < 4; i++)
      await server.fetchAs(undefined, 'POST', 'login', { login: 'awa', password: `wrong ${i}` });
    await server.login('awa');
    expect(count('login_failures')).toBe(0);
    for (let i = 0; i < 4; i++)
      expect(
        (await server.fetchAs(undefined, 'POST', 'login', { login: 'awa', password: `wrong ${i}` })).status,
      ).toBe(401);
  });

  it('the audit trail refuses a repeated parameter with 400 invalid, not a 500', async () => {
    await server.createUser('bio', 'validateur');
    const cookie = await server.login('bio');
    for (const query of ['channel=a&channel=b', 'limit=5&limit=6']) {
      const res = await server.fetchAs(cookie, 'GET', `audit?${query}`);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).code).toBe('invalid');
    }
    expect((await server.fetchAs(cookie, 'GET', 'audit?channel=a&limit=5')).status).toBe(200);
  });

  it('counts per login and per address separately', () => {
    let t = 1_000_000;
    const limiter = new LoginLimiter(server.db, () => t);
    for (let i = 0; i < 5; i++) limiter.fail('awa', `10.0.0.${i}`);
    expect(limiter.retryAfter('awa', '10.0.0.99')).toBe(15 * 60);
    expect(limiter.retryAfter('bio', '10.0.0.1')).toBeUndefined();
    for (let i = 0; i < 5; i++) limiter.fail(`user${i}`, '10.0.1.1');
    expect(limiter.retryAfter('bio', '10.0.1.1')).toBe(15 * 60);
    t += 10 * 60_000;
    expect(limiter.retryAfter('bio', '10.0.1.1')).toBe(5 * 60);
    t += 5 * 60_000;
    expect(limiter.retryAfter('bio', '10.0.1.1')).toBeUndefined();
  });

  it('a session idle for more than 12 hours is session-expired, and its row is gone', async () => {
    await server.createUser('awa', 'redacteur');
    const cookie = await server.login('awa');
    server.clock.offsetMs = IDLE_MS - 60_000;
    expect((await server.fetchAs(cookie, 'GET', 'me')).status).toBe(200);
    // Used 11 h 59 in: idle counts from then.
    server.clock.offsetMs += IDLE_MS - 60_000;
    expect((await server.fetchAs(cookie, 'GET', 'me')).status).toBe(200);
    server.clock.offsetMs += IDLE_MS + 1000;
    const res = await server.fetchAs(cookie, 'GET', 'me');
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe('session-expired');
    expect(res.headers.get('set-cookie')).toMatch(/^ccsp_session=; .*Max-Age=0/);
    expect(count('sessions')).toBe(0);
  });

  it('a session older than 7 days is session-expired even when used', async () => {
    await server.createUser('awa', 'redacteur');
    const cookie = await server.login('awa');
    server.db.prepare('UPDATE sessions SET created_at = created_at - ?').run(MAX_AGE_MS + 1000);
    const res = await server.fetchAs(cookie, 'GET', 'me');
    expect((await errorOf(res)).code).toBe('session-expired');
  });

  it('refuses a login from another origin or without Origin (bad-origin)', async () => {
    await server.createUser('awa', 'redacteur');
    for (const origin of ['http://evil.example', undefined, 'null']) {
      const res = await server.fetchAs(
        undefined,
        'POST',
        'login',
        { login: 'awa', password: PASSWORD },
        { origin },
      );
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('bad-origin');
    }
    expect(count('sessions')).toBe(0);
    expect(count('login_failures')).toBe(0);
  });

  it('malformed JSON gets the error shape', async () => {
    const res = await server.fetchAs(undefined, 'POST', 'login', undefined, {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('bad-request');
  });
});

describe('users (admin)', () => {
  it('an admin lists, adds and changes accounts; every change is audited', async () => {
    await server.createUser('admin', 'admin');
    const cookie = await server.login('admin');
    const add = await server.fetchAs(cookie, 'POST', 'users', {
      login: 'kossi',
      name: 'Kossi A.',
      role: 'validateur',
      password: 'a long enough password',
    });
    expect(add.status).toBe(201);
    const { user } = (await add.json()) as { user: { id: number; disabled: boolean } };
    expect(user).toMatchObject({ login: 'kossi', name: 'Kossi A.', role: 'validateur', disabled: false });
    const list = (await (await server.fetchAs(cookie, 'GET', 'users')).json()) as { users: unknown[] };
    expect(list.users).toHaveLength(2);
    // Hashes are scrypt with a salt, never the password.
    const hash = (
      server.db.prepare('SELECT password_hash FROM users WHERE login = ?').get('kossi') as {
        password_hash: string;
      }
    ).password_hash;
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    // The file with the hashes is for the server's user only.
    expect((await stat(join(server.dataDir, 'ccsp.sqlite'))).mode & 0o777).toBe(0o600);

    const kossi = await server.login('kossi', 'a long enough password');
    const patch = await server.fetchAs(cookie, 'PATCH', `users/${user.id}`, {
      role: 'redacteur',
      password: 'another long password',
    });
    expect(patch.status).toBe(200);
    expect(((await patch.json()) as { user: unknown }).user).toMatchObject({ role: 'redacteur' });
    // A new password ends the user's sessions.
    expect((await server.fetchAs(kossi, 'GET', 'me')).status).toBe(401);
    expect(await server.login('kossi', 'another long password')).toMatch(/^ccsp_session=/);

    const disable = await server.fetchAs(cookie, 'PATCH', `users/${user.id}`, { disabled: true });
    expect(((await disable.json()) as { user: { disabled: boolean } }).user.disabled).toBe(true);
    const audit = server.db
      .prepare("SELECT action, detail FROM audit WHERE action LIKE 'user-%' ORDER BY id")
      .all();
    expect(audit).toEqual([
      { action: 'user-add', detail: '{"login":"kossi","role":"validateur"}' },
      { action: 'user-update', detail: '{"login":"kossi","role":"redacteur","password":"changed"}' },
      { action: 'user-update', detail: '{"login":"kossi","disabled":true}' },
    ]);
  });

  it('refuses a short password, a taken login, a bad role, with pointers; nothing is added', async () => {
    await server.createUser('admin', 'admin');
    const cookie = await server.login('admin');
    const cases = [
      [{ login: 'x', name: 'X', role: 'redacteur', password: 'short' }, 422, 'invalid', '/password'],
      [{ login: 'admin', name: 'X', role: 'redacteur', password: PASSWORD }, 409, 'conflict', '/login'],
      [{ login: 'x', name: 'X', role: 'chef', password: PASSWORD }, 422, 'invalid', '/role'],
      [{ login: 'Bad Login!', name: 'X', role: 'redacteur', password: PASSWORD }, 422, 'invalid', '/login'],
      [{ login: 'x', role: 'redacteur', password: PASSWORD }, 422, 'invalid', '/name'],
    ] as const;
    for (const [body, status, code, pointer] of cases) {
      const res = await server.fetchAs(cookie, 'POST', 'users', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      const error = await errorOf(res);
      expect(error.code).toBe(code);
      expect(error.problems).toEqual([{ pointer, message: expect.any(String) }]);
    }
    expect(count('users')).toBe(1);
  });

  it('keeps at least one enabled admin', async () => {
    const admin = await server.createUser('admin', 'admin');
    const cookie = await server.login('admin');
    const res = await server.fetchAs(cookie, 'PATCH', `users/${admin.id}`, { role: 'validateur' });
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('conflict');
    expect(server.accounts.get(admin.id)!.role).toBe('admin');
  });

  it('two admins demoted at once (one with a new password, hashed meanwhile) leave one admin', async () => {
    const first = await server.createUser('admin1', 'admin');
    const second = await server.createUser('admin2', 'admin');
    const cookie1 = await server.login('admin1');
    const cookie2 = await server.login('admin2');
    const before = count('audit');
    // Whichever lands first, the other would remove the last admin.
    const [a, b] = await Promise.all([
      server.fetchAs(cookie1, 'PATCH', `users/${first.id}`, {
        role: 'validateur',
        password: `${PASSWORD} again`,
      }),
      server.fetchAs(cookie2, 'PATCH', `users/${second.id}`, { role: 'validateur' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(server.accounts.hasAdmin()).toBe(true);
    // The refused change wrote no audit row; the other one did.
    expect(count('audit')).toBe(before + 1);
  });

  it('a validateur is forbidden, a stranger not logged in, another origin bad-origin', async () => {
    await server.createUser('kossi', 'validateur');
    const cookie = await server.login('kossi');
    const forbidden = await server.fetchAs(cookie, 'GET', 'users');
    expect(forbidden.status).toBe(403);
    expect(await errorOf(forbidden)).toEqual({
      code: 'forbidden',
      message: 'Action réservée au rôle Administrateur.',
    });
    expect((await errorOf(await server.fetchAs(undefined, 'GET', 'users'))).code).toBe('not-logged-in');
    const add = { login: 'x', name: 'X', role: 'admin', password: PASSWORD };
    const cross = await server.fetchAs(cookie, 'POST', 'users', add, { origin: 'http://127.0.0.1:1' });
    expect((await errorOf(cross)).code).toBe('bad-origin');
    expect((await errorOf(await server.fetchAs(cookie, 'POST', 'users', add))).code).toBe('forbidden');
    expect(count('users')).toBe(1);
  });
});

describe('behind a TLS proxy (CCSP_PUBLIC_ORIGIN)', () => {
  it('accepts the public https origin besides its own, and marks the cookie Secure', async () => {
    const proxied = await startEditorServer({ publicOrigin: 'https://editeur.example' });
    try {
      await proxied.createUser('awa', 'redacteur');
      const body = { login: 'awa', password: PASSWORD };
      const res = await proxied.fetchAs(undefined, 'POST', 'login', body, {
        origin: 'https://editeur.example',
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).toMatch(/; Secure$/);
      const direct = await proxied.fetchAs(undefined, 'POST', 'login', body);
      expect(direct.headers.get('set-cookie')).not.toMatch(/Secure/);
      const other = await proxied.fetchAs(undefined, 'POST', 'login', body, {
        origin: 'https://autre.example',
      });
      expect((await errorOf(other)).code).toBe('bad-origin');
      // Failures count against the client the proxy names, not the proxy.
      for (let i = 0; i < 5; i++) {
        const fail = await proxied.fetchAs(
          undefined,
          'POST',
          'login',
          { login: `x${i}`, password: 'wrong password' },
          { 'x-forwarded-for': '203.0.113.9, 10.0.0.7' },
        );
        expect(fail.status).toBe(401);
      }
      const limited = await proxied.fetchAs(undefined, 'POST', 'login', body, {
        'x-forwarded-for': '10.0.0.7',
      });
      expect(limited.status).toBe(429);
      const other2 = await proxied.fetchAs(undefined, 'POST', 'login', body, {
        'x-forwarded-for': '10.0.0.8',
      });
      expect(other2.status).toBe(200);
    } finally {
      await proxied.close();
    }
  });
});
