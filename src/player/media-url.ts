import { mediaFileName, type MediaFile } from '../core/index.ts';

/** Where a content-addressed file is served, relative to the player's origin. */
export function mediaUrl(file: MediaFile): string {
  return `/media/${mediaFileName(file)}`;
}
