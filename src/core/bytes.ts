/**
 * Byte helpers that run the same in Node and the browser (no Buffer, no DOM).
 */

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8, throwing a TypeError on invalid sequences instead of inserting U+FFFD. */
export function fromUtf8(bytes: Uint8Array): string {
  return strictDecoder.decode(bytes);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new TypeError('not a hexadecimal string');
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Character code → 6-bit value, -1 for characters outside both alphabets. */
const B64_INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;
B64_INDEX['-'.charCodeAt(0)] = 62; // URL-safe alphabet (RFC 4648 §5)
B64_INDEX['_'.charCodeAt(0)] = 63;

/** Standard base64 with padding (RFC 4648 §4), the encoding DSSE uses for payload and sig. */
export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    chunk += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    chunk += i + 1 < bytes.length ? B64[(n >> 6) & 63]! : '=';
    chunk += i + 2 < bytes.length ? B64[n & 63]! : '=';
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

/**
 * Strict base64 decoding: accepts the standard alphabet with or without padding, and
 * the URL-safe alphabet (the DSSE spec lets signers use either). Anything else throws,
 * so that a tampered envelope cannot smuggle bytes through a lenient decoder.
 */
export function fromBase64(text: string): Uint8Array {
  let length = text.length;
  if (length % 4 === 0 && text.endsWith('==')) length -= 2;
  else if (length % 4 === 0 && text.endsWith('=')) length -= 1;
  if (length % 4 === 1) throw new TypeError('invalid base64 length');
  const out = new Uint8Array(Math.floor((length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? B64_INDEX[code]! : -1;
    if (v < 0) throw new TypeError(`invalid base64 character ${JSON.stringify(text[i])}`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // Non-zero leftover bits mean a non-canonical encoding: two strings for one payload.
  if ((acc & ((1 << bits) - 1)) !== 0) throw new TypeError('non-canonical base64');
  return out;
}
