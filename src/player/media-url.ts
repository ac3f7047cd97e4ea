import { mediaFileName, type MediaFile } from '../core/media.ts';

/** Maps a signed media reference to the URL the browser loads it from. */
export type MediaResolver = (file: MediaFile) => string;

/** Where a content-addressed file is served, relative to the player's origin. */
export function mediaUrl(file: MediaFile): string {
  return `/media/${mediaFileName(file)}`;
}
