/**
 * Ed25519 (RFC 8032) keys, signatures and key ids.
 *
 * WebCrypto is used where it implements Ed25519 (Node 20, Chromium 137+);
 * `@noble/ed25519` where `crypto.subtle` lacks it or is absent altogether
 * (a plain http:// origin on the centre's LAN has no `crypto.subtle`).
 * Keys travel as PEM (PKCS#8 private, SPKI public) so that openssl
 * interoperates (RFC 8410).
 */
import { concatBytes, equalBytes, fromBase64, fromHex, toBase64 } from './bytes.ts';
import { sha256Hex } from './hash.ts';

type Noble = typeof import('@noble/ed25519');
let noblePromise: Promise<Noble> | undefined;

/**
 * The pure JavaScript implementation, loaded only when needed (an insecure origin,
 * key parsing, tests): the screen on 127.0.0.1 or https never downloads it.
 */
function noble(): Promise<Noble> {
  noblePromise ??= Promise.all([import('@noble/ed25519'), import('@noble/hashes/sha2.js')]).then(
    ([ed, hashes]) => {
      ed.hashes.sha512 = hashes.sha512;
      return ed;
    },
  );
  return noblePromise;
}

/** RFC 8410 §7: the DER prefixes before the 32 key bytes. */
const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
const PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

export class KeyFormatError extends Error {
  override name = 'KeyFormatError';
}

export interface PublicKey {
  /** The 32 raw bytes (RFC 8032 §5.1.5). */
  readonly raw: Uint8Array;
  /** Lowercase hex SHA-256 of `raw` (DESIGN.md "Signed manifests"). */
  readonly keyid: string;
}

export interface PrivateKey {
  /** The 32-byte seed. */
  readonly seed: Uint8Array;
  readonly publicKey: PublicKey;
}

/** Which implementation signs and verifies; `noble` can be forced for tests. */
export type Ed25519Backend = 'webcrypto' | 'noble';

let forcedBackend: Ed25519Backend | undefined;
let webCryptoSupport: Promise<boolean> | undefined;

/** Test hook: pin a backend, or `undefined` to detect again. */
export function setEd25519Backend(backend: Ed25519Backend | undefined): void {
  forcedBackend = backend;
  webCryptoSupport = undefined;
}

export async function ed25519Backend(): Promise<Ed25519Backend> {
  if (forcedBackend) return forcedBackend;
  webCryptoSupport ??= detectWebCrypto();
  return (await webCryptoSupport) ? 'webcrypto' : 'noble';
}

async function detectWebCrypto(): Promise<boolean> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return false;
  try {
    // The RFC 8032 §7.1 test 1 public key: importing it proves the algorithm exists.
    const pub = fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    await subtle.importKey('raw', pub as Buf, { name: 'Ed25519' }, false, ['verify']);
    return true;
  } catch {
    return false;
  }
}

function pemBody(pem: string, label: string): Uint8Array {
  const re = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`);
  const m = re.exec(pem);
  if (!m) throw new KeyFormatError(`not a PEM "${label}" block`);
  try {
    return fromBase64(m[1]!.replace(/\s+/g, ''));
  } catch {
    throw new KeyFormatError(`the PEM "${label}" block is not valid base64`);
  }
}

function stripPrefix(der: Uint8Array, prefix: Uint8Array, what: string): Uint8Array {
  if (der.length !== prefix.length + 32 || !equalBytes(der.subarray(0, prefix.length), prefix)) {
    throw new KeyFormatError(`${what} is not an Ed25519 key (RFC 8410)`);
  }
  return der.slice(prefix.length);
}

export async function publicKeyFromRaw(raw: Uint8Array): Promise<PublicKey> {
  if (raw.length !== 32) throw new KeyFormatError('an Ed25519 public key has 32 bytes');
  return { raw: Uint8Array.from(raw), keyid: await sha256Hex(raw) };
}

export async function parsePublicKeyPem(pem: string): Promise<PublicKey> {
  return publicKeyFromRaw(stripPrefix(pemBody(pem, 'PUBLIC KEY'), SPKI_PREFIX, 'the public key'));
}

export async function parsePrivateKeyPem(pem: string): Promise<PrivateKey> {
  if (/-----BEGIN PUBLIC KEY-----/.test(pem) && !/PRIVATE KEY/.test(pem)) {
    throw new KeyFormatError('this is a public key; signing needs the private key (*.key.pem)');
  }
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem)) {
    throw new KeyFormatError('encrypted private keys are not supported; decrypt it with openssl pkey');
  }
  const seed = stripPrefix(pemBody(pem, 'PRIVATE KEY'), PKCS8_PREFIX, 'the private key');
  return { seed, publicKey: await publicKeyFromRaw((await noble()).getPublicKey(seed)) };
}

function pem(label: string, der: Uint8Array): string {
  const b64 = toBase64(der).replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}

export function publicKeyToPem(key: PublicKey): string {
  return pem('PUBLIC KEY', concatBytes(SPKI_PREFIX, key.raw));
}

export function privateKeyToPem(key: PrivateKey): string {
  return pem('PRIVATE KEY', concatBytes(PKCS8_PREFIX, key.seed));
}

/** A new key pair from the platform's CSPRNG. */
export async function generateKeyPair(): Promise<PrivateKey> {
  const seed = new Uint8Array(32);
  globalThis.crypto.getRandomValues(seed);
  return { seed, publicKey: await publicKeyFromRaw((await noble()).getPublicKey(seed)) };
}

type Buf = Uint8Array<ArrayBuffer>;

export async function sign(key: PrivateKey, message: Uint8Array): Promise<Uint8Array> {
  if ((await ed25519Backend()) === 'webcrypto') {
    const der = concatBytes(PKCS8_PREFIX, key.seed) as Buf;
    const k = await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']);
    return new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, k, message as Buf));
  }
  return (await noble()).sign(message, key.seed);
}

/** Never throws: a malformed key or signature is simply not a valid signature. */
export async function verify(key: PublicKey, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
  if (signature.length !== 64) return false;
  try {
    if ((await ed25519Backend()) === 'webcrypto') {
      const k = await crypto.subtle.importKey('raw', key.raw as Buf, { name: 'Ed25519' }, false, ['verify']);
      return await crypto.subtle.verify({ name: 'Ed25519' }, k, signature as Buf, message as Buf);
    }
    // zip215: false gives the strict RFC 8032 rules WebCrypto and openssl apply.
    return (await noble()).verify(signature, message, key.raw, { zip215: false });
  } catch {
    return false;
  }
}
