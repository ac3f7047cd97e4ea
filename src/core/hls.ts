/**
 * Reads the parts of an HLS playlist (RFC 8216) that publishing and offline
 * playback need: which files it refers to, and how long it plays.
 */

export interface HlsPlaylistInfo {
  /** Relative URIs in order of appearance: variant playlists, init segments, segments. */
  uris: string[];
  /** Sum of #EXTINF durations in seconds (0 for a multivariant playlist). */
  duration: number;
  multivariant: boolean;
}

export class HlsFormatError extends Error {
  override name = 'HlsFormatError';
}

const URI_ATTRIBUTE = /URI="([^"]*)"/;

/** Throws HlsFormatError for a playlist that is not HLS or points outside its folder. */
export function parseHlsPlaylist(text: string): HlsPlaylistInfo {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim());
  if (lines[0] !== '#EXTM3U') throw new HlsFormatError('not an HLS playlist (no #EXTM3U first line)');
  const uris: string[] = [];
  let duration = 0;
  let multivariant = false;
  for (const line of lines) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (line.startsWith('#EXT-X-STREAM-INF')) multivariant = true;
      const extinf = /^#EXTINF:([\d.]+)/.exec(line);
      if (extinf) duration += Number(extinf[1]);
      const attr = URI_ATTRIBUTE.exec(line);
      if (attr && /^#EXT-X-(?:MAP|MEDIA|I-FRAME-STREAM-INF)/.test(line)) uris.push(attr[1]!);
      continue;
    }
    uris.push(line);
  }
  for (const uri of uris) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('/') || uri.split('/').includes('..')) {
      throw new HlsFormatError(`"${uri}" points outside the rendition folder; use relative paths inside it`);
    }
  }
  return { uris: [...new Set(uris)], duration: Math.round(duration * 1000) / 1000, multivariant };
}
