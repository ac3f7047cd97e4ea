/**
 * A real editor server for tests: buildApp with editorRoutes, a temporary data
 * folder (keys, trust root, real SQLite file), listening on 127.0.0.1:<free port>.
 *
 *   const server = await startEditorServer();
 *   await server.createUser('awa', 'redacteur', PASSWORD);
 *   const cookie = await server.login('awa', PASSWORD);
 *   const res = await server.fetchAs(cookie, 'PUT', 'channels/x/draft', { playlist, revision });
 *   await server.close();
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { openDataDir, type DataDir } from '../../src/server/data-dir.ts';
import { openDatabase, type Db } from '../../src/server/db.ts';
import { Accounts, type Role, type UserRecord } from '../../src/server/editor/accounts.ts';
import { editorRoutes } from '../../src/server/editor/index.ts';

/** A password long enough for the rules (≥ 12 characters). */
export const PASSWORD = 'correct horse battery staple';

export interface EditorServer {
  /** http://127.0.0.1:<port>, also the Origin fetchAs sends. */
  url: string;
  dataDir: string;
  data: DataDir;
  db: Db;
  app: FastifyInstance;
  accounts: Accounts;
  /** The server's clock is Date.now() plus this many milliseconds (move it to expire sessions). */
  clock: { offsetMs: number };
  createUser(login: string, role: Role, password?: string, name?: string): Promise<UserRecord>;
  /** Logs in through the API; the `ccsp_session=…` cookie to send back. Throws on failure. */
  login(login: string, password?: string): Promise<string>;
  /**
   * A request with the cookie (or none) and this server's Origin. `path` is under
   * /api/editor/ unless it starts with "/". A Uint8Array body is sent as raw bytes,
   * anything else as JSON. `headers` adds or, with undefined, removes headers (origin).
   */
  fetchAs(
    cookie: string | undefined,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string | undefined>,
  ): Promise<Response>;
  close(): Promise<void>;
}

export async function startEditorServer(
  options: { routes?: ((app: FastifyInstance) => void)[]; expiresInDays?: number } = {},
): Promise<EditorServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ccsp-editor-'));
  const data = await openDataDir(dataDir);
  const db = openDatabase(dataDir);
  const clock = { offsetMs: 0 };
  const now = () => Date.now() + clock.offsetMs;
  const app = buildApp({
    publicDir: data.publicDir,
    routes: [
      editorRoutes({
        db,
        dataDir,
        publicDir: data.publicDir,
        manifestKey: data.manifestKey,
        now,
        ...(options.expiresInDays ? { expiresInDays: options.expiresInDays } : {}),
      }),
      ...(options.routes ?? []),
    ],
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const accounts = new Accounts(db, now);

  const fetchAs: EditorServer['fetchAs'] = (cookie, method, path, body, headers = {}) => {
    const h: Record<string, string> = { origin: url };
    if (cookie) h.cookie = cookie;
    let payload: BodyInit | undefined;
    if (body instanceof Uint8Array) {
      h['content-type'] = 'application/octet-stream';
      payload = body as Uint8Array<ArrayBuffer>;
    } else if (body !== undefined) {
      h['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    for (const [k, v] of Object.entries(headers)) {
      if (v === undefined) delete h[k.toLowerCase()];
      else h[k.toLowerCase()] = v;
    }
    return fetch(new URL(path.startsWith('/') ? path : `/api/editor/${path}`, url), {
      method,
      headers: h,
      body: payload,
    });
  };

  return {
    url,
    dataDir,
    data,
    db,
    app,
    accounts,
    clock,
    createUser: (login, role, password = PASSWORD, name = login) =>
      accounts.add({ login, role, password, name }),
    async login(login, password = PASSWORD) {
      const res = await fetchAs(undefined, 'POST', 'login', { login, password });
      if (res.status !== 200) throw new Error(`login ${login}: ${res.status} ${await res.text()}`);
      const setCookie = res.headers.get('set-cookie') ?? '';
      return setCookie.split(';')[0]!;
    },
    fetchAs,
    async close() {
      await app.close();
      db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
