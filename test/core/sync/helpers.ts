/** Signed channels with real media bytes, a scripted fetcher and a virtual-time driver for the engine tests. */
import { createHash } from 'node:crypto';
import type { TestScheduler } from 'rxjs/testing';
import {
  mediaFileName,
  type Fetcher,
  type FetchInit,
  type Manifest,
  type ManifestInput,
  type ResponseLike,
  type SyncHandle,
} from '../../../src/core/index.ts';
import { sampleManifest, signManifest, type TestTrust } from '../../fixtures.ts';

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Deterministic bytes, different per seed. */
export function bytesOf(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export interface TestChannel {
  envelope: Uint8Array;
  manifest: ManifestInput;
  /** Media bytes by file name under media/. */
  files: Map<string, Uint8Array>;
  etag: string;
}

/** The sample channel with an image, a video and captions made of real bytes. */
export async function testChannel(
  trust: TestTrust,
  overrides: Partial<ManifestInput> = {},
  seed = 1,
): Promise<TestChannel> {
  const image = bytesOf(1200, seed);
  const video = bytesOf(150_000, seed + 1);
  const captions = bytesOf(400, seed + 2);
  const ref = <T extends 'image/svg+xml' | 'video/mp4' | 'text/vtt'>(bytes: Uint8Array, type: T) => ({
    sha256: sha256(bytes),
    bytes: bytes.length,
    type,
  });
  const base = sampleManifest();
  const [announcement, clip] = base.items as [
    Extract<ManifestInput['items'][number], { kind: 'announcement' }>,
    Extract<ManifestInput['items'][number], { kind: 'video' }>,
  ];
  const manifest: ManifestInput = {
    ...base,
    items: [
      { ...announcement, image: ref(image, 'image/svg+xml') },
      {
        ...clip,
        file: ref(video, 'video/mp4'),
        captions: [{ lang: 'fr', file: ref(captions, 'text/vtt') }],
      },
    ],
    ...overrides,
  };
  const envelope = await signManifest(manifest, [trust.manifestKey]);
  const files = new Map<string, Uint8Array>();
  files.set(mediaFileName(ref(image, 'image/svg+xml')), image);
  files.set(mediaFileName(ref(video, 'video/mp4')), video);
  files.set(mediaFileName(ref(captions, 'text/vtt')), captions);
  return { envelope, manifest, files, etag: `"${sha256(envelope)}"` };
}

export interface ScriptedFetcher extends Fetcher {
  requests: { url: string; headers: Record<string, string> }[];
}

/** A fetcher answering with `respond`, recording every request. */
export function scriptedFetcher(
  respond: (url: string, init: FetchInit) => ResponseLike | Promise<ResponseLike>,
): ScriptedFetcher {
  const requests: ScriptedFetcher['requests'] = [];
  const fetcher = (async (url: string, init: FetchInit) => {
    requests.push({ url, headers: { ...init.headers } });
    return respond(url, init);
  }) as ScriptedFetcher;
  fetcher.requests = requests;
  return fetcher;
}

/** Serves a channel like a ccsp-signage server: ETags, 304s, ranges. */
export function serveChannel(channel: () => TestChannel | undefined) {
  return (url: string, init: FetchInit): Response => {
    const c = channel();
    if (!c) return new Response('not found', { status: 404 });
    if (url.endsWith('/manifest.json')) {
      if (init.headers['if-none-match']?.split(',').some((t) => t.trim() === c.etag))
        return new Response(null, { status: 304, headers: { etag: c.etag } });
      return new Response(c.envelope as Uint8Array<ArrayBuffer>, { headers: { etag: c.etag } });
    }
    const name = url.slice(url.lastIndexOf('/') + 1);
    const bytes = c.files.get(name);
    if (!bytes) return new Response('not found', { status: 404 });
    const m = /^bytes=(\d+)-$/.exec(init.headers.range ?? '');
    if (m) {
      const start = Number(m[1]);
      return new Response(bytes.subarray(start) as Uint8Array<ArrayBuffer>, {
        status: 206,
        headers: { 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` },
      });
    }
    return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { etag: `"${name.slice(0, 64)}"` } });
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Lets promises (fetch, WebCrypto, the store) run until the engine is idle again. */
export async function settle(handle: SyncHandle): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    await tick();
    const phase = handle.state.phase;
    if (phase === 'idle' || phase === 'stopped') {
      // One more turn: a cycle may be about to start from a timer that just fired.
      await tick();
      if (handle.state.phase === 'idle' || handle.state.phase === 'stopped') return;
    }
  }
  throw new Error(`the engine did not settle (phase ${handle.state.phase})`);
}

/**
 * Advances virtual time by `ms`, running each timer when due and letting the
 * promises it starts settle before the next: TestScheduler for time, real
 * promises at the edges (STYLE.md "Streams and state").
 */
export async function advance(ts: TestScheduler, handle: SyncHandle, ms: number): Promise<void> {
  const target = ts.now() + ms;
  await settle(handle);
  for (;;) {
    const next = ts.actions[0];
    if (!next || next.delay > target) break;
    ts.maxFrames = next.delay;
    ts.flush();
    await settle(handle);
  }
  ts.frame = target;
}

export type { Manifest };
