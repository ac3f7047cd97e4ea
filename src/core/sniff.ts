/**
 * Recognises a media file by its first bytes, so that a file named .mp4 that is
 * really a web page (a captive portal's, say) is caught before it is published
 * or played.
 */
import type { MediaType } from './manifest-schema.ts';

const ascii = (bytes: Uint8Array, start: number, end: number) =>
  String.fromCharCode(...bytes.subarray(start, end));

/** The media type the bytes look like, or undefined. `head` needs the first 64 bytes or more. */
export function sniffMediaType(head: Uint8Array): MediaType | undefined {
  if (head[0] === 0x89 && ascii(head, 1, 4) === 'PNG') return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'image/webp';
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'video/webm';
  const box = ascii(head, 4, 8);
  if (box === 'ftyp' || box === 'moov' || box === 'mdat' || box === 'free') return 'video/mp4';
  if (box === 'styp' || box === 'moof' || box === 'sidx') return 'video/iso.segment';
  if (head[0] === 0x47 && (head.length < 189 || head[188] === 0x47)) return 'video/mp2t';
  // ADTS frame sync (ISO/IEC 13818-7): 12 one-bits, layer 00.
  if (head[0] === 0xff && ((head[1] ?? 0) & 0xf6) === 0xf0) return 'audio/aac';
  const text = new TextDecoder().decode(head).replace(/^\uFEFF/, '');
  if (/^WEBVTT(?:[ \t\r\n]|$)/.test(text)) return 'text/vtt';
  if (/^#EXTM3U/.test(text)) return 'application/vnd.apple.mpegurl';
  if (/^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/.test(text)) {
    return 'image/svg+xml';
  }
  return undefined;
}

/** True when a file sniffed as `actual` may be published under the declared `expected` type. */
export function typesAgree(expected: MediaType, actual: MediaType | undefined): boolean {
  if (actual === expected) return true;
  // An fMP4 init segment or an fMP4 media segment may start with either box.
  const fmp4 = new Set<MediaType>(['video/mp4', 'video/iso.segment', 'audio/mp4']);
  return actual !== undefined && fmp4.has(expected) && fmp4.has(actual);
}
