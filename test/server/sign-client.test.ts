import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, cli } from '../cli/run-cli.ts';
import { freePort, startServeWithoutPlayer, stopServe } from './serve-process.ts';

// The sign's side of docs/sign-protocol.md against the real `ccsp-signage serve`:
// the reference C client (examples/sign-client), `curl --http1.0`, and a raw
// socket that reads the exact bytes a microcontroller would get (issue 6, "Tests").

const CLIENT_SOURCE = join(REPO, 'examples', 'sign-client', 'sign_client.c');
// The flags of examples/sign-client/Makefile: a warning is a failure.
const CFLAGS = ['-std=c99', '-pedantic', '-Wall', '-Wextra', '-Werror', '-O2'];
const TEXT_KEYS = 'v seq t tz poll valid on mode bri col fx spd wk fbo fbc pwr txt'.split(' ');
const JSON_KEYS = 'v seq t tz poll valid on mode bri col fx spd txt txt_u wk fbo fbc pwr'.split(' ');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program; a missing program is an error that says which package to install. */
function run(command: string, args: string[], install: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'ENOENT' ? new Error(`${command} is not installed: run "apt-get install ${install}"`) : e,
      ),
    );
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Sends raw bytes and reads everything until the server closes the connection. */
function rawExchange(port: number, request: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let closedByServer = false;
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server did not close the connection after:\n${Buffer.concat(chunks)}`));
    }, 5000);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('end', () => (closedByServer = true));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      if (closedByServer) resolve(Buffer.concat(chunks));
    });
  });
}

interface RawResponse {
  statusLine: string;
  status: number;
  headerBytes: number;
  headers: Map<string, string>;
  headerNames: string[];
  body: Buffer;
}

function parseRaw(bytes: Buffer): RawResponse {
  const end = bytes.indexOf('\r\n\r\n');
  expect(end, 'no end of headers').toBeGreaterThan(0);
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers = new Map<string, string>();
  const headerNames: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    headerNames.push(line.slice(0, colon).toLowerCase());
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return {
    statusLine: statusLine!,
    status: Number(/^HTTP\/1\.[01] (\d{3}) /.exec(statusLine!)?.[1]),
    headerBytes: end + 4,
    headers,
    headerNames,
    body: bytes.subarray(end + 4),
  };
}

/** What the protocol promises of every response's framing (docs/sign-protocol.md, "Headers"). */
function expectFirmwareFraming(r: RawResponse) {
  expect(r.headerNames).not.toContain('transfer-encoding');
  expect(r.headerNames).not.toContain('set-cookie');
  expect(r.headerNames).not.toContain('x-powered-by');
  expect(r.headerNames).not.toContain('content-encoding');
  expect(r.headers.get('connection')).toBe('close');
  expect(r.headers.get('content-length')).toBe(String(r.body.length));
  expect(r.headerBytes).toBeLessThan(300);
}

type Status = Record<string, unknown> & { seq: number; t: number; poll: number; valid: number };

/** The C client's two lines, read back into the JSON field names. */
function parseClientOutput(stdout: string): Status & { etag: string } {
  const [summary, detail, rest] = stdout.split('\n');
  expect(rest).toBe('');
  const m =
    /^seq=(\d+) mode=(\S+) on=([01]) bri=(\d+) col=([0-9A-F]{6}) fx=(\S+) txt="((?:[^"\\]|\\.)*)"$/.exec(
      summary!,
    );
  expect(m, `summary line: ${summary}`).not.toBeNull();
  const d = Object.fromEntries(detail!.split(' ').map((kv) => kv.split('=') as [string, string]));
  return {
    seq: Number(m![1]),
    mode: m![2],
    on: m![3] === '1',
    bri: Number(m![4]),
    col: m![5],
    fx: m![6],
    txt: m![7]!.replace(/\\(.)/g, '$1'),
    etag: d.etag!,
    t: Number(d.t),
    tz: Number(d.tz),
    poll: Number(d.poll),
    valid: Number(d.valid),
    spd: Number(d.spd),
    pwr: d.pwr,
    fbo: d.fbo,
    fbc: d.fbc,
    wk: d.wk!.split(',').map((pair) => pair.split('-').map(Number)),
  };
}

/** A one-shot server that answers anything with the given bytes, for the client's refusals. */
async function fakeBox(response: string): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.once('data', () => socket.end(response));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

describe('the sign protocol from the firmware side (real server)', () => {
  let work: string;
  let client: string;
  let build: Run;
  let port: number;
  let base: string;
  let dataDir: string;
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ccsp-sign-client-'));
    client = join(work, 'sign_client');
    build = await run('cc', [...CFLAGS, '-o', client, CLIENT_SOURCE], 'gcc');
    dataDir = join(work, 'data');
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = (
      await startServeWithoutPlayer(join(work, 'cwd'), { CCSP_DATA_DIR: dataDir, PORT: String(port) })
    ).child;
  }, 90_000);

  afterAll(async () => {
    if (server) await stopServe(server);
    rmSync(work, { recursive: true, force: true });
  });

  const signClient = (...args: string[]) => run(client, ['127.0.0.1', String(port), ...args], 'gcc');
  const json = async () => (await (await fetch(`${base}/api/sign/v1/status`)).json()) as Status;

  it('builds the C reference client with cc in C99 without a warning', () => {
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
  });

  it('the C client reads the text variant into the same fields as the JSON endpoint', async () => {
    // Two requests a moment apart: only t, and valid and poll counting down, may differ (or seq, at
    // the very minute something changes; then take another pair).
    for (let attempt = 0; ; attempt++) {
      const ran = await signClient();
      const expected = await json();
      expect(ran.stderr).toBe('');
      expect(ran.code).toBe(0);
      const got = parseClientOutput(ran.stdout);
      if (got.seq !== expected.seq && attempt < 2) continue;
      const { etag, t, poll, valid, ...same } = got;
      expect(etag).toBe(`"${expected.seq}"`);
      expect(same).toEqual({
        seq: expected.seq,
        mode: expected.mode,
        on: expected.on,
        bri: expected.bri,
        col: expected.col,
        fx: expected.fx,
        txt: expected.txt,
        tz: expected.tz,
        spd: expected.spd,
        pwr: expected.pwr,
        fbo: expected.fbo,
        fbc: expected.fbc,
        wk: expected.wk,
      });
      expect(Math.abs(t - expected.t)).toBeLessThanOrEqual(2);
      expect(Math.abs(valid - expected.valid)).toBeLessThanOrEqual(2);
      expect(Math.abs(poll - expected.poll)).toBeLessThanOrEqual(2);
      return;
    }
  });

  it('the C client gets "not-modified" (exit 2) with the ETag, quoted or bare', async () => {
    const { seq } = await json();
    for (const etag of [`"${seq}"`, String(seq)]) {
      const ran = await signClient('-', etag);
      expect(ran).toEqual({ code: 2, stdout: 'not-modified\n', stderr: '' });
    }
    const changed = await signClient('', `"${seq + 1000}"`);
    expect(changed.code).toBe(0);
  });

  it('the C client refuses a response over 1024 bytes, a chunked one and a wrong Content-Length', async () => {
    const head = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n';
    const body = 'v=1\nseq=1\n';
    const cases: [string, string][] = [
      [`${head}Content-Length: 2000\r\n\r\n${'x'.repeat(2000)}`, 'error too-large'],
      [`${head}Transfer-Encoding: chunked\r\n\r\na\r\n${body}\r\n0\r\n\r\n`, 'error chunked'],
      [`${head}Content-Length: 99\r\n\r\n${body}`, 'error content-length'],
      [`${head}Content-Length: ${body.length}\r\n\r\n${body}`, 'error missing t'],
    ];
    for (const [response, error] of cases) {
      const fake = await fakeBox(response);
      try {
        const ran = await run(client, ['127.0.0.1', String(fake.port)], 'gcc');
        expect(ran.code, response.slice(0, 80)).toBe(1);
        expect(ran.stdout.startsWith(error), ran.stdout).toBe(true);
      } finally {
        fake.server.close();
      }
    }
  });

  it('curl --http1.0 gets a complete text response with txt last', async () => {
    const ran = await run(
      'curl',
      ['--http1.0', '-s', '-D', '-', '--compressed', `${base}/api/sign/v1/status.txt`],
      'curl',
    );
    expect(ran.code).toBe(0);
    const raw = parseRaw(Buffer.from(ran.stdout, 'latin1'));
    expect(raw.statusLine).toMatch(/^HTTP\/1\.[01] 200 OK$/);
    expectFirmwareFraming(raw);
    expect(raw.headers.get('content-type')).toBe('text/plain; charset=us-ascii');
    const text = raw.body.toString('latin1');
    expect(text).toMatch(/^[\x20-\x7e\n]*\n$/);
    const lines = text.slice(0, -1).split('\n');
    expect(lines.map((l) => l.slice(0, l.indexOf('=')))).toEqual(TEXT_KEYS);
    const field = (key: string) => lines.find((l) => l.startsWith(`${key}=`))!.slice(key.length + 1);
    expect(raw.headers.get('etag')).toBe(`"${field('seq')}"`);
    expect(raw.headers.get('cache-control')).toBe(`max-age=${field('poll')}, no-transform`);
    expect(field('wk').split(',')).toHaveLength(14);
  });

  it('a raw HTTP/1.0 socket reads Content-Length bytes of flat JSON, and the server closes', async () => {
    const raw = parseRaw(await rawExchange(port, 'GET /api/sign/v1/status HTTP/1.0\r\n\r\n'));
    expect(raw.statusLine).toMatch(/^HTTP\/1\.[01] 200 OK$/);
    expectFirmwareFraming(raw);
    expect(raw.headers.get('content-type')).toBe('application/json');
    expect(raw.body.length).toBeLessThanOrEqual(512);
    const text = raw.body.toString('utf8');
    expect(text).not.toContain('null');
    const body = JSON.parse(text) as Status;
    expect(Object.keys(body)).toEqual(JSON_KEYS);
    // Flat: scalars, and wk, the one list, of seven [open, close] pairs.
    const { wk, ...scalars } = body;
    for (const value of Object.values(scalars))
      expect(['string', 'number', 'boolean']).toContain(typeof value);
    expect(wk).toEqual(Array.from({ length: 7 }, () => [expect.any(Number), expect.any(Number)]));
    expect(raw.headers.get('etag')).toBe(`"${body.seq}"`);
    expect(raw.headers.get('cache-control')).toBe(`max-age=${body.poll}, no-transform`);
  });

  it('HTTP/1.1 asking for keep-alive still gets Connection: close and a closed socket', async () => {
    const raw = parseRaw(
      await rawExchange(
        port,
        `GET /api/sign/v1/status HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n\r\n`,
      ),
    );
    expect(raw.status).toBe(200);
    expectFirmwareFraming(raw);
    expect(JSON.parse(raw.body.toString('utf8'))).toHaveProperty('v', 1);
  });

  it('answers an HTTP/1.1 request without Host (naive firmware) like any other', async () => {
    const raw = parseRaw(await rawExchange(port, 'GET /api/sign/v1/status HTTP/1.1\r\n\r\n'));
    expect(raw.status).toBe(200);
    expectFirmwareFraming(raw);
  });

  it('answers an unknown API path with 404, not the player page', async () => {
    const raw = parseRaw(await rawExchange(port, 'GET /api/sign/v2/status HTTP/1.0\r\n\r\n'));
    expect(raw.status).toBe(404);
    expect(raw.body.toString('utf8')).not.toContain('<html');
  });

  it('answers 304 with no body to If-None-Match on the current seq', async () => {
    const { seq } = await json();
    const raw = parseRaw(
      await rawExchange(port, `GET /api/sign/v1/status HTTP/1.0\r\nIf-None-Match: "${seq}"\r\n\r\n`),
    );
    expect(raw.status).toBe(304);
    expect(raw.body.length).toBe(0);
    expect(raw.headerNames).not.toContain('transfer-encoding');
    expect(raw.headers.get('etag')).toBe(`"${seq}"`);
  });

  it('answers a garbage request line with a 400, never a 5xx', async () => {
    const raw = parseRaw(await rawExchange(port, 'BLAH\r\n\r\n'));
    expect(raw.status).toBe(400);
  });

  it('answers a malformed channel with 400 and an unknown one with 503 and Retry-After', async () => {
    const bad = parseRaw(
      await rawExchange(port, 'GET /api/sign/v1/status?ch=Not_A_Channel HTTP/1.0\r\n\r\n'),
    );
    expect(bad.status).toBe(400);
    expectFirmwareFraming(bad);
    expect(JSON.parse(bad.body.toString('utf8'))).toEqual({ v: 1, err: 'channel', t: expect.any(Number) });
    const none = parseRaw(await rawExchange(port, 'GET /api/sign/v1/status.txt?ch=nowhere HTTP/1.0\r\n\r\n'));
    expect(none.status).toBe(503);
    expectFirmwareFraming(none);
    expect(none.headers.get('retry-after')).toBe('60');
    expect(none.body.toString('latin1')).toMatch(/^v=1\nerr=nodata\nt=\d+\n$/);
  });

  // Last: once a token exists the endpoint stays closed for this server.
  it('with a token from `sign-token add`, answers 401 without it and 200 with it', async () => {
    const added = await cli(['sign-token', 'add', 'entree-nord'], { env: { CCSP_DATA_DIR: dataDir } });
    expect(added.code).toBe(0);
    const token = added.stdout.split('\n')[1]!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    // The server reads the token file again every 5 seconds.
    let status = 200;
    for (let waited = 0; status !== 401 && waited < 10_000; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = (await fetch(`${base}/api/sign/v1/status`)).status;
    }
    expect(status).toBe(401);

    const denied = await signClient();
    expect(denied.code).toBe(1);
    expect(denied.stdout).toBe('error 401 err=auth\n');
    expect((await signClient('not-the-token')).stdout).toBe('error 401 err=auth\n');
    const allowed = await signClient(token);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/^seq=\d+ mode=/);

    const raw = parseRaw(await rawExchange(port, 'GET /api/sign/v1/status HTTP/1.0\r\n\r\n'));
    expect(raw.status).toBe(401);
    expectFirmwareFraming(raw);
    const body = JSON.parse(raw.body.toString('utf8')) as { t: number };
    expect(body).toEqual({ v: 1, err: 'auth', t: expect.any(Number) });
    expect(Math.abs(body.t - Date.now() / 1000)).toBeLessThan(5);
    const viaQuery = await fetch(`${base}/api/sign/v1/status?tk=${encodeURIComponent(token)}`);
    expect(viaQuery.status).toBe(200);
  }, 30_000);
});
