import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { toHex } from './bytes.ts';

/**
 * SHA-256 of the bytes as lowercase hex. WebCrypto where it exists; the pure
 * JavaScript implementation where `crypto.subtle` is missing (an insecure
 * http:// LAN origin has none, DESIGN.md "Signed manifests").
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle) {
    return toHex(new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
  }
  return toHex(nobleSha256(bytes));
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;
