/**
 * One media download: resumed with Range where a part exists, every byte hashed,
 * kept only when its size and SHA-256 match the signed manifest (DESIGN.md
 * "Offline first": never play a file that was not checked).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, toHex } from '../bytes.ts';
import { mediaFileName, type MediaFile } from '../media.ts';
import { isStoreFull, type BodyReader, type Fetcher, type SyncStore } from './ports.ts';
import type { DownloadError } from './state.ts';
import { parseRetryAfter } from './backoff.ts';

/** Parts are written in pieces of about this size: fewer, larger writes to flash storage. */
const WRITE_BATCH = 256 * 1024;

export type DownloadResult =
  | { ok: true; resumedFrom: number }
  | { ok: false; kind: DownloadError; message: string; retryAfterMs?: number | undefined };

export interface DownloadContext {
  fetcher: Fetcher;
  store: SyncStore;
  /** Base URL ending with '/', holding media/. */
  baseUrl: string;
  signal: AbortSignal | undefined;
  now: () => number;
  /** Bytes of the file present so far (part included). */
  onProgress: (done: number) => void;
  /** Strong ETags the upstream gave per file, for If-Range (in memory only). */
  etags: Map<string, string>;
}

type Hasher = ReturnType<typeof sha256.create>;

const fail = (kind: DownloadError, message: string, retryAfterMs?: number): DownloadResult => ({
  ok: false,
  kind,
  message,
  retryAfterMs,
});

/** Hashes what the part holds, to go on from there. */
async function hashPart(store: SyncStore, file: MediaFile, limit: number): Promise<[Hasher, number]> {
  const hasher = sha256.create();
  let n = 0;
  for await (const chunk of store.readPart(file)) {
    const piece = chunk.subarray(0, Math.max(0, limit - n));
    hasher.update(piece);
    n += piece.length;
    if (n >= limit) break;
  }
  return [hasher, n];
}

export async function downloadMedia(ctx: DownloadContext, file: MediaFile): Promise<DownloadResult> {
  const { store } = ctx;
  try {
    const state = await store.mediaState(file);
    if (state.complete) return { ok: true, resumedFrom: file.bytes };
    let offset = state.partBytes;
    let hasher: Hasher;
    if (offset > file.bytes) {
      await store.discardPart(file);
      offset = 0;
    }
    if (offset > 0) {
      const [h, n] = await hashPart(store, file, offset);
      if (n !== offset) {
        // The part shrank under us (another writer, a damaged disk): start over.
        await store.discardPart(file);
        offset = 0;
        hasher = sha256.create();
      } else hasher = h;
    } else hasher = sha256.create();
    const resumedFrom = offset;
    if (offset === file.bytes) return await finish(ctx, file, hasher, resumedFrom);

    const name = mediaFileName(file);
    const headers: Record<string, string> = {};
    if (offset > 0) {
      headers.range = `bytes=${offset}-`;
      // RFC 9110 §13.1.5: If-Range needs a strong validator. Without one the name is
      // content-addressed anyway, and the hash check catches any mix of versions.
      const etag = ctx.etags.get(file.sha256);
      if (etag && !etag.startsWith('W/')) headers['if-range'] = etag;
    }
    const response = await ctx.fetcher(`${ctx.baseUrl}media/${name}`, {
      headers,
      signal: ctx.signal,
    });
    const etag = response.headers.get('etag');
    if (etag) ctx.etags.set(file.sha256, etag);

    if (response.status === 206 && offset > 0) {
      const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
      if (!m || Number(m[1]) !== offset || (m[3] !== '*' && Number(m[3]) !== file.bytes)) {
        await response.body?.getReader().cancel();
        await store.discardPart(file);
        return fail(
          'http',
          `unexpected Content-Range "${response.headers.get('content-range')}"; starting over`,
        );
      }
    } else if (response.status === 200) {
      if (offset > 0) {
        // The server ignored Range (or If-Range did not match): it sends the whole file.
        await store.discardPart(file);
        offset = 0;
        hasher = sha256.create();
      }
    } else if (response.status === 416) {
      await response.body?.getReader().cancel();
      await store.discardPart(file);
      return fail('http', 'HTTP 416: the server refused the range; starting over');
    } else {
      await response.body?.getReader().cancel();
      return fail(
        'http',
        `HTTP ${response.status}`,
        parseRetryAfter(response.headers.get('retry-after'), ctx.now()),
      );
    }

    const reader: BodyReader | undefined = response.body?.getReader();
    const pending: Uint8Array[] = [];
    let pendingBytes = 0;
    let written = offset;
    const flush = async () => {
      if (pendingBytes === 0) return;
      const chunk = pending.length === 1 ? pending[0]! : concatBytes(...pending);
      pending.length = 0;
      pendingBytes = 0;
      await store.writePart(file, written, chunk);
      written += chunk.length;
      ctx.onProgress(written);
    };
    const take = async (chunk: Uint8Array): Promise<DownloadResult | undefined> => {
      if (written + pendingBytes + chunk.length > file.bytes) {
        await store.discardPart(file);
        return fail('size', `more than the ${file.bytes} bytes the manifest gives; discarded`);
      }
      hasher.update(chunk);
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= WRITE_BATCH) await flush();
      return undefined;
    };
    try {
      if (reader) {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (!value?.length) continue;
          const bad = await take(value);
          if (bad) {
            await reader.cancel().catch(() => undefined);
            return bad;
          }
        }
      } else {
        const bad = await take(new Uint8Array(await response.arrayBuffer()));
        if (bad) return bad;
      }
    } catch (e) {
      // Keep what arrived: the next attempt resumes from there.
      await flush().catch(() => undefined);
      if (isStoreFull(e)) return fail('store-full', errorMessage(e));
      return fail('network', `cut after ${written} of ${file.bytes} bytes: ${errorMessage(e)}`);
    }
    await flush();
    if (written < file.bytes) return fail('network', `cut after ${written} of ${file.bytes} bytes`);
    return await finish(ctx, file, hasher, resumedFrom);
  } catch (e) {
    if (isStoreFull(e)) return fail('store-full', errorMessage(e));
    if (isAbort(e)) return fail('network', 'stopped');
    return fail(e instanceof TypeError ? 'network' : 'store', errorMessage(e));
  }
}

async function finish(
  ctx: DownloadContext,
  file: MediaFile,
  hasher: Hasher,
  resumedFrom: number,
): Promise<DownloadResult> {
  const actual = toHex(hasher.digest());
  if (actual !== file.sha256) {
    await ctx.store.discardPart(file);
    return fail('hash', `SHA-256 ${actual} does not match the signed ${file.sha256}; discarded`);
  }
  await ctx.store.promote(file);
  return { ok: true, resumedFrom };
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    return cause instanceof Error ? `${e.message} (${cause.message})` : e.message;
  }
  return String(e);
}

export function isAbort(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';
}
