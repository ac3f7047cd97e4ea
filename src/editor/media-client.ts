/**
 * The media library's side of the editor API (docs/editor-api.md "Media
 * library"): the list, uploads with progress (XMLHttpRequest, since fetch has no
 * upload progress), and what kind of file each entry is.
 */
import { api, ApiError, readAnswer } from './api.ts';
import { withUploaded } from './with-uploaded.ts';

export interface MediaUse {
  channel: string;
  item: string;
  where: 'draft' | 'published';
}

export interface MediaEntry {
  /** Library name: `<sha256>.<ext>`, or `hls/<id>/index.m3u8` for an HLS rendition. */
  name: string;
  /** MIME type. */
  type: string;
  /** What the server made of it (absent from older servers: then guessed from `type`). */
  kind?: MediaKind;
  bytes: number;
  originalName: string;
  /** ISO date or ms since the epoch, as the server sends it. */
  uploadedAt: string | number;
  uploadedBy: string | null;
  usedBy?: MediaUse[];
}

/** What a media field accepts (`<ccsp-editor-media-picker accept>`). */
export type MediaKind = 'image' | 'video' | 'captions' | 'hls';

export const KIND_LABELS: Record<MediaKind | 'other', string> = {
  image: 'Image',
  video: 'Vidéo',
  captions: 'Sous-titres',
  hls: 'Vidéo HLS',
  other: 'Autre',
};

/**
 * In place of a thumbnail for what is not an image: a word in a box, not an emoji
 * (the staff's computers do not all have an emoji font).
 */
export const KIND_TAGS: Record<MediaKind | 'other', string> = {
  image: 'IMAGE',
  video: 'VIDÉO',
  captions: 'VTT',
  hls: 'HLS',
  other: 'FICHIER',
};

/** The `accept` of a file input for a kind (HLS is a folder, not a file). */
export const FILE_ACCEPT: Record<MediaKind, string> = {
  image: 'image/png,image/jpeg,image/webp,image/svg+xml,.png,.jpg,.jpeg,.webp,.svg',
  video: 'video/mp4,video/webm,.mp4,.webm',
  captions: 'text/vtt,.vtt',
  hls: '',
};

export function mediaKind(entry: Pick<MediaEntry, 'name' | 'type' | 'kind'>): MediaKind | 'other' {
  if (entry.kind) return entry.kind;
  if (entry.name.startsWith('hls/') || entry.type === 'application/vnd.apple.mpegurl') return 'hls';
  if (entry.type.startsWith('image/')) return 'image';
  if (entry.type === 'video/mp4' || entry.type === 'video/webm') return 'video';
  if (entry.type === 'text/vtt') return 'captions';
  return 'other';
}

/** Where the editor's pages load a library file from (Range supported). */
export function mediaHref(name: string): string {
  return `/api/editor/media/${name.split('/').map(encodeURIComponent).join('/')}`;
}

export function uploadedAtMs(entry: Pick<MediaEntry, 'uploadedAt'>): number {
  return typeof entry.uploadedAt === 'number' ? entry.uploadedAt : Date.parse(entry.uploadedAt);
}

export async function listMedia(): Promise<MediaEntry[]> {
  const answer = await api<{ media: MediaEntry[] }>('GET', 'media');
  return answer.media;
}

/** Upload progress, 0 to 1 (the request body sent; the server checks it after). */
export type Progress = (fraction: number) => void;

/**
 * Sends a body with XMLHttpRequest and resolves to the JSON answer, or rejects
 * with an ApiError carrying the server's French message (413 too large, 415 a
 * file that is not what its name says, …).
 */
export function send<T>(
  url: string,
  body: Blob | FormData,
  onProgress: Progress,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    if (body instanceof Blob) xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      const response = new Response(xhr.status === 204 ? null : xhr.responseText, {
        status: xhr.status,
        headers: { 'content-type': xhr.getResponseHeader('content-type') ?? 'application/json' },
      });
      readAnswer<T>(response).then(resolve, reject);
    });
    const network = () =>
      reject(
        new ApiError(
          0,
          'network',
          'Le téléversement a été interrompu. Vérifiez la connexion, puis réessayez.',
        ),
      );
    xhr.addEventListener('error', network);
    xhr.addEventListener('timeout', network);
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'aborted', 'Téléversement annulé.')));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

/** `POST /api/editor/media?filename=…` with the file's raw bytes. */
export async function uploadFile(
  file: File,
  onProgress: Progress,
  signal?: AbortSignal,
): Promise<MediaEntry> {
  const url = `/api/editor/media?filename=${encodeURIComponent(file.name)}`;
  const answer = await send<{ media: MediaEntry }>(url, file, onProgress, signal);
  return answer.media;
}

/**
 * `POST /api/editor/media/hls` with a folder chosen with `<input webkitdirectory>`:
 * multipart/form-data, a `name` field (the folder's name, shown in the library),
 * then one file part per file named by its `webkitRelativePath`; the server
 * drops the folder's own name and keeps what the playlists refer to
 * (src/server/editor/media-routes.ts). Hidden files (.DS_Store) are not sent.
 */
export async function uploadHlsFolder(
  files: readonly File[],
  onProgress: Progress,
  signal?: AbortSignal,
): Promise<MediaEntry> {
  const form = new FormData();
  form.append('name', folderName(files));
  for (const file of files) {
    const path = file.webkitRelativePath || file.name;
    if (path.split('/').some((part) => part.startsWith('.'))) continue;
    form.append('files', file, path);
  }
  const answer = await send<{ media: MediaEntry }>('/api/editor/media/hls', form, onProgress, signal);
  return answer.media;
}

/** `POST /api/editor/media/hls?filename=…` with a .zip of the rendition's folder. */
export async function uploadHlsZip(
  file: File,
  onProgress: Progress,
  signal?: AbortSignal,
): Promise<MediaEntry> {
  const url = `/api/editor/media/hls?filename=${encodeURIComponent(file.name)}`;
  const answer = await send<{ media: MediaEntry }>(url, file, onProgress, signal);
  return answer.media;
}

/** The chosen folder's name (`casier` for `casier/720p/seg000.m4s`). */
export function folderName(files: readonly File[]): string {
  const first = files[0];
  return (first?.webkitRelativePath || first?.name || 'dossier').split('/')[0]!;
}

/** A French message for anything an upload or a list can throw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Une erreur inattendue est survenue. Réessayez dans un instant.';
}

let shared: { at: number; list: Promise<MediaEntry[]> } | undefined;
const SHARED_FOR_MS = 60_000;

/**
 * The library list, shared by every picker of a page for a minute: a form with
 * ten image fields asks the server once, not ten times, on a slow link.
 */
export function sharedMediaList(force = false): Promise<MediaEntry[]> {
  if (force || !shared || Date.now() - shared.at > SHARED_FOR_MS) {
    const list = listMedia();
    shared = { at: Date.now(), list };
    // A failed request is not kept: the next picker asks again.
    list.catch(() => {
      if (shared?.list === list) shared = undefined;
    });
  }
  return shared.list;
}

/** After an upload: the next list includes the new file. */
export function addToSharedMediaList(entry: MediaEntry): void {
  if (!shared) return;
  const list = shared.list.then((l) => withUploaded(l, entry));
  shared = { at: shared.at, list };
}

/** Forgets the shared list (after a logout; tests). */
export function forgetSharedMediaList(): void {
  shared = undefined;
}
