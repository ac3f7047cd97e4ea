/**
 * `serve --publisher` start: the channels of playlists/*.json that the editor does
 * not know yet become editor channels. Their media are copied into the library
 * (MediaLibrary), their paths rewritten to library names, and the playlist is
 * recorded as the version already published (author "import"): the manifest
 * in public/ is kept when it has this content, signed anew otherwise.
 *
 * A channel the editor knows is the editor's: its playlists/ file is ignored.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { SourcePlaylist } from '../../core/index.ts';
import type { DataDir } from '../data-dir.ts';
import { UserError } from '../errors.ts';
import { writeFileAtomic } from '../files.ts';
import {
  buildManifestBodyIn,
  contentOf,
  DEFAULT_EXPIRES_IN_DAYS,
  manifestPath,
  prepareManifest,
  readPublishedManifest,
  readSourcePlaylist,
  sourceMediaPaths,
} from '../publish.ts';
import type { ChannelService } from './channels.ts';
import { MediaError, type MediaLibrary } from './media-library.ts';

export interface ImportResult {
  /** Channels imported now, with the version recorded and whether it was signed now. */
  imported: { channel: string; version: number; signed: boolean }[];
  /** Channels of playlists/ that the editor already owns (their files were not read further). */
  owned: string[];
}

/** An operator's own files: no upload limits. */
const NO_LIMITS = {
  image: Number.MAX_SAFE_INTEGER,
  captions: Number.MAX_SAFE_INTEGER,
  video: Number.MAX_SAFE_INTEGER,
  hls: Number.MAX_SAFE_INTEGER,
  hlsFiles: 100_000,
};

/** The playlist with its media copied into the library and named as the library names them. */
async function toLibrary(
  path: string,
  playlist: SourcePlaylist,
  library: MediaLibrary,
): Promise<SourcePlaylist> {
  const copy = structuredClone(playlist) as SourcePlaylist & { $schema?: string };
  delete copy.$schema;
  for (const { pointer, path: media } of sourceMediaPaths(playlist)) {
    const abs = resolve(dirname(path), media);
    let name: string;
    try {
      name = pointer.endsWith('/hls')
        ? (await library.addHlsFolder(dirname(abs), 'import', { limits: NO_LIMITS })).name
        : (await library.addFile(abs, basename(abs), 'import', { limits: NO_LIMITS })).name;
    } catch (e) {
      if (e instanceof MediaError) throw new UserError(`${path}: ${pointer}: ${media}: ${e.message}`);
      throw e;
    }
    const keys = pointer.split('/').slice(1);
    let target = copy as unknown as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) target = target[k] as Record<string, unknown>;
    target[keys.at(-1)!] = name;
  }
  return copy;
}

export async function importPlaylists(
  playlistsDir: string,
  options: { data: DataDir; library: MediaLibrary; channels: ChannelService; now?: Date },
): Promise<ImportResult> {
  const { data, library, channels } = options;
  const now = options.now ?? new Date();
  const entries = await readdir(playlistsDir).catch((e: NodeJS.ErrnoException) => {
    // The editor may own every channel: no playlists/ folder is fine.
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  const names = entries.filter((n) => n.endsWith('.json') && !n.endsWith('.schema.json')).sort();
  const result: ImportResult = { imported: [], owned: [] };
  for (const name of names) {
    const path = join(playlistsDir, name);
    // An owned channel's file is not read further: it may be stale or invalid by now.
    const channel = await readFile(path, 'utf8').then(
      (text) => (JSON.parse(text) as { channel?: unknown }).channel,
      () => undefined,
    );
    if (typeof channel === 'string' && channels.exists(channel)) {
      result.owned.push(channel);
      continue;
    }
    const source = await readSourcePlaylist(path);
    if (channels.exists(source.channel)) {
      result.owned.push(source.channel);
      continue;
    }
    const playlist = await toLibrary(path, source, library);
    const { body, media } = await buildManifestBodyIn(library.dir, playlist);
    const previous = await readPublishedManifest(data.publicDir, playlist.channel).catch(() => undefined);
    const file = manifestPath(data.publicDir, playlist.channel);
    let published;
    let signed = false;
    if (
      previous &&
      Date.parse(previous.expires) - now.getTime() > 7 * 86_400_000 &&
      contentOf(body) === contentOf(previous)
    ) {
      published = previous;
    } else {
      const prepared = await prepareManifest(
        body,
        media,
        { key: data.manifestKey, outDir: data.publicDir, expiresInDays: DEFAULT_EXPIRES_IN_DAYS, now },
        path,
      );
      await writeFileAtomic(prepared.manifestPath, prepared.envelope);
      published = prepared.manifest;
      signed = true;
    }
    const bytes = await readFile(file);
    channels.importPublished(
      playlist,
      {
        version: published.version,
        issued: published.issued,
        expires: published.expires,
        items: published.items.length,
        manifestSha256: createHash('sha256').update(bytes).digest('hex'),
      },
      playlist.site.name,
    );
    result.imported.push({ channel: playlist.channel, version: published.version, signed });
  }
  return result;
}
