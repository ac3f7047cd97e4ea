/**
 * The two ports of the sync engine (issue 5 "One engine, two stores"): how to
 * fetch, and where to keep things. The browser implements them with fetch,
 * idb-keyval and the Cache API; the server with node:http and files
 * (src/server/file-store.ts). The engine never sees anything else.
 */
import type { MediaFile } from '../media.ts';

// ---------------------------------------------------------------- fetching

export interface HeadersLike {
  get(name: string): string | null;
}

export interface BodyReader {
  read(): Promise<{ done: boolean; value?: Uint8Array | undefined }>;
  cancel(reason?: unknown): Promise<void>;
}

/** What the engine reads of a response: `fetch`'s Response satisfies it. */
export interface ResponseLike {
  status: number;
  headers: HeadersLike;
  /** Read in chunks, so that a cut download keeps what arrived and a huge body is refused early. */
  body: { getReader(): BodyReader } | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface FetchInit {
  headers: Record<string, string>;
  signal?: AbortSignal | undefined;
}

/** `(url, init) => fetch(url, init)` in the browser; a lean node:http client on the box. */
export type Fetcher = (url: string, init: FetchInit) => Promise<ResponseLike>;

// ---------------------------------------------------------------- storing

/** A manifest the device accepted, as kept in the store. */
export interface StoredManifest {
  channel: string;
  /** The exact envelope bytes received: re-verified at boot, served as is by the box. */
  envelope: Uint8Array;
  /** The upstream's ETag for these bytes, sent back in If-None-Match. */
  etag?: string | undefined;
  /** When this device accepted it (trusted time, ms since the epoch). */
  acceptedAt?: number | undefined;
}

export type ManifestSlot = 'active' | 'staged';

/** What the store holds for one media file. */
export interface MediaState {
  /** Visible: it was checked (size and SHA-256) and promoted. */
  complete: boolean;
  /** Bytes of the download in progress (0 when none). */
  partBytes: number;
}

export interface MediaEntry {
  sha256: string;
  /** The store's own name for it, handed back to deleteMedia. */
  name: string;
  complete: boolean;
  bytes: number;
}

/**
 * Where the engine keeps its manifests, media and small records.
 *
 * - Media are content-addressed (`<sha256>.<ext>`, media.ts). A download goes to a
 *   part that only grows by `writePart` at its current end; `promote` makes it
 *   visible. The engine hashes every byte (noble's incremental SHA-256) and
 *   promotes only a part whose size and hash it checked; a store may re-check.
 * - `commit` switches a channel's active manifest in one atomic step (one
 *   IndexedDB transaction: idb-keyval `setMany`; on disk: temp file, fsync,
 *   rename) and must only come after the media it needs were promoted.
 * - Errors are thrown; a full store throws an error whose `code` is `ENOSPC` or
 *   `EDQUOT`, or whose `name` is `QuotaExceededError` (see isStoreFull).
 */
export interface SyncStore {
  /** Small JSON-compatible records (the engine's memory across restarts). */
  getRecord(key: string): Promise<unknown>;
  putRecord(key: string, value: unknown): Promise<void>;

  getManifest(channel: string, slot: ManifestSlot): Promise<StoredManifest | undefined>;
  /** Every manifest kept, active and staged, of every channel: what garbage collection must keep. */
  listManifests(): Promise<StoredManifest[]>;
  /** Keeps a manifest accepted but not in force yet (its media are downloading). */
  stage(record: StoredManifest): Promise<void>;
  clearStaged(channel: string): Promise<void>;
  /** Makes `record` the channel's active manifest atomically; clears a staged one of that version or lower. */
  commit(record: StoredManifest): Promise<void>;

  mediaState(file: MediaFile): Promise<MediaState>;
  /** The bytes of the part so far, in order (to resume hashing after a restart). */
  readPart(file: MediaFile): AsyncIterable<Uint8Array>;
  /** Writes `chunk` at `offset`, which is the part's current length (0 starts it afresh). */
  writePart(file: MediaFile, offset: number, chunk: Uint8Array): Promise<void>;
  /** Makes a checked part visible under its final name (durably: fsync, rename). */
  promote(file: MediaFile): Promise<void>;
  discardPart(file: MediaFile): Promise<void>;
  listMedia(): Promise<MediaEntry[]>;
  deleteMedia(entry: MediaEntry): Promise<void>;
}

/** Whether an error thrown by a store means it is out of space or over its quota. */
export function isStoreFull(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, name } = error as { code?: unknown; name?: unknown };
  return code === 'ENOSPC' || code === 'EDQUOT' || name === 'QuotaExceededError';
}
