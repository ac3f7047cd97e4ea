import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HlsFormatError, parseHlsPlaylist, sniffMediaType, typesAgree, utf8 } from '../../src/core/index.ts';

const asset = (path: string) =>
  new Uint8Array(readFileSync(new URL(`../../assets/${path}`, import.meta.url)));

describe('sniffMediaType', () => {
  it.each([
    ['images/ccsp-accueil.svg', 'image/svg+xml'],
    ['video/casier-judiciaire.mp4', 'video/mp4'],
    ['video/casier-judiciaire.webm', 'video/webm'],
    ['video/casier-judiciaire-poster.webp', 'image/webp'],
    ['video/casier-judiciaire.fr.vtt', 'text/vtt'],
    ['hls/casier-judiciaire/index.m3u8', 'application/vnd.apple.mpegurl'],
    ['hls/casier-judiciaire/seg000.m4s', 'video/iso.segment'],
  ])('recognises %s as %s', (path, type) => {
    expect(sniffMediaType(asset(path).subarray(0, 256))).toBe(type);
  });

  it('does not take a captive portal page for a video', () => {
    expect(sniffMediaType(utf8('<!DOCTYPE html><html><body>Connectez-vous</body></html>'))).toBeUndefined();
  });

  it('lets an fMP4 init segment stand for a segment, and nothing else', () => {
    expect(typesAgree('video/iso.segment', 'video/mp4')).toBe(true);
    expect(typesAgree('video/mp4', 'text/vtt')).toBe(false);
    expect(typesAgree('image/png', undefined)).toBe(false);
  });
});

describe('parseHlsPlaylist', () => {
  it('lists the init segment and the segments, and sums the durations', () => {
    const info = parseHlsPlaylist(new TextDecoder().decode(asset('hls/casier-judiciaire/index.m3u8')));
    expect(info.uris).toEqual(['init.mp4', 'seg000.m4s', 'seg001.m4s', 'seg002.m4s', 'seg003.m4s']);
    expect(info.duration).toBe(8);
    expect(info.multivariant).toBe(false);
  });

  it('follows the variants of a multivariant playlist', () => {
    const info = parseHlsPlaylist('#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\nlow/index.m3u8\n');
    expect(info).toEqual({ uris: ['low/index.m3u8'], duration: 0, multivariant: true });
  });

  it.each([
    ['not HLS', '<html>'],
    ['an absolute URL', '#EXTM3U\n#EXTINF:2,\nhttps://cdn.example/seg.m4s\n'],
    ['a path out of the folder', '#EXTM3U\n#EXT-X-MAP:URI="../init.mp4"\n'],
  ])('refuses %s', (_name, text) => {
    expect(() => parseHlsPlaylist(text)).toThrow(HlsFormatError);
  });
});
