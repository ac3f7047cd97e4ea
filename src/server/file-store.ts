/**
 * The box's SyncStore on files, laid out as the public tree the server already
 * serves (src/server/app.ts), so that a mirrored channel reaches the screens
 * unchanged:
 *
 *   <publicDir>/channels/<id>/manifest.json    the active manifest (served)
 *   <publicDir>/media/<sha256>.<ext>           checked media (served)
 *   <publicDir>/media/<sha256>.<ext>.part      downloads in progress (never served: not a media name)
 *   <publicDir>/trust/root.json                the trust root (written by the mirror)
 *   <stateDir>/channels/<id>/active.json       the active manifest's ETag and acceptance time
 *   <stateDir>/channels/<id>/staged.json       a manifest accepted, its media still downloading
 *   <stateDir>/records/<key>.json              the engine's small records
 *
 * Crash safety (issue 5 "Server killed during a mirror"): every file becomes
 * visible by rename after fsync; media are promoted (fsync, rename) before the
 * commit, and the commit is the rename of manifest.json, written last. A SIGKILL
 * or a power cut at any point leaves the old manifest or the new one, each with
 * its media; at worst a stray .part, which the next run resumes or collects.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  decodeEnvelope,
  fromBase64,
  fromUtf8,
  MEDIA_FILE_NAME,
  mediaFileName,
  toBase64,
  type MediaEntry,
  type MediaFile,
  type MediaState,
  type ManifestSlot,
  type StoredManifest,
  type SyncStore,
} from '../core/index.ts';
import { writeFileAtomic } from './files.ts';

const PART_NAME = /^([0-9a-f]{64})\.([a-z0-9]{2,4})\.part$/;
const CHANNEL_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const RECORD_KEY = /^[A-Za-z0-9._-]{1,100}$/;

interface ActiveMeta {
  sha256: string;
  etag?: string;
  acceptedAt?: number;
}

interface StagedFile {
  etag?: string;
  acceptedAt?: number;
  envelope: string;
}

const isMissing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

async function readOrUndefined(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

async function readdirOrEmpty(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (e) {
    if (isMissing(e)) return [];
    throw e;
  }
}

/** Makes the renames done in a folder durable (POSIX: fsync the directory). */
async function syncDir(path: string): Promise<void> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory (EINVAL); the rename stands.
  } finally {
    await handle.close();
  }
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function versionOf(envelope: Uint8Array): number | undefined {
  try {
    const version = (JSON.parse(fromUtf8(decodeEnvelope(envelope).payload)) as { version?: unknown }).version;
    return typeof version === 'number' ? version : undefined;
  } catch {
    return undefined;
  }
}

export interface FileStoreOptions {
  /** Where the engine's own files go; default `<publicDir>/.sync` (no route of the server reaches it). */
  stateDir?: string;
}

export class FileStore implements SyncStore {
  readonly mediaDir: string;
  readonly stateDir: string;

  constructor(
    readonly publicDir: string,
    options: FileStoreOptions = {},
  ) {
    this.mediaDir = join(publicDir, 'media');
    this.stateDir = options.stateDir ?? join(publicDir, '.sync');
  }

  private channelDir(channel: string): string {
    if (!CHANNEL_ID.test(channel)) throw new Error(`invalid channel id "${channel}"`);
    return join(this.publicDir, 'channels', channel);
  }

  private stateChannelDir(channel: string): string {
    if (!CHANNEL_ID.test(channel)) throw new Error(`invalid channel id "${channel}"`);
    return join(this.stateDir, 'channels', channel);
  }

  private recordPath(key: string): string {
    if (!RECORD_KEY.test(key)) throw new Error(`invalid record key "${key}"`);
    return join(this.stateDir, 'records', `${key}.json`);
  }

  private finalPath(file: MediaFile): string {
    return join(this.mediaDir, mediaFileName(file));
  }

  private partPath(file: MediaFile): string {
    return `${this.finalPath(file)}.part`;
  }

  // ------------------------------------------------------------ records

  async getRecord(key: string): Promise<unknown> {
    const bytes = await readOrUndefined(this.recordPath(key));
    if (!bytes) return undefined;
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch {
      return undefined;
    }
  }

  async putRecord(key: string, value: unknown): Promise<void> {
    await writeFileAtomic(this.recordPath(key), `${JSON.stringify(value)}\n`);
  }

  // ------------------------------------------------------------ manifests

  async getManifest(channel: string, slot: ManifestSlot): Promise<StoredManifest | undefined> {
    if (slot === 'staged') {
      const bytes = await readOrUndefined(join(this.stateChannelDir(channel), 'staged.json'));
      if (!bytes) return undefined;
      try {
        const staged = JSON.parse(bytes.toString('utf8')) as StagedFile;
        return {
          channel,
          envelope: fromBase64(staged.envelope),
          etag: staged.etag,
          acceptedAt: staged.acceptedAt,
        };
      } catch {
        return undefined;
      }
    }
    const envelope = await readOrUndefined(join(this.channelDir(channel), 'manifest.json'));
    if (!envelope) return undefined;
    const record: StoredManifest = { channel, envelope: new Uint8Array(envelope) };
    const metaBytes = await readOrUndefined(join(this.stateChannelDir(channel), 'active.json'));
    if (metaBytes) {
      try {
        const meta = JSON.parse(metaBytes.toString('utf8')) as ActiveMeta;
        // Written before the manifest: it belongs to these bytes only if the hash says so.
        if (meta.sha256 === sha256(envelope)) {
          record.etag = meta.etag;
          record.acceptedAt = meta.acceptedAt;
        }
      } catch {
        // An unreadable side file only costs one full manifest download.
      }
    }
    return record;
  }

  async listManifests(): Promise<StoredManifest[]> {
    const out: StoredManifest[] = [];
    for (const channel of await readdirOrEmpty(join(this.publicDir, 'channels'))) {
      if (!CHANNEL_ID.test(channel)) continue;
      const active = await this.getManifest(channel, 'active');
      if (active) out.push(active);
    }
    for (const channel of await readdirOrEmpty(join(this.stateDir, 'channels'))) {
      if (!CHANNEL_ID.test(channel)) continue;
      const staged = await this.getManifest(channel, 'staged');
      if (staged) out.push(staged);
    }
    return out;
  }

  async stage(record: StoredManifest): Promise<void> {
    const file: StagedFile = { envelope: toBase64(record.envelope) };
    if (record.etag !== undefined) file.etag = record.etag;
    if (record.acceptedAt !== undefined) file.acceptedAt = record.acceptedAt;
    await writeFileAtomic(join(this.stateChannelDir(record.channel), 'staged.json'), JSON.stringify(file));
  }

  async clearStaged(channel: string): Promise<void> {
    await rm(join(this.stateChannelDir(channel), 'staged.json'), { force: true });
  }

  async commit(record: StoredManifest): Promise<void> {
    // The promoted media must be on disk before a manifest that needs them.
    await syncDir(this.mediaDir);
    const meta: ActiveMeta = { sha256: sha256(record.envelope) };
    if (record.etag !== undefined) meta.etag = record.etag;
    if (record.acceptedAt !== undefined) meta.acceptedAt = record.acceptedAt;
    await writeFileAtomic(join(this.stateChannelDir(record.channel), 'active.json'), JSON.stringify(meta));
    const dir = this.channelDir(record.channel);
    // The commit point: one rename.
    await writeFileAtomic(join(dir, 'manifest.json'), record.envelope);
    await syncDir(dir);
    const staged = await this.getManifest(record.channel, 'staged');
    const committed = versionOf(record.envelope);
    const stagedVersion = staged && versionOf(staged.envelope);
    if (staged && (stagedVersion === undefined || committed === undefined || stagedVersion <= committed))
      await this.clearStaged(record.channel);
  }

  // ------------------------------------------------------------ media

  async mediaState(file: MediaFile): Promise<MediaState> {
    const final = await stat(this.finalPath(file)).catch(() => undefined);
    if (final?.isFile() && final.size === file.bytes) return { complete: true, partBytes: 0 };
    const part = await stat(this.partPath(file)).catch(() => undefined);
    return { complete: false, partBytes: part?.isFile() ? part.size : 0 };
  }

  async *readPart(file: MediaFile): AsyncIterable<Uint8Array> {
    const stream = createReadStream(this.partPath(file), { highWaterMark: 1 << 20 });
    for await (const chunk of stream) yield chunk as Buffer;
  }

  async writePart(file: MediaFile, offset: number, chunk: Uint8Array): Promise<void> {
    await mkdir(this.mediaDir, { recursive: true });
    const handle = await open(this.partPath(file), offset === 0 ? 'w' : 'r+');
    try {
      const { size } = await handle.stat();
      if (size !== offset)
        throw new Error(`${mediaFileName(file)}.part holds ${size} bytes, not the expected ${offset}`);
      let at = 0;
      while (at < chunk.length) {
        const { bytesWritten } = await handle.write(chunk, at, chunk.length - at, offset + at);
        at += bytesWritten;
      }
    } finally {
      await handle.close();
    }
  }

  /**
   * fsync, check size and SHA-256 again (the engine checked them while downloading;
   * a file is served from here to every screen, so it costs one more read), rename.
   */
  async promote(file: MediaFile): Promise<void> {
    const part = this.partPath(file);
    const handle = await open(part, 'r+');
    let size: number;
    try {
      await handle.sync();
      size = (await handle.stat()).size;
    } finally {
      await handle.close();
    }
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(part, { highWaterMark: 1 << 20 }))
      hash.update(chunk as Buffer);
    const actual = hash.digest('hex');
    if (size !== file.bytes || actual !== file.sha256) {
      await rm(part, { force: true });
      throw new Error(`${mediaFileName(file)}: the part does not match its hash (${actual}, ${size} bytes)`);
    }
    await rename(part, this.finalPath(file));
  }

  async discardPart(file: MediaFile): Promise<void> {
    await rm(this.partPath(file), { force: true });
  }

  async listMedia(): Promise<MediaEntry[]> {
    const out: MediaEntry[] = [];
    for (const name of await readdirOrEmpty(this.mediaDir)) {
      const complete = MEDIA_FILE_NAME.exec(name);
      const part = complete ? undefined : PART_NAME.exec(name);
      const m = complete ?? part;
      if (!m) continue;
      const info = await stat(join(this.mediaDir, name)).catch(() => undefined);
      if (!info?.isFile()) continue;
      out.push({ sha256: m[1]!, name, complete: complete !== null, bytes: info.size });
    }
    return out;
  }

  async deleteMedia(entry: MediaEntry): Promise<void> {
    if (!MEDIA_FILE_NAME.test(entry.name) && !PART_NAME.test(entry.name))
      throw new Error(`not a media file name: ${entry.name}`);
    await rm(join(this.mediaDir, entry.name), { force: true });
  }
}
