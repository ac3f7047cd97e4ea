import { toHex } from './bytes.ts';

/**
 * SHA-256 of the bytes as lowercase hex. WebCrypto where it exists; the pure
 * JavaScript implementation where `crypto.subtle` is missing (an insecure
 * http:// LAN origin has none, DESIGN.md "Signed manifests"), loaded only there:
 * a screen on https or 127.0.0.1 never downloads it before its first item.
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle) {
    return toHex(new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
  }
  const { sha256 } = await import('@noble/hashes/sha2.js');
  return toHex(sha256(bytes));
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;
