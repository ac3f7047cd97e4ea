/**
 * The editor's media library (issue 8): the files staff upload, kept once each
 * under `<dataDir>/library` with the names a source playlist uses for them.
 *
 * - A single file is `<sha256>.<ext>`: content-addressed like the published media
 *   (DESIGN.md "Signed manifests"), so the same bytes uploaded twice are one file
 *   and one entry, and publishing can hash-check it again.
 * - An HLS rendition is a folder `hls/<id>/` holding `index.m3u8` (the top
 *   playlist, renamed so) and only the files its playlists refer to, under their
 *   relative paths (the playlists name them). `<id>` is the SHA-256 of the
 *   rendition's tree (every kept path with the SHA-256 of its bytes), so the same
 *   rendition uploaded again is found, and two renditions whose playlists are
 *   alike but whose segments differ are not confused.
 *
 * A source playlist saved in this folder resolves these names as relative paths,
 * so publish.ts's buildManifestBody reads the library as it reads playlists/.
 *
 * Every file is checked by its content (core's sniffMediaType) against the type
 * its name says, written to a temporary file under `.tmp/`, fsynced and renamed
 * into place: a crash never leaves half a file under a real name.
 */
import { createReadStream, type Dirent } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { basename, join } from 'node:path';
import {
  CAPTION_TYPES,
  IMAGE_TYPES,
  MEDIA_EXTENSIONS,
  TYPES_BY_EXTENSION,
  VIDEO_TYPES,
  parseHlsPlaylist,
  sniffMediaType,
  typesAgree,
  type MediaType,
} from '../../core/index.ts';
import { migrate, type Db } from '../db.ts';
import { copyVerified } from '../files.ts';

const MB = 1024 * 1024;

/** Bytes sniffed (as publish.ts does): an SVG may come after an XML declaration, a generator comment and a DOCTYPE. */
const HEAD_BYTES = 1024;

/** Upload limits in bytes (the route may lower them, tests do). */
export interface MediaLimits {
  image: number;
  captions: number;
  video: number;
  /** A whole HLS rendition (the sum of its files). */
  hls: number;
  /** Files in one HLS rendition. */
  hlsFiles: number;
  /** One HLS playlist (.m3u8), read whole to be parsed. */
  hlsPlaylist: number;
}

export const DEFAULT_MEDIA_LIMITS: MediaLimits = {
  image: 10 * MB,
  captions: 1 * MB,
  video: 500 * MB,
  hls: 500 * MB,
  hlsFiles: 2000,
  hlsPlaylist: 1 * MB,
};

/**
 * Limits an operator sets in the environment, in MB (decimals allowed):
 * CCSP_MAX_IMAGE_MB, CCSP_MAX_CAPTIONS_MB, CCSP_MAX_VIDEO_MB (also an HLS rendition's total).
 */
export function mediaLimitsFromEnv(
  env: Record<string, string | undefined> = process.env,
): Partial<MediaLimits> {
  const mb = (name: string) => {
    const text = env[name];
    if (text === undefined || text === '') return undefined;
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0)
      throw new Error(`${name} must be a number of MB above 0, not "${text}"`);
    return Math.floor(n * MB);
  };
  const video = mb('CCSP_MAX_VIDEO_MB');
  const limits: Partial<MediaLimits> = {
    image: mb('CCSP_MAX_IMAGE_MB'),
    captions: mb('CCSP_MAX_CAPTIONS_MB'),
    video,
    hls: video,
  };
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
}

export type MediaKind = 'image' | 'video' | 'captions' | 'hls';

export interface MediaEntry {
  /** `<sha256>.<ext>` or `hls/<id>/index.m3u8`: what a source playlist writes. */
  name: string;
  type: MediaType;
  kind: MediaKind;
  /** The file's size; for an HLS rendition, the sum of its files. */
  bytes: number;
  /** Of the named file (for HLS, of index.m3u8; the folder's id hashes the whole tree). */
  sha256: string;
  originalName: string;
  /** ISO 8601. */
  uploadedAt: string;
  uploadedBy: string | null;
}

export type MediaErrorCode = 'too-large' | 'bad-type' | 'bad-name' | 'invalid';

/** A refused upload: HTTP status, stable code and a French message for staff (docs/editor-api.md). */
export class MediaError extends Error {
  override name = 'MediaError';
  constructor(
    readonly status: number,
    readonly code: MediaErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** 413 `too-large`, naming the limit. */
export const tooLarge = (limit: number, what: string) =>
  new MediaError(413, 'too-large', `${what} dépasse la taille permise (${formatMb(limit)}).`);

function formatMb(bytes: number): string {
  if (bytes >= MB) return `${Math.round((bytes / MB) * 10) / 10} Mo`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} ko`;
  return `${bytes} octets`;
}

const KIND_OF_TYPE = new Map<MediaType, MediaKind>([
  ...IMAGE_TYPES.map((t) => [t, 'image'] as const),
  ...VIDEO_TYPES.map((t) => [t, 'video'] as const),
  ...CAPTION_TYPES.map((t) => [t, 'captions'] as const),
]);

/** The files an HLS rendition may hold, by extension. */
const HLS_EXTENSIONS = new Set(['m3u8', 'm4s', 'mp4', 'm4a', 'ts', 'aac']);

const HEX64 = '[0-9a-f]{64}';
/** One path segment inside a rendition: no dot first (so neither `..` nor hidden files). */
const SEGMENT = '[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}';
const FILE_NAME = new RegExp(`^(${HEX64})\\.(${Object.values(MEDIA_EXTENSIONS).join('|')})$`);
const HLS_NAME = new RegExp(`^hls/(${HEX64})/((?:${SEGMENT}/){0,3}${SEGMENT})$`);
const HLS_REL_PATH = new RegExp(`^(?:${SEGMENT}/){0,3}${SEGMENT}$`);

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Refuses a name staff gave (an upload's file name, a path in a folder or archive) that could point elsewhere. */
export function checkOriginalName(name: string): void {
  if (
    name.length === 0 ||
    name.length > 255 ||
    name.includes('..') ||
    /[/\\]/.test(name) ||
    CONTROL.test(name)
  ) {
    throw new MediaError(
      400,
      'bad-name',
      `Nom de fichier refusé : « ${printable(name)} ». Renommez le fichier sans « .. », barre oblique ni caractère de contrôle, puis envoyez-le de nouveau.`,
    );
  }
}

/** A relative path inside a folder or archive: `/`-separated, no `..`, not absolute. */
export function checkRelativePath(path: string): string[] {
  const parts = path.split('/');
  const bad =
    path.length > 500 ||
    path.startsWith('/') ||
    /^[A-Za-z]:/.test(path) ||
    parts.some((p) => p === '..' || p === '.' || p === '') ||
    path.includes('\\') ||
    CONTROL.test(path);
  if (bad) {
    throw new MediaError(
      400,
      'bad-name',
      `Chemin refusé dans l’envoi : « ${printable(path)} ». Les fichiers d’une rendition HLS doivent rester dans son dossier (pas de « .. » ni de chemin absolu).`,
    );
  }
  return parts;
}

const printable = (s: string) => s.slice(0, 120).replace(new RegExp(CONTROL.source, 'g'), '?');

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

const TYPE_LABELS: Partial<Record<MediaType, string>> = {
  'image/svg+xml': 'une image SVG',
  'image/webp': 'une image WebP',
  'image/png': 'une image PNG',
  'image/jpeg': 'une image JPEG',
  'video/mp4': 'une vidéo MP4',
  'video/webm': 'une vidéo WebM',
  'text/vtt': 'des sous-titres WebVTT',
  'application/vnd.apple.mpegurl': 'une liste de lecture HLS',
  'video/iso.segment': 'un segment vidéo fMP4',
  'video/mp2t': 'un segment vidéo MPEG-TS',
  'audio/aac': 'de l’audio AAC',
};

const SUPPORTED =
  'une image (SVG, WebP, PNG, JPEG), une vidéo (MP4, WebM) ou des sous-titres (WebVTT) ; une rendition HLS s’envoie comme dossier ou archive .zip';

interface Row {
  name: string;
  type: string;
  bytes: number;
  sha256: string;
  original_name: string;
  uploaded_at: number;
  uploaded_by: string | null;
}

const MIGRATIONS = [
  `CREATE TABLE media (
     name TEXT PRIMARY KEY,
     type TEXT NOT NULL,
     bytes INTEGER NOT NULL,
     sha256 TEXT NOT NULL,
     original_name TEXT NOT NULL,
     uploaded_at INTEGER NOT NULL,
     uploaded_by TEXT
   ) STRICT;
   CREATE INDEX media_uploaded ON media(uploaded_at);`,
];

/** A file of an HLS rendition to add: its path inside the rendition, and where its bytes are now. */
export interface HlsSourceFile {
  path: string;
  source: string;
}

export interface AddOptions {
  /** Upload limits; DEFAULT_MEDIA_LIMITS otherwise. */
  limits?: Partial<MediaLimits>;
  /** Move the source files into the library instead of copying them (they are temporary files under tmpDir). */
  consume?: boolean;
  /** Called in the transaction that records the entry (an audit row), new or already there. */
  onAdded?: (entry: MediaEntry) => void;
}

export class MediaLibrary {
  readonly limits: MediaLimits;

  constructor(
    private readonly db: Db,
    /** `<dataDir>/library` */
    readonly dir: string,
    limits: Partial<MediaLimits> = {},
  ) {
    this.limits = { ...DEFAULT_MEDIA_LIMITS, ...limits };
    migrate(db, 'media', MIGRATIONS);
  }

  /** Where uploads are staged: inside the library, so that a rename moves them into place. */
  get tmpDir(): string {
    return join(this.dir, '.tmp');
  }

  /** A fresh temporary path under tmpDir (the caller removes it). */
  async tempPath(suffix = ''): Promise<string> {
    await mkdir(this.tmpDir, { recursive: true });
    return join(this.tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}${suffix}`);
  }

  /** The kind and size limit for an upload's name, or a MediaError (bad-name, bad-type). */
  expect(
    originalName: string,
    limits: Partial<MediaLimits> = {},
  ): { type: MediaType; kind: MediaKind; limit: number } {
    checkOriginalName(originalName);
    const ext = extensionOf(originalName);
    const type = TYPES_BY_EXTENSION[ext];
    const kind = type && KIND_OF_TYPE.get(type);
    if (!type || !kind) {
      throw new MediaError(
        415,
        'bad-type',
        `Type de fichier non pris en charge${ext ? ` (.${ext})` : ''}. Envoyez ${SUPPORTED}.`,
      );
    }
    const limit = { ...this.limits, ...limits }[kind as Exclude<MediaKind, 'hls'>];
    return { type, kind, limit };
  }

  /** Adds a file from disk (the sample media at first start, a CLI import). */
  async addFile(
    path: string,
    originalName: string,
    by: string | null,
    options: AddOptions = {},
  ): Promise<MediaEntry> {
    this.expect(originalName, options.limits);
    return this.addStream(createReadStream(path, { highWaterMark: 1 << 20 }), originalName, by, options);
  }

  /**
   * Adds a file from a stream (an upload's body), hashing and writing it as it comes:
   * never all in memory. Stops at the size limit (413) or as soon as the first bytes
   * show another type than the name says (415); nothing is left behind.
   */
  async addStream(
    source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    originalName: string,
    by: string | null,
    options: AddOptions = {},
  ): Promise<MediaEntry> {
    const { type, kind, limit } = this.expect(originalName, options.limits);
    const tmp = await this.tempPath('.part');
    const hash = createHash('sha256');
    let bytes = 0;
    let head: Buffer = Buffer.alloc(0);
    let checked = false;
    const check = () => {
      checked = true;
      const sniffed = sniffMediaType(head);
      if (!typesAgree(type, sniffed)) {
        throw new MediaError(
          415,
          'bad-type',
          `« ${printable(originalName)} » n’est pas ${TYPE_LABELS[type]} : ${sniffed ? `son contenu est ${TYPE_LABELS[sniffed] ?? sniffed}` : 'son contenu n’est pas un format reconnu'}. Envoyez ${SUPPORTED}.`,
        );
      }
    };
    const out = await open(tmp, 'wx', 0o644);
    try {
      for await (const chunk of source) {
        bytes += chunk.length;
        if (bytes > limit) throw tooLarge(limit, `« ${printable(originalName)} »`);
        if (!checked) {
          head = Buffer.concat([head, chunk]).subarray(0, HEAD_BYTES);
          if (head.length >= HEAD_BYTES) check();
        }
        hash.update(chunk);
        await out.write(chunk);
      }
      if (!checked) check();
      await out.sync();
    } catch (e) {
      await out.close();
      await rm(tmp, { force: true });
      throw e;
    }
    await out.close();
    const sha256 = hash.digest('hex');
    const name = `${sha256}.${MEDIA_EXTENSIONS[type]}`;
    try {
      // Same name, same bytes: replacing an existing copy is harmless and mends a damaged one.
      await rename(tmp, join(this.dir, name));
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    return this.record({ name, type, bytes, sha256, originalName, by, kind }, options.onAdded);
  }

  /** Adds an HLS rendition from a folder on disk (the sample rendition at first start). */
  async addHlsFolder(dir: string, by: string | null, options: AddOptions = {}): Promise<MediaEntry> {
    const files: HlsSourceFile[] = [];
    const entries: Dirent[] = await readdir(dir, { recursive: true, withFileTypes: true });
    for (const e of entries) {
      if (!e.isFile()) continue;
      const abs = join(e.parentPath, e.name);
      files.push({
        path: abs
          .slice(dir.length)
          .replace(/^[/\\]+/, '')
          .split(/[/\\]/)
          .join('/'),
        source: abs,
      });
    }
    return this.addHlsFiles(files, basename(dir), by, { ...options, consume: false });
  }

  /**
   * Adds an HLS rendition from a set of files with their relative paths (a folder
   * upload, an unpacked .zip). Keeps only the top playlist (stored as index.m3u8)
   * and what its playlists refer to; each file is checked by content; files the
   * playlists do not name (a stray .DS_Store, the source video) are left out.
   */
  async addHlsFiles(
    files: HlsSourceFile[],
    originalName: string,
    by: string | null,
    options: AddOptions = {},
  ): Promise<MediaEntry> {
    const limits = { ...this.limits, ...options.limits };
    if (files.length > limits.hlsFiles) {
      throw new MediaError(
        413,
        'too-large',
        `La rendition HLS contient trop de fichiers (plus de ${limits.hlsFiles}).`,
      );
    }
    // Paths as sent, minus a folder that holds everything (a zipped or chosen folder's own name).
    let byPath = new Map<string, string>();
    for (const f of files) {
      const parts = checkRelativePath(f.path);
      // Packing leftovers, never referred to by a playlist.
      if (parts[0] === '__MACOSX' || parts.some((p) => p.startsWith('.'))) continue;
      byPath.set(parts.join('/'), f.source);
    }
    for (;;) {
      const firsts = new Set([...byPath.keys()].map((p) => (p.includes('/') ? p.split('/')[0] : '')));
      if (firsts.size !== 1 || firsts.has('')) break;
      const strip = [...firsts][0]!.length + 1;
      byPath = new Map([...byPath].map(([p, s]) => [p.slice(strip), s]));
    }

    // The top playlist: the one no other playlist refers to.
    const playlists = new Map<string, { uris: string[]; bytes: Buffer }>();
    for (const [path, source] of byPath) {
      if (extensionOf(path) !== 'm3u8') continue;
      const size = (await stat(source)).size;
      if (size > limits.hlsPlaylist) throw tooLarge(limits.hlsPlaylist, `La liste de lecture « ${path} »`);
      const bytes = await readFile(source);
      let uris: string[];
      try {
        uris = parseHlsPlaylist(bytes.toString('utf8')).uris;
      } catch (e) {
        throw invalidHls(`« ${path} » n’est pas une liste de lecture HLS valable (${(e as Error).message}).`);
      }
      const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
      playlists.set(path, { uris: uris.map((u) => dir + u), bytes });
    }
    const referenced = new Set([...playlists.values()].flatMap((p) => p.uris));
    const tops = [...playlists.keys()].filter((p) => !referenced.has(p));
    if (tops.length !== 1) {
      throw invalidHls(
        tops.length === 0
          ? 'L’envoi ne contient aucune liste de lecture HLS (.m3u8) principale.'
          : `L’envoi contient plusieurs listes de lecture principales (${tops.join(', ')}) : envoyez une rendition à la fois.`,
      );
    }
    const top = tops[0]!;
    const base = top.includes('/') ? top.slice(0, top.lastIndexOf('/') + 1) : '';

    // Walk from the top playlist: what it names, and what its variant playlists name.
    const kept = new Map<string, { source: string; sha256: string; bytes: number }>();
    let total = 0;
    const visit = async (path: string): Promise<void> => {
      const rel = path === top ? 'index.m3u8' : path.slice(base.length);
      if (kept.has(rel)) return;
      if (!path.startsWith(base) || !HLS_REL_PATH.test(rel)) {
        throw invalidHls(
          `La rendition cite « ${printable(path)} » : un nom de fichier HLS doit rester simple (lettres, chiffres, . _ -) et dans le dossier de la liste principale.`,
        );
      }
      if (rel === 'index.m3u8' && path !== top) {
        throw invalidHls(
          'La liste principale doit s’appeler index.m3u8, ou aucun autre fichier ne doit porter ce nom.',
        );
      }
      const source = byPath.get(path);
      if (!source)
        throw invalidHls(
          `La rendition cite « ${printable(rel)} », absent de l’envoi. Envoyez tout le dossier.`,
        );
      const ext = extensionOf(path);
      const declared = TYPES_BY_EXTENSION[ext];
      if (!HLS_EXTENSIONS.has(ext) || !declared) {
        throw new MediaError(
          415,
          'bad-type',
          `« ${printable(rel)} » n’est pas un fichier HLS pris en charge (.m3u8, .m4s, .mp4, .m4a, .ts, .aac).`,
        );
      }
      const { sha256, bytes, head } = await hashWithHead(source);
      total += bytes;
      if (total > limits.hls) throw tooLarge(limits.hls, 'La rendition HLS');
      const sniffed = sniffMediaType(head);
      if (!typesAgree(declared, sniffed) && !(ext === 'm4s' && typesAgree('video/mp4', sniffed))) {
        throw new MediaError(
          415,
          'bad-type',
          `« ${printable(rel)} » n’est pas ${TYPE_LABELS[declared] ?? declared} : ${sniffed ? `son contenu est ${TYPE_LABELS[sniffed] ?? sniffed}` : 'son contenu n’est pas un format reconnu'}.`,
        );
      }
      kept.set(rel, { source, sha256, bytes });
      for (const uri of playlists.get(path)?.uris ?? []) await visit(uri);
    };
    await visit(top);

    const tree = createHash('sha256');
    for (const [rel, f] of [...kept].sort(([a], [b]) => (a < b ? -1 : 1)))
      tree.update(`${rel}\0${f.sha256}\n`);
    const id = tree.digest('hex');
    const name = `hls/${id}/index.m3u8`;
    const existing = this.get(name);
    const target = join(this.dir, 'hls', id);
    const present = await stat(target).then(
      () => true,
      () => false,
    );
    if (!existing || !present) {
      const staging = await this.tempPath('.hls');
      try {
        for (const [rel, f] of kept) {
          const to = join(staging, ...rel.split('/'));
          await mkdir(join(to, '..'), { recursive: true });
          if (options.consume) {
            await rename(f.source, to);
            await fsyncFile(to);
          } else await copyVerified(f.source, to, f.sha256, 'being added to the library');
        }
        await mkdir(join(this.dir, 'hls'), { recursive: true });
        // A folder left by a crash between this rename and the row below is replaced whole.
        await rm(target, { recursive: true, force: true });
        await rename(staging, target).catch(async (e: NodeJS.ErrnoException) => {
          // The same rendition, uploaded at the same moment by someone else, got there first.
          if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
          await rm(staging, { recursive: true, force: true });
        });
      } catch (e) {
        await rm(staging, { recursive: true, force: true });
        throw e;
      }
    }
    return this.record(
      {
        name,
        type: 'application/vnd.apple.mpegurl',
        kind: 'hls',
        bytes: total,
        sha256: kept.get('index.m3u8')!.sha256,
        originalName,
        by,
      },
      options.onAdded,
    );
  }

  private record(
    e: Omit<MediaEntry, 'uploadedAt' | 'uploadedBy'> & { by: string | null },
    onAdded?: (entry: MediaEntry) => void,
  ): MediaEntry {
    return this.db.transaction(() => {
      // The first upload keeps its name and author: the same bytes again are the same entry.
      this.db
        .prepare(
          `INSERT INTO media (name, type, bytes, sha256, original_name, uploaded_at, uploaded_by)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO NOTHING`,
        )
        .run(e.name, e.type, e.bytes, e.sha256, e.originalName, Date.now(), e.by);
      const entry = this.get(e.name)!;
      onAdded?.(entry);
      return entry;
    })();
  }

  /**
   * The absolute path of a library file. Refuses anything but `<sha256>.<ext>` and
   * `hls/<id>/<path>`, so a name from a request can never reach outside the library
   * (nor its .tmp folder).
   */
  path(name: string): string {
    if (!FILE_NAME.test(name) && !HLS_NAME.test(name)) {
      throw new MediaError(400, 'bad-name', `« ${printable(name)} » n’est pas un nom de la médiathèque.`);
    }
    return join(this.dir, ...name.split('/'));
  }

  /** True when `name` has the shape of a library name (a file, or a file inside an HLS rendition). */
  static isName(name: string): boolean {
    return FILE_NAME.test(name) || HLS_NAME.test(name);
  }

  /** The content type to serve a library file with (for HLS, the file inside the rendition). */
  static contentType(name: string): string | undefined {
    const type = TYPES_BY_EXTENSION[extensionOf(name)];
    if (!type) return undefined;
    // A rendition's .m4s is a segment whatever its first box.
    if (extensionOf(name) === 'm4s') return 'video/iso.segment';
    return type === 'text/vtt' ? 'text/vtt; charset=utf-8' : type;
  }

  /** The entry named so (a file or a rendition's index.m3u8), if it was added. */
  get(name: string): MediaEntry | undefined {
    const row = this.db.prepare('SELECT * FROM media WHERE name = ?').get(name) as Row | undefined;
    return row && toEntry(row);
  }

  /** Every entry, newest first. */
  list(): MediaEntry[] {
    const rows = this.db.prepare('SELECT * FROM media ORDER BY uploaded_at DESC, name').all() as Row[];
    return rows.map(toEntry);
  }

  /**
   * Removes temporary files left by uploads that a crash interrupted: those not
   * touched for `olderThanMs` (an upload under way writes to its file all along).
   */
  async cleanTemp(olderThanMs = 3_600_000): Promise<void> {
    const names = await readdir(this.tmpDir).catch(() => [] as string[]);
    for (const name of names) {
      const path = join(this.tmpDir, name);
      const info = await stat(path).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > olderThanMs) await rm(path, { recursive: true, force: true });
    }
  }
}

function toEntry(row: Row): MediaEntry {
  const type = row.type as MediaType;
  return {
    name: row.name,
    type,
    kind: row.name.startsWith('hls/') ? 'hls' : (KIND_OF_TYPE.get(type) ?? 'video'),
    bytes: row.bytes,
    sha256: row.sha256,
    originalName: row.original_name,
    uploadedAt: new Date(row.uploaded_at).toISOString(),
    uploadedBy: row.uploaded_by,
  };
}

function invalidHls(message: string): MediaError {
  return new MediaError(422, 'invalid', message);
}

async function hashWithHead(path: string): Promise<{ sha256: string; bytes: number; head: Buffer }> {
  const hash = createHash('sha256');
  let bytes = 0;
  let head = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const b = chunk as Buffer;
    if (head.length < HEAD_BYTES) head = Buffer.concat([head, b]).subarray(0, HEAD_BYTES);
    hash.update(b);
    bytes += b.length;
  }
  return { sha256: hash.digest('hex'), bytes, head };
}

async function fsyncFile(path: string): Promise<void> {
  const h: FileHandle = await open(path, 'r+');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}
