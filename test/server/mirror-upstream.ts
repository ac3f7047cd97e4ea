/**
 * An upstream whose faults the test controls: a small node:http server over a
 * published tree (channels/, media/, trust/) with switches for delays, cuts,
 * wrong bytes, 304s, 503 + Retry-After, ignoring Range and throttling; it counts
 * the bytes that cross its sockets.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';

export interface Faults {
  delayMs: number;
  /** Cut the next `times` responses for a media name after `after` body bytes. */
  cut: Map<string, { after: number; times: number }>;
  /** Media names served with one byte changed. */
  wrongBytes: Set<string>;
  /** Answer every manifest poll with 304. */
  always304: boolean;
  /** Answer everything with 503 and this Retry-After. */
  unavailable: string | undefined;
  ignoreRange: boolean;
  /** Bytes served instead of a channel's manifest.json. */
  manifest: Map<string, Uint8Array>;
  /** Media names sent slowly: `bytes` every `everyMs`. */
  throttle: Map<string, { bytes: number; everyMs: number }>;
}

export interface RequestLog {
  path: string;
  headers: IncomingHttpHeaders;
  status: number;
}

export interface Upstream {
  url: string;
  faults: Faults;
  requests: RequestLog[];
  /** Bytes read from and written to client sockets closed so far. */
  traffic: { in: number; out: number };
  /** Resolves when no client socket is open (so that traffic is complete). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function freshFaults(): Faults {
  return {
    delayMs: 0,
    cut: new Map(),
    wrongBytes: new Set(),
    always304: false,
    unavailable: undefined,
    ignoreRange: false,
    manifest: new Map(),
    throttle: new Map(),
  };
}

export async function startUpstream(publicDir: string): Promise<Upstream> {
  const faults = freshFaults();
  const requests: RequestLog[] = [];
  const traffic = { in: 0, out: 0 };
  const sockets = new Set<Socket>();
  let waiters: (() => void)[] = [];

  const send = async (path: string, res: ServerResponse, headers: IncomingHttpHeaders) => {
    const log = (status: number) => requests.push({ path, headers, status });
    if (faults.delayMs) await sleep(faults.delayMs);
    if (faults.unavailable !== undefined) {
      log(503);
      res.writeHead(503, { 'retry-after': faults.unavailable, 'content-length': '0' }).end();
      return;
    }
    const manifest = /^\/channels\/([a-z0-9-]+)\/manifest\.json$/.exec(path);
    if (manifest) {
      const bytes =
        faults.manifest.get(manifest[1]!) ??
        (await readFile(join(publicDir, 'channels', manifest[1]!, 'manifest.json')).catch(() => undefined));
      if (!bytes) {
        log(404);
        res.writeHead(404, { 'content-length': '0' }).end();
        return;
      }
      const etag = `"${sha256(bytes)}"`;
      const match = headers['if-none-match']?.split(',').some((t) => t.trim() === etag);
      if (faults.always304 || match) {
        log(304);
        res.writeHead(304, { etag }).end();
        return;
      }
      log(200);
      res.writeHead(200, { etag, 'content-length': String(bytes.length) }).end(bytes);
      return;
    }
    if (path === '/trust/root.json') {
      const bytes = await readFile(join(publicDir, 'trust', 'root.json'));
      log(200);
      res.writeHead(200, { 'content-length': String(bytes.length) }).end(bytes);
      return;
    }
    const media = /^\/media\/([0-9a-f]{64})\.([a-z0-9]+)$/.exec(path);
    const original =
      media && (await readFile(join(publicDir, 'media', path.slice(7))).catch(() => undefined));
    if (!media || !original) {
      log(404);
      res.writeHead(404, { 'content-length': '0' }).end();
      return;
    }
    const name = path.slice(7);
    let bytes: Uint8Array = original;
    if (faults.wrongBytes.has(name)) {
      bytes = new Uint8Array(original);
      bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0xff;
    }
    const etag = `"${media[1]}"`;
    let start = 0;
    let status = 200;
    const range = /^bytes=(\d+)-$/.exec(headers.range ?? '');
    const ifRange = headers['if-range'];
    if (range && !faults.ignoreRange && (ifRange === undefined || ifRange === etag)) {
      start = Number(range[1]);
      status = 206;
    }
    const body = bytes.subarray(start);
    const head: Record<string, string> = { etag, 'content-length': String(body.length) };
    if (status === 206) head['content-range'] = `bytes ${start}-${bytes.length - 1}/${bytes.length}`;
    log(status);
    res.writeHead(status, head);
    const cut = faults.cut.get(name);
    const limit = cut && cut.times > 0 ? cut.after : Infinity;
    if (cut && cut.times > 0) cut.times--;
    const throttle = faults.throttle.get(name);
    const step = throttle?.bytes ?? 64 * 1024;
    for (let at = 0; at < body.length; at += step) {
      const end = Math.min(at + step, body.length, limit);
      if (end > at) await new Promise<void>((r) => res.write(body.subarray(at, end), () => r()));
      if (end >= limit) {
        res.socket?.destroy();
        return;
      }
      if (throttle) await sleep(throttle.everyMs);
      if (res.destroyed) return;
    }
    res.end();
  };

  const server = createServer((req, res) => {
    void send(new URL(req.url ?? '/', 'http://x').pathname, res, req.headers).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      traffic.in += socket.bytesRead;
      traffic.out += socket.bytesWritten;
      sockets.delete(socket);
      if (sockets.size === 0) {
        const w = waiters;
        waiters = [];
        w.forEach((f) => f());
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    faults,
    requests,
    traffic,
    idle: () => (sockets.size === 0 ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
