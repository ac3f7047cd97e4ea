/**
 * The media library's routes (docs/editor-api.md "Media library"): list with where
 * each file is used, upload of one file as raw bytes, upload of an HLS rendition
 * (a folder as multipart/form-data, or a .zip), and the files for previews.
 *
 * Uploads are streamed to a temporary file while hashed and counted: a 500 MB
 * video never sits in memory, and the size limit stops it as it comes.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { SourcePlaylist } from '../../core/index.ts';
import type { Db } from '../db.ts';
import { sourceMediaPaths } from '../publish.ts';
import { sendFile } from '../send-file.ts';
import { audit } from './audit.ts';
import { requireRole, sendError, sendFastifyError, userOf } from './guard.ts';
import {
  checkRelativePath,
  MediaError,
  MediaLibrary,
  mediaLimitsFromEnv,
  tooLarge,
  type HlsSourceFile,
  type MediaEntry,
  type MediaLimits,
} from './media-library.ts';
import { unzipTo } from './zip.ts';
import { channelPlaylists } from './channels.ts';

/** A channel's source playlist, as a draft or as published. */
export interface ChannelPlaylist {
  channel: string;
  where: 'draft' | 'published';
  playlist: SourcePlaylist;
}

export interface MediaRoutesOptions {
  db: Db;
  library: MediaLibrary;
  /** Lower or raise the library's upload limits for these routes (else from the environment, mediaLimitsFromEnv). */
  limits?: Partial<MediaLimits>;
  /** Every channel's draft and published playlists, for `usedBy` (channels.ts's by default). */
  channelPlaylists?: (db: Db) => ChannelPlaylist[];
}

export interface MediaUse {
  channel: string;
  item: string;
  where: 'draft' | 'published';
}

/** Where each library name is used: by which item of which channel's draft or published playlist. */
export function mediaUses(playlists: readonly ChannelPlaylist[]): Map<string, MediaUse[]> {
  const uses = new Map<string, MediaUse[]>();
  for (const { channel, where, playlist } of playlists) {
    let paths: { pointer: string; path: string }[];
    try {
      paths = sourceMediaPaths(playlist);
    } catch {
      // A draft is saved as staff wrote it; one that does not have the playlist's shape names nothing.
      continue;
    }
    for (const { pointer, path } of paths) {
      const index = Number(pointer.split('/')[2]);
      const item = playlist.items[index]?.id ?? String(index);
      const name = path.replace(/^\.\//, '');
      const list = uses.get(name) ?? [];
      if (!list.some((u) => u.channel === channel && u.item === item && u.where === where))
        list.push({ channel, item, where });
      uses.set(name, list);
    }
  }
  return uses;
}

/**
 * Counts bytes going through and fails past `limit`, so a stream stops at the cap.
 * Streams that share `counted` share the cap (the files of one folder upload).
 */
function capped(limit: number, error: () => Error, counted = { bytes: 0 }): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      counted.bytes += chunk.length;
      if (counted.bytes > limit) callback(error());
      else callback(null, chunk);
    },
  });
}

const HEADERS_FOR_FILES = {
  // An uploaded SVG opened on its own must not run script in the editor's origin.
  'content-security-policy':
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; media-src 'self'; sandbox",
  'x-content-type-options': 'nosniff',
};

type FilenameQuery = { Querystring: { filename?: string | string[] } };

/** The upload's `?filename=`; a repeated one (an array) is refused before anything is read. */
function filenameOf(request: FastifyRequest<FilenameQuery>): string | undefined {
  const { filename } = request.query;
  if (filename === undefined || typeof filename === 'string') return filename;
  throw new MediaError(400, 'bad-name', 'Donnez un seul nom de fichier (paramètre « filename »).');
}

export function mediaRoutes(options: MediaRoutesOptions): (app: FastifyInstance) => void {
  const { db, library } = options;
  const configured = options.limits ?? mediaLimitsFromEnv();
  const limits = (): MediaLimits => ({ ...library.limits, ...configured });
  const playlists = options.channelPlaylists ?? channelPlaylists;
  const withUses = (entries: MediaEntry[]) => {
    const uses = mediaUses(playlists(db));
    return entries.map((e) => ({ ...e, usedBy: uses.get(e.name) ?? [] }));
  };

  /** A refusal: the docs' error shape; the rest of an unread body is not waited for. */
  const refuse = (request: FastifyRequest, reply: FastifyReply, e: unknown) => {
    if (!(e instanceof MediaError)) throw e;
    if (request.method === 'POST' && !request.raw.readableEnded) reply.header('connection', 'close');
    return sendError(reply, e.status, e.code, e.message);
  };

  /** Audits the upload in the same transaction as the library's row. */
  const audited = (request: FastifyRequest, originalName: string) => (entry: MediaEntry) =>
    audit(db, userOf(request), 'media-upload', null, {
      name: entry.name,
      originalName,
      type: entry.type,
      bytes: entry.bytes,
    });

  return (app) => {
    void app.register(async (scope) => {
      // What an interrupted upload left behind (a crash, a power cut).
      await library.cleanTemp();
      // Upload bodies reach the handlers as the raw stream, whatever their type
      // (a browser labels a .vtt text/vtt, a video video/mp4, some nothing at all).
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
      await scope.register(multipart);
      scope.setErrorHandler((error: FastifyError, request, reply) => {
        if (error instanceof MediaError) return refuse(request, reply, error);
        // The rest of a body too large is not waited for.
        if (error.statusCode === 413) reply.header('connection', 'close');
        return sendFastifyError(request, reply, error, 'Envoi mal formé. Rechargez la page, puis réessayez.');
      });

      const anyone = { preHandler: requireRole('redacteur') };

      scope.get('/api/editor/media', anyone, async (_request, reply) =>
        reply.header('cache-control', 'no-store').send({ media: withUses(library.list()) }),
      );

      scope.post<FilenameQuery>('/api/editor/media', anyone, async (request, reply) => {
        try {
          const filename = filenameOf(request) ?? '';
          const { limit } = library.expect(filename, limits());
          const declared = Number(request.headers['content-length']);
          if (declared > limit) {
            throw tooLarge(limit, `« ${filename} »`);
          }
          const entry = await library.addStream(
            (request.body as Readable | undefined) ?? [],
            filename,
            userOf(request).login,
            { limits: limits(), onAdded: audited(request, filename) },
          );
          return reply.code(201).send({ media: withUses([entry])[0] });
        } catch (e) {
          return refuse(request, reply, e);
        }
      });

      scope.post<FilenameQuery>('/api/editor/media/hls', anyone, async (request, reply) => {
        const max = limits();
        const staging = await library.tempPath('.upload');
        let entry: MediaEntry | undefined;
        let error: unknown;
        try {
          entry = await receiveHls(request, library, staging, max, (name) => audited(request, name));
        } catch (e) {
          error = e;
        }
        // Before answering, so that nothing is left once the client has its answer.
        await rm(staging, { recursive: true, force: true });
        await rm(`${staging}.zip`, { force: true });
        if (!entry) return refuse(request, reply, error);
        return reply.code(201).send({ media: withUses([entry])[0] });
      });

      scope.get<{ Params: { '*': string } }>('/api/editor/media/*', anyone, async (request, reply) => {
        const name = request.params['*'];
        let path: string;
        try {
          path = library.path(name);
        } catch (e) {
          return refuse(request, reply, e);
        }
        const type = MediaLibrary.contentType(name);
        const exists = await stat(path).then(
          (s) => s.isFile(),
          () => false,
        );
        if (!type || !exists)
          return sendError(reply, 404, 'not-found', 'Ce fichier n’est pas dans la médiathèque.');
        reply.headers(HEADERS_FOR_FILES);
        // Names are content-addressed (an HLS folder's id hashes its whole tree): the bytes never change.
        return sendFile(request, reply, path, {
          etag: `"${name.startsWith('hls/') ? name.slice(4) : name.slice(0, 64)}"`,
          contentType: type,
          cacheControl: 'private, max-age=31536000, immutable',
        });
      });
    });
  };
}

/** An HLS rendition from a folder (multipart/form-data) or a .zip (any other body). */
async function receiveHls(
  request: FastifyRequest<FilenameQuery>,
  library: MediaLibrary,
  staging: string,
  max: MediaLimits,
  onAdded: (originalName: string) => (entry: MediaEntry) => void,
): Promise<MediaEntry> {
  let files: HlsSourceFile[];
  let originalName: string;
  if (request.isMultipart()) {
    ({ files, originalName } = await receiveFolder(request, staging, max));
  } else {
    originalName = filenameOf(request) ?? 'rendition.zip';
    const refuse = () => tooLarge(max.hls, 'L’archive');
    if (Number(request.headers['content-length']) > max.hls) throw refuse();
    const zip = `${staging}.zip`;
    await pipeline(
      (request.body as Readable | undefined) ?? [],
      capped(max.hls, refuse),
      createWriteStream(zip, { flags: 'wx' }),
    );
    files = await unzipTo(zip, staging, { maxBytes: max.hls, maxEntries: max.hlsFiles });
  }
  return library.addHlsFiles(files, originalName, userOf(request).login, {
    limits: max,
    consume: true,
    onAdded: onAdded(originalName),
  });
}

/**
 * Streams each part of a folder upload (multipart/form-data, one file part per
 * file, its file name the path inside the folder: `webkitRelativePath` in a
 * browser) to a staging file, counting against the rendition's limits.
 */
async function receiveFolder(
  request: FastifyRequest,
  staging: string,
  max: MediaLimits,
): Promise<{ files: HlsSourceFile[]; originalName: string }> {
  await mkdir(staging, { recursive: true });
  const files: HlsSourceFile[] = [];
  let originalName: string | undefined;
  const total = { bytes: 0 };
  const refuse = () => tooLarge(max.hls, 'La rendition HLS');
  for await (const part of request.parts({
    preservePath: true,
    limits: { files: max.hlsFiles, fileSize: max.hls + 1, fields: 10, fieldSize: 1000 },
  })) {
    if (part.type === 'field') {
      if (part.fieldname === 'name' && typeof part.value === 'string') originalName = part.value;
      continue;
    }
    const path = part.filename.replace(/\\/g, '/');
    checkRelativePath(path);
    const source = `${staging}/${files.length}`;
    await pipeline(part.file, capped(max.hls, refuse, total), createWriteStream(source, { flags: 'wx' }));
    if (part.file.truncated) throw refuse();
    files.push({ path, source });
  }
  if (files.length === 0) {
    throw new MediaError(
      422,
      'invalid',
      'L’envoi ne contient aucun fichier : choisissez le dossier de la rendition HLS.',
    );
  }
  return { files, originalName: originalName ?? files[0]!.path.split('/')[0]! };
}
