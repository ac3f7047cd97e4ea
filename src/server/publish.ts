/**
 * Publishing: turns a source playlist (media named by relative path) into a
 * signed channel manifest plus content-addressed media, as static files any
 * HTTP host can serve: OUT/channels/<channel>/manifest.json and OUT/media/<sha256>.<ext>.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import {
  DEFAULT_TIMEZONE,
  MANIFEST_FORMAT,
  MANIFEST_PAYLOAD_TYPE,
  TYPES_BY_EXTENSION,
  decodeEnvelope,
  envelopeToBytes,
  formatProblem,
  fromUtf8,
  mediaFileName,
  parseHlsPlaylist,
  signEnvelope,
  sniffMediaType,
  typesAgree,
  utf8,
  validateManifest,
  validateSourcePlaylist,
  type Manifest,
  type MediaRef,
  type MediaType,
  type PrivateKey,
  type SourceItem,
  type SourcePlaylist,
  type ValidationProblem,
} from '../core/index.ts';
import { UserError } from './errors.ts';
import { copyVerified, hashFile, parseUserJson, readUserFile, writeFileAtomic } from './files.ts';

export const DEFAULT_EXPIRES_IN_DAYS = 30;

export interface PublishOptions {
  key: PrivateKey;
  outDir: string;
  /** Defaults to the version already in outDir plus one. */
  version?: number;
  expiresInDays?: number;
  now?: Date;
  /** Called while hashing large files. */
  onProgress?: (file: string, bytesRead: number, total: number) => void;
}

export interface PublishResult {
  manifest: Manifest;
  manifestPath: string;
  mediaFiles: number;
  mediaBytes: number;
  /** Files copied into OUT/media by this run (the others were already there). */
  copied: number;
}

/** Reads and validates a source playlist; every problem, with its pointer, in one UserError. */
export async function readSourcePlaylist(path: string): Promise<SourcePlaylist> {
  const json = parseUserJson(await readUserFile(path, 'playlist'), path);
  const result = validateSourcePlaylist(json);
  if (!result.ok) throw invalid(path, result.problems);
  const missing = await missingMedia(path, result.value);
  if (missing.length > 0) throw invalid(path, missing);
  return result.value;
}

function invalid(path: string, problems: ValidationProblem[] | string[]): UserError {
  const lines = problems.map((p) => `${path}: ${typeof p === 'string' ? p : formatProblem(p)}`);
  return new UserError(`${path}: ${problems.length} problem(s)`, lines);
}

/** Every media path of a source playlist, with the JSON pointer that names it. */
export function sourceMediaPaths(playlist: SourcePlaylist): { pointer: string; path: string }[] {
  const out: { pointer: string; path: string }[] = [];
  playlist.items.forEach((item: SourceItem, i) => {
    const at = (p: string, path: string | undefined) =>
      path && out.push({ pointer: `/items/${i}/${p}`, path });
    if (item.kind === 'announcement') at('image', item.image);
    if (item.kind === 'explainer') item.steps.forEach((s, j) => at(`steps/${j}/image`, s.image));
    if (item.kind === 'video') {
      at('file', item.file);
      at('hls', item.hls);
      at('poster', item.poster);
      item.captions.forEach((c, j) => at(`captions/${j}/file`, c.file));
    }
  });
  return out;
}

async function missingMedia(playlistPath: string, playlist: SourcePlaylist): Promise<string[]> {
  const base = dirname(playlistPath);
  const problems: string[] = [];
  for (const { pointer, path } of sourceMediaPaths(playlist)) {
    const file = resolve(base, path);
    const s = await stat(file).catch(() => undefined);
    if (!s?.isFile()) problems.push(`${pointer}: file not found: ${relative(process.cwd(), file)}`);
  }
  return problems;
}

export class MediaCollector {
  files = new Map<string, { sha256: string; bytes: number; type: MediaType; source: string }>();

  constructor(
    private readonly base: string,
    private readonly onProgress?: PublishOptions['onProgress'],
  ) {}

  async add(path: string, allowed: readonly MediaType[], pointer: string): Promise<MediaRef> {
    const file = resolve(this.base, path);
    const ext = file.split('.').pop()!.toLowerCase();
    const declared = TYPES_BY_EXTENSION[ext];
    const head = await readHead(file);
    const sniffed = sniffMediaType(head);
    const type = declared && typesAgree(declared, sniffed) ? declared : undefined;
    if (!type || !allowed.includes(type)) {
      const what = sniffed ? `looks like ${sniffed}` : 'is not a recognised media file';
      throw new UserError(`${pointer}: ${path} ${what}; expected one of ${allowed.join(', ')}`);
    }
    const size = (await stat(file)).size;
    const { sha256, bytes } = await hashFile(file, (n) => this.onProgress?.(path, n, size));
    this.files.set(sha256, { sha256, bytes, type, source: file });
    return { sha256, bytes, type };
  }
}

async function readHead(file: string): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    // Enough for an SVG behind an XML declaration, a generator comment and a DOCTYPE.
    const buf = new Uint8Array(1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

const IMAGES = ['image/svg+xml', 'image/webp', 'image/png', 'image/jpeg'] as const;

async function resolveItem(item: SourceItem, i: number, media: MediaCollector, base: string) {
  const at = (p: string) => `/items/${i}/${p}`;
  switch (item.kind) {
    case 'announcement':
      return { ...item, image: item.image ? await media.add(item.image, IMAGES, at('image')) : undefined };
    case 'explainer':
      return {
        ...item,
        steps: await Promise.all(
          item.steps.map(async (s, j) => ({
            ...s,
            image: s.image ? await media.add(s.image, IMAGES, at(`steps/${j}/image`)) : undefined,
          })),
        ),
      };
    case 'video': {
      const hls = item.hls ? await resolveHls(item.hls, media, base, at('hls')) : undefined;
      const file = item.file
        ? await media.add(item.file, ['video/mp4', 'video/webm'], at('file'))
        : undefined;
      let duration = item.duration ?? hls?.duration;
      if (duration === undefined && file?.type === 'video/mp4')
        duration = await mp4Duration(resolve(base, item.file!));
      if (duration === undefined) {
        throw new UserError(
          `${at('duration')}: could not read the length of ${item.file}; give "duration" in seconds`,
        );
      }
      return {
        ...item,
        duration,
        file,
        hls: hls?.rendition,
        poster: item.poster ? await media.add(item.poster, IMAGES, at('poster')) : undefined,
        captions: await Promise.all(
          item.captions.map(async (c, j) => ({
            ...c,
            file: await media.add(c.file, ['text/vtt'], at(`captions/${j}/file`)),
          })),
        ),
      };
    }
  }
}

/** Lists and hashes every file of an HLS rendition, following variant playlists. */
async function resolveHls(playlistPath: string, media: MediaCollector, base: string, pointer: string) {
  const root = dirname(resolve(base, playlistPath));
  const top = relative(root, resolve(base, playlistPath)).split(sep).join('/');
  const files: { path: string; sha256: string; bytes: number; type: MediaType }[] = [];
  const seen = new Set<string>();
  let duration: number | undefined;
  const visit = async (rel: string): Promise<void> => {
    if (seen.has(rel)) return;
    seen.add(rel);
    const abs = join(root, rel);
    if (rel.endsWith('.m3u8')) {
      let info;
      try {
        info = parseHlsPlaylist(fromUtf8(await readUserFile(abs, 'HLS playlist')));
      } catch (e) {
        if (e instanceof UserError) throw new UserError(`${pointer}: ${e.message}`);
        throw new UserError(`${pointer}: ${rel}: ${(e as Error).message}`);
      }
      if (!info.multivariant) duration ??= info.duration;
      files.push({ path: rel, ...(await media.add(abs, ['application/vnd.apple.mpegurl'], pointer)) });
      const dir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/') + 1) : '';
      for (const uri of info.uris) await visit(dir + uri);
      return;
    }
    const s = await stat(abs).catch(() => undefined);
    if (!s?.isFile()) throw new UserError(`${pointer}: the rendition refers to ${rel}, which is missing`);
    const ext = rel.split('.').pop()!.toLowerCase();
    const allowed: MediaType[] =
      ext === 'ts'
        ? ['video/mp2t']
        : ext === 'm4s'
          ? ['video/iso.segment', 'video/mp4']
          : ['video/mp4', 'audio/mp4', 'audio/aac'];
    const ref = await media.add(abs, allowed, pointer);
    files.push({
      path: rel,
      sha256: ref.sha256,
      bytes: ref.bytes,
      type: ext === 'm4s' ? 'video/iso.segment' : ref.type,
    });
  };
  await visit(top);
  return { rendition: { playlist: top, files }, duration };
}

/** The duration of an MP4 from its movie header (ISO/IEC 14496-12 §8.2.2 'mvhd'), in seconds. */
export async function mp4Duration(path: string): Promise<number | undefined> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const header = Buffer.alloc(16);
    for (let offset = 0; offset + 8 <= size;) {
      await handle.read(header, 0, 16, offset);
      let boxSize = header.readUInt32BE(0);
      const type = header.toString('latin1', 4, 8);
      let headerSize = 8;
      if (boxSize === 1) {
        boxSize = Number(header.readBigUInt64BE(8));
        headerSize = 16;
      } else if (boxSize === 0) boxSize = size - offset;
      if (boxSize < headerSize) return undefined;
      if (type === 'moov') {
        const moov = Buffer.alloc(Math.min(boxSize - headerSize, 16 << 20));
        await handle.read(moov, 0, moov.length, offset + headerSize);
        return mvhdDuration(moov);
      }
      offset += boxSize;
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

function mvhdDuration(moov: Buffer): number | undefined {
  for (let offset = 0; offset + 8 <= moov.length;) {
    const size = moov.readUInt32BE(offset);
    if (moov.toString('latin1', offset + 4, offset + 8) === 'mvhd') {
      const version = moov[offset + 8];
      const body = offset + 12;
      const [timescale, duration] =
        version === 1
          ? [moov.readUInt32BE(body + 16), Number(moov.readBigUInt64BE(body + 20))]
          : [moov.readUInt32BE(body + 8), moov.readUInt32BE(body + 12)];
      return timescale > 0 ? Math.round((duration / timescale) * 1000) / 1000 : undefined;
    }
    if (size < 8) return undefined;
    offset += size;
  }
  return undefined;
}

export function manifestPath(outDir: string, channel: string): string {
  return join(outDir, 'channels', channel, 'manifest.json');
}

/** The manifest currently published in outDir for the channel, read without verification. */
async function readPublishedPayload(outDir: string, channel: string): Promise<unknown> {
  const path = manifestPath(outDir, channel);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return JSON.parse(fromUtf8(decodeEnvelope(bytes).payload)) as unknown;
  } catch {
    throw new UserError(`${path} is not a readable manifest; move it away or pass --version`);
  }
}

/** The manifest currently published for the channel, if it is valid under today's schema. */
export async function readPublishedManifest(outDir: string, channel: string): Promise<Manifest | undefined> {
  const payload = await readPublishedPayload(outDir, channel);
  if (payload === undefined) return undefined;
  const parsed = validateManifest(payload);
  if (parsed.ok) return parsed.value;
  throw new UserError(
    `${manifestPath(outDir, channel)} is not a valid manifest; move it away or pass --version`,
  );
}

/**
 * The version of the manifest currently published, read leniently: one signed by an
 * older release (before a schema change) still decides the next version number.
 */
export async function readPublishedVersion(outDir: string, channel: string): Promise<number | undefined> {
  const payload = await readPublishedPayload(outDir, channel);
  if (payload === undefined) return undefined;
  const version = (payload as { version?: unknown }).version;
  if (typeof version === 'number' && Number.isSafeInteger(version) && version > 0) return version;
  throw new UserError(`${manifestPath(outDir, channel)} has no version; move it away or pass --version`);
}

/** The channel content without what signing sets, to tell whether anything changed. */
export function contentOf(m: object): string {
  const { version: _v, issued: _i, expires: _e, ...rest } = m as Partial<Manifest>;
  // Sorted keys: the source playlist and the validated manifest list fields in different orders.
  const sorted = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(sorted)
      : x && typeof x === 'object'
        ? Object.fromEntries(
            Object.entries(x)
              .filter(([, value]) => value !== undefined)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([k, value]) => [k, sorted(value)]),
          )
        : x;
  return JSON.stringify(sorted(rest));
}

/** Resolves the media of a source playlist into a manifest body (no version or dates yet). */
export async function buildManifestBody(
  sourcePath: string,
  playlist: SourcePlaylist,
  onProgress?: PublishOptions['onProgress'],
) {
  return buildManifestBodyIn(dirname(resolve(sourcePath)), playlist, onProgress);
}

/** The same, for a playlist whose media paths are relative to `base` (the editor's media library). */
export async function buildManifestBodyIn(
  base: string,
  playlist: SourcePlaylist,
  onProgress?: PublishOptions['onProgress'],
) {
  const media = new MediaCollector(base, onProgress);
  const items = [];
  for (const [i, item] of playlist.items.entries()) items.push(await resolveItem(item, i, media, base));
  const { $schema: _schema, ...rest } = playlist;
  return {
    body: { format: MANIFEST_FORMAT, ...rest, timezone: rest.timezone ?? DEFAULT_TIMEZONE, items },
    media,
  };
}

export async function publishPlaylist(sourcePath: string, options: PublishOptions): Promise<PublishResult> {
  const playlist = await readSourcePlaylist(sourcePath);
  const { body, media } = await buildManifestBody(sourcePath, playlist, options.onProgress);
  const prepared = await prepareManifest(body, media, options, sourcePath);
  await writeFileAtomic(prepared.manifestPath, prepared.envelope);
  const { envelope: _envelope, ...result } = prepared;
  return result;
}

/**
 * Everything of a publish but writing the manifest: the version (above the one in
 * outDir), dates, schema check, media copied into outDir/media, the signed envelope.
 * The editor writes the envelope inside its database transaction.
 */
export async function prepareManifest(
  body: Awaited<ReturnType<typeof buildManifestBodyIn>>['body'],
  media: MediaCollector,
  options: PublishOptions,
  /** Names the source in errors. */
  where: string,
): Promise<PublishResult & { envelope: Uint8Array }> {
  const previous = await readPublishedVersion(options.outDir, body.channel).catch((e: unknown) => {
    // An unreadable previous manifest only matters when it decides the version.
    if (options.version === undefined) throw e;
    return undefined;
  });
  const version = options.version ?? (previous ?? 0) + 1;
  if (previous !== undefined && version <= previous) {
    throw new UserError(
      `version ${version} is not above the published version ${previous} of "${body.channel}"; versions only go up`,
    );
  }
  const now = options.now ?? new Date();
  const days = options.expiresInDays ?? DEFAULT_EXPIRES_IN_DAYS;
  const { format, channel, ...content } = body;
  const manifest = {
    format,
    channel,
    version,
    issued: now.toISOString(),
    expires: new Date(now.getTime() + days * 86_400_000).toISOString(),
    ...content,
  };
  const checked = validateManifest(manifest);
  if (!checked.ok) throw invalid(where, checked.problems);

  let copied = 0;
  for (const f of media.files.values()) {
    const target = join(options.outDir, 'media', mediaFileName(f));
    // An existing file is kept only when its bytes are right: a damaged copy is replaced.
    const size = await stat(target).then(
      (s) => s.size,
      () => -1,
    );
    if (size === f.bytes && (await hashFile(target)).sha256 === f.sha256) continue;
    await copyVerified(f.source, target, f.sha256);
    copied++;
  }

  const envelope = await signEnvelope(
    MANIFEST_PAYLOAD_TYPE,
    utf8(`${JSON.stringify(checked.value, null, 2)}\n`),
    [options.key],
  );
  const files = [...media.files.values()];
  return {
    envelope: envelopeToBytes(envelope),
    manifest: checked.value,
    manifestPath: manifestPath(options.outDir, checked.value.channel),
    mediaFiles: files.length,
    mediaBytes: files.reduce((n, f) => n + f.bytes, 0),
    copied,
  };
}
