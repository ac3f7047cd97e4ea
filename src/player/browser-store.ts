/**
 * The screen's SyncStore (issue 5 "One engine, two stores"; the box's is
 * src/server/file-store.ts):
 *
 * - records and manifests in IndexedDB through idb-keyval, keys `record:<key>`
 *   and `manifest:<slot>:<channel>`; the commit is one `setMany`, so one
 *   IndexedDB transaction: a browser closed in the middle leaves the old
 *   manifest or the new one;
 * - checked media in the Cache API (`MEDIA_CACHE`) under their URL
 *   `/media/<sha256>.<ext>`, where the service worker (sw.ts) answers the
 *   player's requests from;
 * - downloads in progress as numbered chunks in a second IndexedDB database
 *   (`part:<name>` holds the length and the chunk count, `chunk:<name>:<n>` the
 *   bytes), each write one transaction; a part reaches the media cache only in
 *   `promote`, after its size and SHA-256 were checked again.
 *
 * A full store (QuotaExceededError from IndexedDB or the Cache API) is thrown as
 * an error named `QuotaExceededError`, which the engine's `isStoreFull` knows.
 */
import { createStore, del, delMany, entries, get, getMany, keys, setMany, type UseStore } from 'idb-keyval';
import { fromUtf8 } from '../core/bytes.ts';
import { decodeEnvelope } from '../core/dsse.ts';
import { sha256Hex } from '../core/hash.ts';
import { MEDIA_FILE_NAME, mediaFileName, type MediaFile } from '../core/media.ts';
import {
  isStoreFull,
  type ManifestSlot,
  type MediaEntry,
  type MediaState,
  type StoredManifest,
  type SyncStore,
} from '../core/sync/ports.ts';
import { mediaUrl } from './media-url.ts';

/** The Cache API cache holding checked media; sw.ts reads the same name. */
export const MEDIA_CACHE = 'ccsp-media-v1';

const MEDIA_PATH = /^\/media\/([0-9a-f]{64}\.[a-z0-9]{2,4})$/;

interface PartMeta {
  bytes: number;
  chunks: number;
}

/** What storage said when it ran out of room, as the engine understands it. */
export class StoreFullError extends Error {
  override readonly name = 'QuotaExceededError';
}

function looksFull(e: unknown): boolean {
  if (isStoreFull(e)) return true;
  // Chromium reports an IndexedDB transaction aborted for lack of room with a message naming the quota.
  return e instanceof Error && /quota/i.test(e.message);
}

async function guarded<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (looksFull(e))
      throw new StoreFullError(`storage is full while writing ${what} (${(e as Error).message})`);
    throw e;
  }
}

/** A structured clone copies a view's whole buffer: keep only the view's bytes. */
const own = (bytes: Uint8Array): Uint8Array =>
  bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();

export interface BrowserStoreOptions {
  /** IndexedDB database of records and manifests (default `ccsp-sync`). */
  database?: string;
  /** IndexedDB database of downloads in progress (default `ccsp-parts`). */
  partsDatabase?: string;
  /** Cache API cache of checked media (default MEDIA_CACHE). */
  cacheName?: string;
}

export class BrowserStore implements SyncStore {
  private readonly db: UseStore;
  private readonly parts: UseStore;
  readonly cacheName: string;

  constructor(options: BrowserStoreOptions = {}) {
    this.db = createStore(options.database ?? 'ccsp-sync', 'keyval');
    this.parts = createStore(options.partsDatabase ?? 'ccsp-parts', 'keyval');
    this.cacheName = options.cacheName ?? MEDIA_CACHE;
  }

  private cache(): Promise<Cache> {
    return caches.open(this.cacheName);
  }

  // ------------------------------------------------------------ records

  async getRecord(key: string): Promise<unknown> {
    return get(`record:${key}`, this.db);
  }

  async putRecord(key: string, value: unknown): Promise<void> {
    await guarded(`the record ${key}`, () => setMany([[`record:${key}`, value]], this.db));
  }

  // ------------------------------------------------------------ manifests

  async getManifest(channel: string, slot: ManifestSlot): Promise<StoredManifest | undefined> {
    return (await get<StoredManifest | null>(`manifest:${slot}:${channel}`, this.db)) ?? undefined;
  }

  async listManifests(): Promise<StoredManifest[]> {
    const out: StoredManifest[] = [];
    for (const [key, value] of await entries<string, StoredManifest | null>(this.db)) {
      if (String(key).startsWith('manifest:') && value) out.push(value);
    }
    return out;
  }

  async stage(record: StoredManifest): Promise<void> {
    await guarded('a staged manifest', () =>
      setMany([[`manifest:staged:${record.channel}`, record]], this.db),
    );
  }

  async clearStaged(channel: string): Promise<void> {
    await del(`manifest:staged:${channel}`, this.db);
  }

  async commit(record: StoredManifest): Promise<void> {
    const stagedKey = `manifest:staged:${record.channel}`;
    const staged = await get<StoredManifest | null>(stagedKey, this.db);
    const committed = versionOf(record.envelope);
    const stagedVersion = staged ? versionOf(staged.envelope) : undefined;
    const update: [string, StoredManifest | null][] = [[`manifest:active:${record.channel}`, record]];
    // A staged manifest of this version or lower is done with; `null` clears it in the same transaction.
    if (staged && (stagedVersion === undefined || committed === undefined || stagedVersion <= committed))
      update.push([stagedKey, null]);
    await guarded('the commit', () => setMany(update, this.db));
  }

  // ------------------------------------------------------------ media

  private async cachedBytes(name: string): Promise<number | undefined> {
    const response = await (await this.cache()).match(`/media/${name}`);
    if (!response) return undefined;
    const length = Number(response.headers.get('content-length'));
    return Number.isFinite(length) ? length : (await response.blob()).size;
  }

  async mediaState(file: MediaFile): Promise<MediaState> {
    const name = mediaFileName(file);
    if ((await this.cachedBytes(name)) === file.bytes) return { complete: true, partBytes: 0 };
    const meta = await get<PartMeta>(`part:${name}`, this.parts);
    return { complete: false, partBytes: meta?.bytes ?? 0 };
  }

  private chunkKeys(name: string, meta: PartMeta | undefined): string[] {
    return Array.from({ length: meta?.chunks ?? 0 }, (_, i) => `chunk:${name}:${i}`);
  }

  async *readPart(file: MediaFile): AsyncIterable<Uint8Array> {
    const name = mediaFileName(file);
    const meta = await get<PartMeta>(`part:${name}`, this.parts);
    for (const key of this.chunkKeys(name, meta)) {
      const chunk = await get<Uint8Array>(key, this.parts);
      if (!chunk) return;
      yield chunk;
    }
  }

  async writePart(file: MediaFile, offset: number, chunk: Uint8Array): Promise<void> {
    const name = mediaFileName(file);
    const metaKey = `part:${name}`;
    const meta = await get<PartMeta>(metaKey, this.parts);
    if (offset === 0) {
      if (meta) await delMany([metaKey, ...this.chunkKeys(name, meta)], this.parts);
    } else if (meta?.bytes !== offset) {
      throw new Error(`${name}.part holds ${meta?.bytes ?? 0} bytes, not the expected ${offset}`);
    }
    const n = offset === 0 ? 0 : meta!.chunks;
    const next: PartMeta = { bytes: offset + chunk.length, chunks: n + 1 };
    // The chunk and the length that counts it in one transaction: a cut leaves the part as it was.
    await guarded('a download', () =>
      setMany(
        [
          [`chunk:${name}:${n}`, own(chunk)],
          [metaKey, next],
        ],
        this.parts,
      ),
    );
  }

  async promote(file: MediaFile): Promise<void> {
    const name = mediaFileName(file);
    const meta = await get<PartMeta>(`part:${name}`, this.parts);
    const chunks = await getMany<Uint8Array | undefined>(this.chunkKeys(name, meta), this.parts);
    const bytes = concat(chunks.filter((c): c is Uint8Array => c !== undefined));
    // The engine hashed every byte as it arrived; what IndexedDB gives back is checked once more.
    const actual = bytes.length === file.bytes ? await sha256Hex(bytes) : undefined;
    if (actual !== file.sha256) {
      await this.discardPart(file);
      throw new Error(
        `${name}: the part does not match its hash (${actual ?? 'size'}, ${bytes.length} bytes)`,
      );
    }
    const response = new Response(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: file.type }), {
      headers: { 'content-type': file.type, 'content-length': String(file.bytes) },
    });
    await guarded('the media cache', async () => (await this.cache()).put(mediaUrl(file), response));
    await this.discardPart(file);
  }

  async discardPart(file: MediaFile): Promise<void> {
    await this.deletePart(mediaFileName(file));
  }

  private async deletePart(name: string): Promise<void> {
    const meta = await get<PartMeta>(`part:${name}`, this.parts);
    // The length goes first: chunks without it are never read, and the next start overwrites them.
    await delMany([`part:${name}`, ...this.chunkKeys(name, meta)], this.parts);
  }

  async listMedia(): Promise<MediaEntry[]> {
    const out: MediaEntry[] = [];
    const cache = await this.cache();
    for (const request of await cache.keys()) {
      const name = MEDIA_PATH.exec(new URL(request.url).pathname)?.[1];
      const m = name && MEDIA_FILE_NAME.exec(name);
      if (!name || !m) continue;
      out.push({ sha256: m[1]!, name, complete: true, bytes: (await this.cachedBytes(name)) ?? 0 });
    }
    for (const key of await keys<string>(this.parts)) {
      const name = String(key).startsWith('part:') ? String(key).slice(5) : undefined;
      const m = name && MEDIA_FILE_NAME.exec(name);
      if (!name || !m) continue;
      const meta = await get<PartMeta>(key, this.parts);
      out.push({ sha256: m[1]!, name: `${name}.part`, complete: false, bytes: meta?.bytes ?? 0 });
    }
    return out;
  }

  async deleteMedia(entry: MediaEntry): Promise<void> {
    if (entry.complete) {
      if (!MEDIA_FILE_NAME.test(entry.name)) throw new Error(`not a media file name: ${entry.name}`);
      await (await this.cache()).delete(`/media/${entry.name}`);
      return;
    }
    const name = entry.name.replace(/\.part$/, '');
    if (!MEDIA_FILE_NAME.test(name)) throw new Error(`not a media part name: ${entry.name}`);
    await this.deletePart(name);
  }
}

function versionOf(envelope: Uint8Array): number | undefined {
  try {
    const version = (JSON.parse(fromUtf8(decodeEnvelope(envelope).payload)) as { version?: unknown }).version;
    return typeof version === 'number' ? version : undefined;
  } catch {
    return undefined;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

let persistence: Promise<boolean> | undefined;

/**
 * Asks once per page that the origin's storage be kept under pressure (issue 5
 * "At boot"); resolves whether the browser agreed.
 */
export function requestPersistence(): Promise<boolean> {
  persistence ??= (navigator.storage?.persist?.() ?? Promise.resolve(false)).catch(() => false);
  return persistence;
}
