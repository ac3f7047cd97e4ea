/**
 * The box mirrors an upstream (issue 5, `serve --upstream URL`): any HTTP host
 * holding channels/ and media/ (another ccsp-signage server, a static host, a
 * CDN). The core sync engine runs once per channel against a FileStore laid out
 * as the public tree, so the screens on the centre's network are served from it
 * unchanged. Signatures make an untrusted upstream safe (DESIGN.md "Scale").
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { combineLatest, map, type Observable } from 'rxjs';
import {
  startSync,
  TrustedClock,
  verifyRoot,
  type BodyReader,
  type Fetcher,
  type ResponseLike,
  type SyncHandle,
  type SyncLogEntry,
  type SyncState,
  type TrustRoot,
} from '../core/index.ts';
import { readFile } from 'node:fs/promises';
import type { FileStore } from './file-store.ts';
import { writeFileAtomic } from './files.ts';

export type MirrorRoot =
  /** Pinned at provisioning: the local root.json if it matches, else the upstream's. */
  | { fingerprint: string }
  /** A root.json already on the box, trusted as it is. */
  | { file: string };

export interface MirrorOptions {
  upstream: URL;
  channels: string[];
  store: FileStore;
  root: MirrorRoot;
  intervalMs?: number;
  log?: (entry: SyncLogEntry) => void;
  /** Defaults to nodeFetcher(); injected by tests and the benchmark. */
  fetcher?: Fetcher;
  clock?: TrustedClock;
  horizonMs?: number;
  random?: () => number;
}

export interface MirrorHandle {
  /** The state of each channel's engine, by channel id. */
  readonly state$: Observable<Record<string, SyncState>>;
  readonly root: TrustRoot;
  /** Resolves once every channel's stored manifest was read and checked. */
  readonly ready: Promise<void>;
  pollNow(): void;
  stop(): Promise<void>;
}

function readerOf(res: IncomingMessage): BodyReader {
  const chunks = res[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return {
    async read() {
      const r = await chunks.next();
      return r.done ? { done: true } : { done: false, value: r.value };
    },
    async cancel() {
      res.destroy();
    },
  };
}

/**
 * A lean Fetcher on node:http(s): no User-Agent, Accept or Accept-Encoding, one
 * connection per request (a poll every few minutes outlives any keep-alive), so
 * that an idle poll costs little more than its ETags on the metered link.
 */
export function nodeFetcher(): Fetcher {
  return (url, init) =>
    new Promise<ResponseLike>((resolve, reject) => {
      const target = new URL(url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        target,
        { method: 'GET', headers: init.headers, agent: false, signal: init.signal },
        (res) => {
          let reader: BodyReader | undefined;
          resolve({
            status: res.statusCode ?? 0,
            headers: {
              get(name) {
                const value = res.headers[name.toLowerCase()];
                return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
              },
            },
            body: {
              getReader() {
                reader ??= readerOf(res);
                return reader;
              },
            },
            async arrayBuffer() {
              const parts: Buffer[] = [];
              for await (const chunk of res) parts.push(chunk as Buffer);
              const all = Buffer.concat(parts);
              return all.buffer.slice(all.byteOffset, all.byteOffset + all.length) as ArrayBuffer;
            },
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
}

async function fetchBytes(fetcher: Fetcher, url: string): Promise<Uint8Array> {
  const res = await fetcher(url, { headers: {} });
  if (res.status !== 200) {
    await res.body?.getReader().cancel();
    throw new Error(`GET ${url}: HTTP ${res.status}`);
  }
  return new Uint8Array(await res.arrayBuffer());
}

/** The trust root: the local copy when it matches the pin, else the upstream's, kept locally. */
async function loadRoot(options: MirrorOptions, fetcher: Fetcher, base: string): Promise<TrustRoot> {
  const localPath = join(options.store.publicDir, 'trust', 'root.json');
  if ('file' in options.root) {
    const result = await verifyRoot(await readFile(options.root.file));
    if (!result.ok) throw new Error(`${options.root.file}: ${result.error.message}`);
    if (options.root.file !== localPath) await writeFileAtomic(localPath, await readFile(options.root.file));
    return result.root;
  }
  const fingerprint = options.root.fingerprint;
  const local = await readFile(localPath).catch(() => undefined);
  if (local) {
    const result = await verifyRoot(local, { fingerprint });
    if (result.ok) return result.root;
  }
  let bytes: Uint8Array;
  try {
    bytes = await fetchBytes(fetcher, `${base}trust/root.json`);
  } catch (e) {
    throw new Error(
      `no trust root with fingerprint ${fingerprint} on this box, and the upstream's could not be fetched (${(e as Error).message}); connect the box once or copy root.json to ${localPath}`,
      { cause: e },
    );
  }
  const result = await verifyRoot(bytes, { fingerprint });
  if (!result.ok) throw new Error(`the upstream's trust/root.json: ${result.error.message}`);
  await writeFileAtomic(localPath, bytes);
  return result.root;
}

/** Starts mirroring; rejects when no trust root can be established. */
export async function startMirror(options: MirrorOptions): Promise<MirrorHandle> {
  if (options.channels.length === 0) throw new Error('startMirror: no channel to mirror');
  const base = options.upstream.href.endsWith('/') ? options.upstream.href : `${options.upstream.href}/`;
  const fetcher = options.fetcher ?? nodeFetcher();
  const root = await loadRoot(options, fetcher, base);
  // One clock for every channel: each accepted `issued` and upstream Date moves it for all.
  const clock = options.clock ?? new TrustedClock();
  const engines = new Map<string, SyncHandle>();
  for (const channel of options.channels) {
    engines.set(
      channel,
      startSync({
        channel,
        baseUrl: base,
        root,
        fetcher,
        store: options.store,
        clock,
        intervalMs: options.intervalMs,
        horizonMs: options.horizonMs,
        random: options.random,
        log: options.log,
      }),
    );
  }
  const list = [...engines.entries()];
  return {
    root,
    state$: combineLatest(list.map(([, e]) => e.state$)).pipe(
      map((states) => Object.fromEntries(states.map((s) => [s.channel, s]))),
    ),
    ready: Promise.all(list.map(([, e]) => e.ready)).then(() => undefined),
    pollNow() {
      for (const [, e] of list) e.pollNow();
    },
    async stop() {
      await Promise.all(list.map(([, e]) => e.stop()));
    },
  };
}
