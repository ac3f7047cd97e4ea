/**
 * Sends a file with a strong ETag, conditional requests and single byte ranges
 * (RFC 9110 §13, §14), so that a player on a metered link revalidates for the
 * price of headers and resumes a broken download where it stopped.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface SendFileOptions {
  /** A strong validator, quoted, e.g. `"<sha256>"`. */
  etag: string;
  contentType: string;
  cacheControl: string;
}

/** Weak comparison for If-None-Match (RFC 9110 §13.1.2): any listed tag, or "*". */
function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * Sends a file from disk (streamed: media can be large) or bytes already read
 * (small mutable files, sent as hashed so that body and ETag always agree).
 */
export async function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  source: string | Uint8Array,
  options: SendFileOptions,
) {
  let size: number;
  if (typeof source === 'string') {
    const info = await stat(source).catch(() => undefined);
    if (!info?.isFile()) return reply.code(404).send({ error: 'not found' });
    size = info.size;
  } else size = source.length;
  reply
    .header('etag', options.etag)
    .header('cache-control', options.cacheControl)
    .header('accept-ranges', 'bytes')
    .header('content-type', options.contentType);

  if (noneMatch(request.headers['if-none-match'], options.etag)) {
    // RFC 9110 §15.4.5: a 304 repeats the validators and caching, nothing else; every
    // byte counts on a metered link polled all day.
    reply.removeHeader('content-type');
    reply.removeHeader('accept-ranges');
    return reply.code(304).send();
  }

  let start = 0;
  let end = size - 1;
  const range = request.headers.range;
  // RFC 9110 §13.1.5: If-Range needs a strong validator, and an HTTP-date there never matches ours.
  const ifRange = request.headers['if-range'];
  if (range && (ifRange === undefined || ifRange === options.etag)) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    // Several ranges or another unit: ignore the header and send the whole file (§14.2).
    if (m && (m[1] !== '' || m[2] !== '')) {
      if (m[1] === '') {
        start = Math.max(0, size - Number(m[2]));
      } else {
        start = Number(m[1]);
        if (m[2] !== '') end = Math.min(Number(m[2]), size - 1);
      }
      if (start >= size || start > end) {
        return reply.code(416).header('content-range', `bytes */${size}`).send();
      }
      reply.code(206).header('content-range', `bytes ${start}-${end}/${size}`);
    }
  }
  reply.header('content-length', String(end - start + 1));
  if (request.method === 'HEAD' || size === 0) return reply.send();
  if (typeof source !== 'string')
    return reply.send(Buffer.from(source.buffer, source.byteOffset + start, end - start + 1));
  return reply.send(createReadStream(source, { start, end }));
}
