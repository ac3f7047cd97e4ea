/**
 * Content-addressed media: every file a manifest needs is published once as
 * media/<sha256>.<ext> (DESIGN.md "Signed manifests"), immutable and checkable.
 */
import type { Manifest, MediaType } from './manifest-schema.ts';

export const MEDIA_EXTENSIONS: Record<MediaType, string> = {
  'image/svg+xml': 'svg',
  'image/webp': 'webp',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'text/vtt': 'vtt',
  'application/vnd.apple.mpegurl': 'm3u8',
  'video/iso.segment': 'm4s',
  'video/mp2t': 'ts',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
};

/** From a file name's extension; the inverse of MEDIA_EXTENSIONS with the usual aliases. */
export const TYPES_BY_EXTENSION: Record<string, MediaType> = {
  ...Object.fromEntries(Object.entries(MEDIA_EXTENSIONS).map(([type, ext]) => [ext, type as MediaType])),
  jpeg: 'image/jpeg',
};

export interface MediaFile {
  sha256: string;
  bytes: number;
  type: MediaType;
}

export function mediaFileName(file: MediaFile): string {
  return `${file.sha256}.${MEDIA_EXTENSIONS[file.type]}`;
}

/** Matches a published media file name and captures its hash and extension. */
export const MEDIA_FILE_NAME = /^([0-9a-f]{64})\.([a-z0-9]{2,4})$/;

/**
 * Every distinct file the manifest refers to, in the order the items list them
 * (posters and images before the video they dress), without duplicates.
 */
export function manifestMedia(manifest: Manifest): MediaFile[] {
  const out = new Map<string, MediaFile>();
  const add = (f: MediaFile | undefined) => {
    if (f && !out.has(f.sha256)) out.set(f.sha256, { sha256: f.sha256, bytes: f.bytes, type: f.type });
  };
  for (const item of manifest.items) {
    switch (item.kind) {
      case 'announcement':
        add(item.image);
        break;
      case 'explainer':
        item.steps.forEach((s) => add(s.image));
        break;
      case 'video':
        add(item.poster);
        item.captions.forEach((c) => add(c.file));
        add(item.file);
        item.hls?.files.forEach(add);
        break;
    }
  }
  return [...out.values()];
}
