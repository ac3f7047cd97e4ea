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
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { SourcePlaylist } from '../../src/core/index.ts';
import { sourceMediaPaths } from '../../src/server/publish.ts';
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
  options: {
    routes?: ((app: FastifyInstance) => void)[];
    expiresInDays?: number;
    publicOrigin?: string;
  } = {},
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
        ...(options.publicOrigin ? { publicOrigin: options.publicOrigin } : {}),
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

const SAMPLE = fileURLToPath(new URL('../../playlists/ccsp-lokossa.json', import.meta.url));

/**
 * The sample channel (playlists/ccsp-lokossa.json) as the editor keeps it: its media
 * copied into `<dataDir>/library` under library names (`<sha256>.<ext>`,
 * `hls/<id>/index.m3u8`), without going through the media library's own code.
 */
export async function samplePlaylist(dataDir: string, channel = 'ccsp-lokossa'): Promise<SourcePlaylist> {
  const playlist = JSON.parse(await readFile(SAMPLE, 'utf8')) as SourcePlaylist & { $schema?: string };
  delete playlist.$schema;
  const library = join(dataDir, 'library');
  await mkdir(library, { recursive: true });
  for (const { pointer, path } of sourceMediaPaths(playlist)) {
    const abs = resolve(dirname(SAMPLE), path);
    const bytes = await readFile(abs);
    const sha = createHash('sha256').update(bytes).digest('hex');
    let name: string;
    if (pointer.endsWith('/hls')) {
      name = `hls/${sha}/index.m3u8`;
      await cp(dirname(abs), join(library, 'hls', sha), { recursive: true });
    } else {
      name = `${sha}.${path.split('.').pop()}`;
      await cp(abs, join(library, name));
    }
    const keys = pointer.split('/').slice(1);
    let target = playlist as unknown as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) target = target[k] as Record<string, unknown>;
    target[keys.at(-1)!] = name;
  }
  return { ...playlist, channel };
}
