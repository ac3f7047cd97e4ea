/**
 * The real server on 127.0.0.1 serving really signed content (the sample channel,
 * published with the project's own code), checked the way a player checks it.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  manifestMedia,
  mediaFileName,
  verifyManifest,
  verifyRoot,
  type Manifest,
} from '../../src/core/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { openDataDir, publishDirectory } from '../../src/server/data-dir.ts';

const PLAYLISTS = fileURLToPath(new URL('../../playlists', import.meta.url));
const SAMPLE_VIDEO = fileURLToPath(new URL('../../assets/video/casier-judiciaire.mp4', import.meta.url));
const CHANNEL = 'ccsp-lokossa';
const INDEX_HTML = '<!doctype html><title>ccsp-signage test</title>\n';
const APP_JS = 'console.log("app-abc123");\n';
const SECRET = 'SECRET-OUTSIDE-DIST';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let tmp: string;
let app: FastifyInstance;
let base: string;
let port: number;
let manifest: Manifest;
/** The sample video as published: its name under /media and its original bytes. */
let video: { name: string; sha256: string; bytes: Buffer };

/** A request sent as written, without the URL normalisation fetch applies to "..". */
function raw(
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, { headers });
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ccsp-app-'));
  const data = await openDataDir(join(tmp, 'data'));
  await publishDirectory(PLAYLISTS, data);

  const dist = join(tmp, 'dist');
  await mkdir(join(dist, 'assets'), { recursive: true });
  await writeFile(join(dist, 'index.html'), INDEX_HTML);
  await writeFile(join(dist, 'assets', 'app-abc123.js'), APP_JS);
  // A sibling of dist/ that a path escaping dist/ would reach.
  await writeFile(join(tmp, 'secret.txt'), SECRET);

  app = buildApp({ publicDir: data.publicDir, distDir: dist, defaultChannel: CHANNEL });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;

  const rootBytes = new Uint8Array(await (await fetch(`${base}/trust/root.json`)).arrayBuffer());
  const root = await verifyRoot(rootBytes);
  if (!root.ok) throw new Error(root.error.message);
  const bytes = new Uint8Array(
    await (await fetch(`${base}/channels/${CHANNEL}/manifest.json`)).arrayBuffer(),
  );
  const result = await verifyManifest(bytes, { root: root.root, channel: CHANNEL, now: new Date() });
  if (result.status !== 'accepted') throw new Error(`the sample manifest was not accepted: ${result.status}`);
  manifest = result.manifest;

  const item = manifest.items.find((i) => i.kind === 'video');
  if (item?.kind !== 'video' || !item.file) throw new Error('the sample channel has no video file');
  video = { name: mediaFileName(item.file), sha256: item.file.sha256, bytes: await readFile(SAMPLE_VIDEO) };
});

afterAll(async () => {
  await app?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('/config.json and /trust/root.json', () => {
  it('gives the default channel and the fingerprint of the served root', async () => {
    const { res, body } = await get('/config.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const config = JSON.parse(body.toString('utf8')) as { channel: string; root: string };
    const rootBytes = (await get('/trust/root.json')).body;
    expect(config).toEqual({ channel: CHANNEL, root: sha256(rootBytes), power: 'ok' });
  });

  it('serves a root that verifies when pinned by that fingerprint', async () => {
    const config = (await (await fetch(`${base}/config.json`)).json()) as { root: string };
    const { res, body } = await get('/trust/root.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${config.root.slice(0, 32)}"`);
    const result = await verifyRoot(body, { fingerprint: config.root });
    expect(result.ok).toBe(true);
    const other = await verifyRoot(body, { fingerprint: '0'.repeat(64) });
    expect(other.ok).toBe(false);
  });
});

describe('GET /channels/<channel>/manifest.json', () => {
  const path = `/channels/${CHANNEL}/manifest.json`;

  it('serves bytes that verify against the pinned root, with a strong ETag and no-cache', async () => {
    const config = (await (await fetch(`${base}/config.json`)).json()) as { root: string };
    const root = await verifyRoot((await get('/trust/root.json')).body, { fingerprint: config.root });
    if (!root.ok) throw new Error(root.error.message);

    const { res, body } = await get(path);
    expect(res.status).toBe(200);
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(etag).toBe(`"${sha256(body).slice(0, 32)}"`);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');

    const result = await verifyManifest(body, { root: root.root, channel: CHANNEL, now: new Date() });
    expect(result.status).toBe('accepted');
    if (result.status === 'accepted') expect(result.manifest.version).toBe(1);
  });

  it('answers If-None-Match with the current ETag by 304 and no body', async () => {
    const etag = (await fetch(base + path)).headers.get('etag')!;
    const res = await raw(path, { headers: { 'if-none-match': etag } });
    expect(res.status).toBe(304);
    expect(res.body.length).toBe(0);
    expect(res.headers.etag).toBe(etag);
    // A weak comparison (RFC 9110 §13.1.2): W/ does not prevent the match.
    expect((await raw(path, { headers: { 'if-none-match': `"x", W/${etag}` } })).status).toBe(304);
    const changed = await get(path, { 'if-none-match': `"${'0'.repeat(64)}"` });
    expect(changed.res.status).toBe(200);
    expect(changed.body.length).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown channel', async () => {
    const { res } = await get('/channels/no-such-channel/manifest.json');
    expect(res.status).toBe(404);
  });

  it.each([
    '/channels/..%2Fx/manifest.json',
    '/channels/ABC!/manifest.json',
    '/channels/%2e%2e/manifest.json',
  ])('refuses the invalid channel id in %s without a server error', async (badPath) => {
    const res = await raw(badPath);
    expect([400, 404]).toContain(res.status);
  });
});

describe('GET /media/<sha256>.<ext>', () => {
  const path = () => `/media/${video.name}`;

  it('serves every media file of the manifest under its hash, with immutable caching', async () => {
    const files = manifestMedia(manifest);
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const { res, body } = await get(`/media/${mediaFileName(f)}`);
      expect(res.status).toBe(200);
      expect(sha256(body)).toBe(f.sha256);
      expect(body.length).toBe(f.bytes);
      expect(res.headers.get('etag')).toBe(`"${f.sha256}"`);
      expect(res.headers.get('cache-control')).toContain('immutable');
    }
  });

  it('serves the original bytes of the sample video with its type and length', async () => {
    const { res, body } = await get(path());
    expect(res.status).toBe(200);
    expect(body.equals(video.bytes)).toBe(true);
    expect(sha256(body)).toBe(video.sha256);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('content-length')).toBe(String(video.bytes.length));
    expect(res.headers.get('accept-ranges')).toBe('bytes');
  });

  it('sends the first 100 bytes for Range: bytes=0-99', async () => {
    const { res, body } = await get(path(), { range: 'bytes=0-99' });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 0-99/${video.bytes.length}`);
    expect(body.equals(video.bytes.subarray(0, 100))).toBe(true);
  });

  it('sends the last 10 bytes for a suffix range', async () => {
    const size = video.bytes.length;
    const { res, body } = await get(path(), { range: 'bytes=-10' });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes ${size - 10}-${size - 1}/${size}`);
    expect(body.equals(video.bytes.subarray(size - 10))).toBe(true);
  });

  it('sends the rest of the file for an open range', async () => {
    const size = video.bytes.length;
    const { res, body } = await get(path(), { range: 'bytes=100-' });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 100-${size - 1}/${size}`);
    expect(res.headers.get('content-length')).toBe(String(size - 100));
    expect(body.equals(video.bytes.subarray(100))).toBe(true);
  });

  it('honours If-Range only with the right strong ETag', async () => {
    const right = await get(path(), { range: 'bytes=0-99', 'if-range': `"${video.sha256}"` });
    expect(right.res.status).toBe(206);
    expect(right.body.length).toBe(100);

    for (const ifRange of [`"${'0'.repeat(64)}"`, `W/"${video.sha256}"`, 'Sat, 28 Nov 2026 00:00:00 GMT']) {
      const wrong = await get(path(), { range: 'bytes=0-99', 'if-range': ifRange });
      expect(wrong.res.status).toBe(200);
      expect(wrong.res.headers.get('content-range')).toBeNull();
      expect(sha256(wrong.body)).toBe(video.sha256);
    }
  });

  it('answers 416 with the size for an unsatisfiable range', async () => {
    const size = video.bytes.length;
    for (const range of [`bytes=${size}-`, `bytes=${size + 1000}-${size + 2000}`]) {
      const res = await raw(path(), { headers: { range } });
      expect(res.status).toBe(416);
      expect(res.headers['content-range']).toBe(`bytes */${size}`);
      expect(res.body.length).toBe(0);
    }
  });

  it('sends the whole file for several ranges', async () => {
    const { res, body } = await get(path(), { range: 'bytes=0-9,20-29' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-range')).toBeNull();
    expect(sha256(body)).toBe(video.sha256);
  });

  it('answers HEAD with the length and no body', async () => {
    const res = await raw(path(), { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(video.bytes.length));
    expect(res.headers.etag).toBe(`"${video.sha256}"`);
    expect(res.body.length).toBe(0);

    const ranged = await raw(path(), { method: 'HEAD', headers: { range: 'bytes=0-9' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers['content-length']).toBe('10');
    expect(ranged.body.length).toBe(0);
  });

  it('answers If-None-Match with the name hash by 304', async () => {
    const res = await raw(path(), { headers: { 'if-none-match': `"${video.sha256}"` } });
    expect(res.status).toBe(304);
    expect(res.body.length).toBe(0);
  });

  it.each([
    ['not a hash', '/media/notahash.mp4'],
    ['uppercase hex', () => `/media/${video.sha256.toUpperCase()}.mp4`],
    ['an unknown extension', () => `/media/${video.sha256}.exe`],
    ['no extension', () => `/media/${video.sha256}`],
  ])('answers 400 for a name with %s', async (_what, name) => {
    const res = await raw(typeof name === 'string' ? name : name());
    expect(res.status).toBe(400);
  });

  it('answers 404 for a well-formed name that is not published', async () => {
    expect((await raw(`/media/${'a'.repeat(64)}.mp4`)).status).toBe(404);
    // The right hash under another type is another file.
    expect((await raw(`/media/${video.sha256}.webm`)).status).toBe(404);
  });

  it('lets an interrupted download resume with Range and If-Range', async () => {
    const size = video.bytes.length;
    const half = Math.floor(size / 2);
    const first = await get(path(), { range: `bytes=0-${half - 1}` });
    expect(first.res.status).toBe(206);
    const etag = first.res.headers.get('etag')!;
    const second = await get(path(), { range: `bytes=${half}-`, 'if-range': etag });
    expect(second.res.status).toBe(206);
    expect(second.res.headers.get('content-range')).toBe(`bytes ${half}-${size - 1}/${size}`);
    expect(first.body.length + second.body.length).toBe(size);
    expect(sha256(Buffer.concat([first.body, second.body]))).toBe(video.name.split('.')[0]);
  });
});

describe('the player from distDir', () => {
  it('serves index.html at / with no-cache', async () => {
    const { res, body } = await get('/');
    expect(res.status).toBe(200);
    expect(body.toString('utf8')).toBe(INDEX_HTML);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect((await get('/index.html')).res.headers.get('cache-control')).toBe('no-cache');
  });

  it('serves hashed assets with immutable caching', async () => {
    const { res, body } = await get('/assets/app-abc123.js');
    expect(res.status).toBe(200);
    expect(body.toString('utf8')).toBe(APP_JS);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toContain('immutable');
  });

  it('falls back to index.html for an unknown path without extension', async () => {
    const { res, body } = await get('/some/player/route');
    expect(res.status).toBe(200);
    expect(body.toString('utf8')).toBe(INDEX_HTML);
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers 404 for an unknown file with an extension', async () => {
    expect((await get('/missing.js')).res.status).toBe(404);
    expect((await get('/assets/app-000000.js')).res.status).toBe(404);
  });

  it.each([
    '/..%2F..%2Fetc%2Fpasswd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/../../etc/passwd',
    '/..%2Fsecret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2F..%2Fsecret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
  ])('never leaves dist for %s', async (path) => {
    const res = await raw(path);
    expect([400, 404]).toContain(res.status);
    const text = res.body.toString('utf8');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('root:');
  });
});

describe('buildApp without distDir', () => {
  it('serves no player', async () => {
    const api = buildApp({ publicDir: join(tmp, 'data', 'public') });
    await api.listen({ host: '127.0.0.1', port: 0 });
    try {
      const apiBase = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
      const index = await fetch(`${apiBase}/`);
      await index.arrayBuffer();
      expect(index.status).toBe(404);
      const config = (await (await fetch(`${apiBase}/config.json`)).json()) as { channel: unknown };
      expect(config.channel).toBeNull();
    } finally {
      await api.close();
    }
  });
});
