/**
 * The HTTP server of a centre's box or of the publisher: the player, the signed
 * channels, their media and the trust root, as static files with the caching a
 * metered link needs.
 *
 * Fastify rather than Hono: this runs on Node on the box, where Fastify's mature
 * plugin set (rate limits, cookies, multipart for the editor's uploads), its
 * request schemas, pino logging and `inject()` for tests matter more than Hono's
 * portability to edge runtimes; the sign endpoint's byte-exact responses can
 * still take over the raw socket response where needed.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { MEDIA_FILE_NAME, TYPES_BY_EXTENSION } from '../core/index.ts';
import { sendFile } from './send-file.ts';
import { registerSignEndpoint, type SignEndpointOptions } from './sign-endpoint.ts';

export interface AppOptions {
  /** Holds channels/<id>/manifest.json, media/ and trust/root.json. */
  publicDir: string;
  /** The built player (vite build output); optional for API-only tests. */
  distDir?: string;
  /** What /config.json tells a player that has no URL parameters. */
  defaultChannel?: string;
  logger?: boolean;
  /** The sign status endpoint, when the box serves signs. */
  sign?: SignEndpointOptions;
  /**
   * More routes, each module registering its own (the editor's API with
   * `serve --publisher`, telemetry): called before the page fallback.
   */
  routes?: ((app: FastifyInstance) => void)[];
}

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
};

/**
 * A small mutable file (manifest, root, player page) with its strong ETag, cached
 * while its inode, size and mtime stay the same: an atomic rename gives a new
 * inode, so a republish is seen even where mtime has a 2 s granularity (FAT).
 */
const smallFiles = new Map<string, { key: string; bytes: Buffer; sha256: string; etag: string }>();
async function readSmallFile(
  path: string,
): Promise<{ bytes: Buffer; sha256: string; etag: string } | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  const key = `${info.ino}:${info.size}:${info.mtimeMs}`;
  const cached = smallFiles.get(path);
  if (cached?.key === key) return cached;
  const bytes = await readFile(path).catch(() => undefined);
  if (!bytes) return undefined;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // 128 bits are plenty to tell versions apart, and every poll carries the tag twice
  // over the metered link (If-None-Match and the 304's ETag).
  const entry = { key, bytes, sha256, etag: `"${sha256.slice(0, 32)}"` };
  smallFiles.set(path, entry);
  return entry;
}

export function buildApp(options: AppOptions): FastifyInstance {
  // HEAD is handled by the same handlers (send-file.ts): Fastify's generated HEAD
  // routes reset Content-Length to 0 for a body-less reply (fastify-static #447).
  const app = Fastify({
    logger: options.logger ?? false,
    return503OnClosing: true,
    exposeHeadRoutes: false,
    // Sign firmware may send HTTP/1.1 without Host; Node would answer a chunked 400.
    http: { requireHostHeader: false },
  });
  app.addHook('onRoute', (route) => {
    if (route.method === 'GET') route.method = ['GET', 'HEAD'];
  });
  const json = 'application/json; charset=utf-8';

  app.get<{ Params: { channel: string } }>('/channels/:channel/manifest.json', async (request, reply) => {
    const { channel } = request.params;
    if (!/^[a-z0-9-]{1,64}$/.test(channel)) return reply.code(400).send({ error: 'invalid channel id' });
    const path = join(options.publicDir, 'channels', channel, 'manifest.json');
    const file = await readSmallFile(path);
    if (!file) return reply.code(404).send({ error: `no channel "${channel}"` });
    return sendFile(request, reply, file.bytes, {
      etag: file.etag,
      contentType: json,
      cacheControl: 'no-cache',
    });
  });

  app.get('/trust/root.json', async (request, reply) => {
    const path = join(options.publicDir, 'trust', 'root.json');
    const file = await readSmallFile(path);
    if (!file) return reply.code(404).send({ error: 'no trust root' });
    return sendFile(request, reply, file.bytes, {
      etag: file.etag,
      contentType: json,
      cacheControl: 'no-cache',
    });
  });

  app.get<{ Params: { name: string } }>('/media/:name', async (request, reply) => {
    const m = MEDIA_FILE_NAME.exec(request.params.name);
    const type = m && TYPES_BY_EXTENSION[m[2]!];
    if (!m || !type) return reply.code(400).send({ error: 'media names are <sha256>.<ext>' });
    return sendFile(request, reply, join(options.publicDir, 'media', request.params.name), {
      etag: `"${m[1]}"`,
      contentType: type === 'text/vtt' ? 'text/vtt; charset=utf-8' : type,
      // Content-addressed: the bytes behind a name never change.
      cacheControl: 'public, max-age=31536000, immutable',
    });
  });

  app.get('/config.json', async (_request, reply) => {
    const rootPath = join(options.publicDir, 'trust', 'root.json');
    const root = await readSmallFile(rootPath);
    // The power state lets the sign's LED page dim like the firmware does.
    const power = options.sign ? await options.sign.power.read() : 'ok';
    return reply
      .header('cache-control', 'no-cache')
      .send({ channel: options.defaultChannel ?? null, root: root ? root.sha256 : null, power });
  });

  if (options.sign) registerSignEndpoint(app, options.sign);
  for (const register of options.routes ?? []) register(app);

  if (options.distDir) {
    const dist = options.distDir;
    app.get('/*', async (request, reply) => {
      const url = decodeURIComponent(request.url.split('?')[0]!);
      // An unknown API path is an error, not the player page.
      if (url.startsWith('/api/')) return reply.code(404).send({ error: 'not found' });
      // Checked before normalize(), which silently clamps "/../x" to "/x" and so never leaves ".." to find.
      if (url.split(/[/\\]/).includes('..')) return reply.code(400).send({ error: 'bad path' });
      const rel = normalize(url === '/' ? '/index.html' : url).replace(/^[/\\]+/, '');
      let path = join(dist, rel);
      if (
        !(await stat(path).then(
          (s) => s.isFile(),
          () => false,
        ))
      ) {
        if (extname(rel) !== '') return reply.code(404).send({ error: 'not found' });
        // The editor is its own page (editor/index.html); any other path is the player's.
        path = join(dist, url === '/editor' || url.startsWith('/editor/') ? 'editor' : '', 'index.html');
      }
      const file = await readSmallFile(path);
      if (!file) return reply.code(404).send({ error: 'not found' });
      // Vite puts content hashes in the names under assets/; the rest is revalidated.
      const hashed = rel.startsWith(`assets${sep}`);
      return sendFile(request, reply, file.bytes, {
        etag: file.etag,
        contentType: STATIC_TYPES[extname(path)] ?? 'application/octet-stream',
        cacheControl: hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
    });
  }
  return app;
}
