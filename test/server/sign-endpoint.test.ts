import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TrustedClock } from '../../src/core/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { ChannelStore } from '../../src/server/channel-store.ts';
import { openDataDir, publishDirectory, type DataDir } from '../../src/server/data-dir.ts';
import { powerSource } from '../../src/server/power.ts';
import { SeqStore } from '../../src/server/sign-endpoint.ts';
import { addToken, readTokens, type TokenFile } from '../../src/server/sign-tokens.ts';

const PLAYLISTS = fileURLToPath(new URL('../../playlists', import.meta.url));
const at = (local: string) => Date.parse(`${local}:00+01:00`);

interface Box {
  app: FastifyInstance;
  base: string;
  data: DataDir;
  dir: string;
  setTime(ms: number): void;
}

const boxes: Box[] = [];
afterEach(async () => {
  while (boxes.length) await boxes.pop()!.app.close();
});

/** A real server on 127.0.0.1 whose clock the test sets (the device clock; Porto-Novo time). */
async function box(
  options: { dir?: string; publish?: boolean; tokens?: TokenFile; env?: NodeJS.ProcessEnv } = {},
): Promise<Box> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'ccsp-sign-')));
  const data = await openDataDir(dir);
  if (options.publish !== false) await publishDirectory(PLAYLISTS, data, new Date(at('2026-11-28T06:00')));
  let now = at('2026-12-01T07:59');
  const clock = new TrustedClock(
    () => now,
    () => now,
  );
  const app = buildApp({
    publicDir: data.publicDir,
    defaultChannel: 'ccsp-lokossa',
    sign: {
      store: new ChannelStore(data.publicDir, clock, 0),
      seq: await SeqStore.open(dir),
      power: powerSource(options.env ?? {}, console.warn, 0),
      tokens: () => options.tokens ?? { tokens: [] },
      defaultChannel: 'ccsp-lokossa',
    },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  const b: Box = { app, base: `http://127.0.0.1:${port}`, data, dir, setTime: (ms) => (now = ms) };
  boxes.push(b);
  return b;
}

const status = async (b: Box, init: RequestInit = {}, path = '/api/sign/v1/status') => {
  const r = await fetch(`${b.base}${path}`, init);
  return { r, body: r.status === 304 ? undefined : ((await r.json()) as Record<string, unknown>) };
};

describe('GET /api/sign/v1/status', () => {
  let b: Box;
  beforeEach(async () => {
    b = await box();
  });

  it('answers with the flat status, its ETag from seq, and caching from poll', async () => {
    const { r, body } = await status(b);
    expect(r.status).toBe(200);
    expect(Object.keys(body!)).toEqual([
      'v',
      'seq',
      't',
      'tz',
      'poll',
      'valid',
      'on',
      'mode',
      'bri',
      'col',
      'fx',
      'spd',
      'txt',
      'txt_u',
      'wk',
      'fbo',
      'fbc',
      'pwr',
    ]);
    expect(body).toMatchObject({
      v: 1,
      seq: 1,
      mode: 'closed',
      txt_u: 'FERMÉ — réouverture 8 h',
      t: at('2026-12-01T07:59') / 1000,
      valid: 60,
    });
    expect(r.headers.get('etag')).toBe('"1"');
    expect(r.headers.get('cache-control')).toBe(`max-age=${body!.poll}, no-transform`);
    expect(r.headers.get('content-length')).toBe(String(Buffer.byteLength(JSON.stringify(body))));
    expect(r.headers.get('connection')).toBe('close');
  });

  it('answers 304 while seq is unchanged, and a new seq at the minute the centre opens', async () => {
    expect((await status(b, { headers: { 'if-none-match': '"1"' } })).r.status).toBe(304);
    b.setTime(at('2026-12-01T08:00'));
    const { r, body } = await status(b, { headers: { 'if-none-match': '"1"' } });
    expect(r.status).toBe(200);
    expect(body).toMatchObject({ seq: 2, mode: 'open', on: true });
    // The time moves on, the content does not: same seq.
    b.setTime(at('2026-12-01T09:00'));
    expect((await status(b)).body).toMatchObject({ seq: 2 });
  });

  it('increases seq when a new manifest changes what the sign shows, and keeps it across restarts', async () => {
    await status(b);
    const source = JSON.parse(await readFile(join(PLAYLISTS, 'ccsp-lokossa.json'), 'utf8')) as {
      sign: { closed: string };
    };
    source.sign.closed = 'FERMÉ — à bientôt';
    const dir = await mkdtemp(join(tmpdir(), 'ccsp-sign-pl-'));
    await writeFile(
      join(dir, 'ccsp-lokossa.json'),
      JSON.stringify(source).replaceAll('../assets/', `${PLAYLISTS}/../assets/`),
    );
    await publishDirectory(dir, b.data, new Date(at('2026-11-29T06:00')));
    expect((await status(b)).body).toMatchObject({ seq: 2, txt: 'FERME - a bientot' });

    const again = await box({ dir: b.dir, publish: false });
    again.setTime(at('2026-12-01T07:59'));
    expect((await status(again)).body).toMatchObject({ seq: 2 });
  });

  it('gives the text variant: ASCII key=value lines in the same order, txt last', async () => {
    const r = await fetch(`${b.base}/api/sign/v1/status.txt`);
    const text = await r.text();
    expect(r.headers.get('content-type')).toBe('text/plain; charset=us-ascii');
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
    const keys = text
      .trim()
      .split('\n')
      .map((l) => l.split('=')[0]);
    expect(keys).toEqual([
      'v',
      'seq',
      't',
      'tz',
      'poll',
      'valid',
      'on',
      'mode',
      'bri',
      'col',
      'fx',
      'spd',
      'wk',
      'fbo',
      'fbc',
      'pwr',
      'txt',
    ]);
    expect(text).toContain('\nwk=480,1110,480,1110,480,1110,480,1110,480,1110,540,780,0,0\n');
    expect(text.endsWith('txt=FERME - reouverture 8 h\n')).toBe(true);
  });

  it('refuses a malformed channel with 400, never a 5xx', async () => {
    for (const q of ['?ch=BAD!', '?ch=a&ch=b', '?ch=', `?ch=${'a'.repeat(70)}`, '?ch=%ff']) {
      const { r, body } = await status(b, {}, `/api/sign/v1/status${q}`);
      expect(r.status, q).toBe(400);
      expect(body).toMatchObject({ v: 1, err: 'channel' });
    }
    expect((await status(b, {}, '/api/sign/v1/status?ch=ccsp-ouidah')).r.status).toBe(503);
  });
});

describe('before any manifest', () => {
  it('answers 503 with Retry-After and the time', async () => {
    const b = await box({ publish: false });
    const { r, body } = await status(b);
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('60');
    expect(body).toEqual({ v: 1, err: 'nodata', t: at('2026-12-01T07:59') / 1000 });
  });
});

describe('tokens', () => {
  it('refuses a missing or wrong token with a tiny 401 that still carries t, and accepts the right one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ccsp-sign-tk-'));
    const token = await addToken(dir, 'enseigne-mairie');
    const stored = await readFile(join(dir, 'sign-tokens.json'), 'utf8');
    expect(stored).not.toContain(token); // only the hash is kept
    const b = await box({ dir, tokens: await readTokens(dir) });
    for (const init of [
      {},
      { headers: { authorization: 'Bearer nope' } },
      { headers: { authorization: `Basic ${token}` } },
    ]) {
      const { r, body } = await status(b, init);
      expect(r.status).toBe(401);
      expect(body).toEqual({ v: 1, err: 'auth', t: at('2026-12-01T07:59') / 1000 });
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
    }
    expect((await status(b, { headers: { authorization: `Bearer ${token}` } })).r.status).toBe(200);
    expect((await status(b, {}, `/api/sign/v1/status?tk=${token}`)).r.status).toBe(200);
    expect((await status(b, {}, `/api/sign/v1/status?tk=${token.slice(0, -1)}`)).r.status).toBe(401);
  });
});

describe('power', () => {
  it('reads the power state from the configured file and dims the sign', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ccsp-sign-pw-'));
    const file = join(dir, 'power');
    await writeFile(file, 'eco\n');
    const b = await box({ env: { CCSP_POWER_FILE: file } });
    b.setTime(at('2026-12-01T10:00'));
    expect((await status(b)).body).toMatchObject({ pwr: 'eco', bri: 128 });
    await writeFile(file, 'crit');
    b.setTime(at('2026-12-01T22:00'));
    expect((await status(b)).body).toMatchObject({ pwr: 'crit', mode: 'off', on: false });
  });
});
