/**
 * A SyncStore in memory, shaped like the browser's will be (records and manifests
 * as idb-keyval entries, media as whole blobs plus parts): the engine's tests run
 * against it without files.
 */
import {
  mediaFileName,
  type MediaEntry,
  type MediaFile,
  type ManifestSlot,
  type StoredManifest,
  type SyncStore,
} from '../../../src/core/index.ts';

export class MemoryStore implements SyncStore {
  readonly records = new Map<string, unknown>();
  readonly manifests = new Map<string, StoredManifest>();
  readonly media = new Map<string, Uint8Array>();
  readonly parts = new Map<string, Uint8Array>();
  readonly calls: string[] = [];

  async getRecord(key: string) {
    return this.records.get(key);
  }
  async putRecord(key: string, value: unknown) {
    this.calls.push(`putRecord ${key}`);
    this.records.set(key, structuredClone(value));
  }
  async getManifest(channel: string, slot: ManifestSlot) {
    return this.manifests.get(`${slot}:${channel}`);
  }
  async listManifests() {
    return [...this.manifests.values()];
  }
  async stage(record: StoredManifest) {
    this.calls.push(`stage ${record.channel}`);
    this.manifests.set(`staged:${record.channel}`, record);
  }
  async clearStaged(channel: string) {
    this.manifests.delete(`staged:${channel}`);
  }
  async commit(record: StoredManifest) {
    this.calls.push(`commit ${record.channel}`);
    this.manifests.set(`active:${record.channel}`, record);
    this.manifests.delete(`staged:${record.channel}`);
  }
  async mediaState(file: MediaFile) {
    const name = mediaFileName(file);
    return { complete: this.media.has(name), partBytes: this.parts.get(name)?.length ?? 0 };
  }
  async *readPart(file: MediaFile) {
    const part = this.parts.get(mediaFileName(file));
    if (part) yield part;
  }
  async writePart(file: MediaFile, offset: number, chunk: Uint8Array) {
    const name = mediaFileName(file);
    const part = offset === 0 ? new Uint8Array(0) : this.parts.get(name);
    if (!part || part.length !== offset) throw new Error(`${name}: part is not ${offset} bytes long`);
    const next = new Uint8Array(offset + chunk.length);
    next.set(part);
    next.set(chunk, offset);
    this.parts.set(name, next);
  }
  async promote(file: MediaFile) {
    const name = mediaFileName(file);
    const part = this.parts.get(name);
    if (!part || part.length !== file.bytes) throw new Error(`${name}: nothing complete to promote`);
    this.calls.push(`promote ${name}`);
    this.media.set(name, part);
    this.parts.delete(name);
  }
  async discardPart(file: MediaFile) {
    this.parts.delete(mediaFileName(file));
  }
  async listMedia(): Promise<MediaEntry[]> {
    const entry = (name: string, bytes: Uint8Array, complete: boolean) => ({
      sha256: name.slice(0, 64),
      name,
      complete,
      bytes: bytes.length,
    });
    return [
      ...[...this.media].map(([n, b]) => entry(n, b, true)),
      ...[...this.parts].map(([n, b]) => entry(n, b, false)),
    ];
  }
  async deleteMedia(entry: MediaEntry) {
    this.calls.push(`delete ${entry.name}`);
    (entry.complete ? this.media : this.parts).delete(entry.name);
  }
}
