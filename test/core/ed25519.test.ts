import { afterEach, describe, expect, it } from 'vitest';
import {
  KeyFormatError,
  fromHex,
  generateKeyPair,
  parsePrivateKeyPem,
  parsePublicKeyPem,
  privateKeyToPem,
  publicKeyFromRaw,
  publicKeyToPem,
  setEd25519Backend,
  sha256Hex,
  sign,
  toHex,
  utf8,
  verify,
  type Ed25519Backend,
} from '../../src/core/index.ts';

// RFC 8032 §7.1, TEST 1 (empty message) and TEST 2 (one byte, 0x72).
const VECTORS = [
  {
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    pub: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    msg: '',
    sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    pub: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    msg: '72',
    sig: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

afterEach(() => setEd25519Backend(undefined));

describe.each<Ed25519Backend>(['webcrypto', 'noble'])('Ed25519 with %s', (backend) => {
  it('reproduces the RFC 8032 test vectors', async () => {
    setEd25519Backend(backend);
    for (const v of VECTORS) {
      const publicKey = await publicKeyFromRaw(fromHex(v.pub));
      const key = { seed: fromHex(v.seed), publicKey };
      expect(toHex(await sign(key, fromHex(v.msg)))).toBe(v.sig);
      expect(await verify(publicKey, fromHex(v.msg), fromHex(v.sig))).toBe(true);
    }
  });

  it('rejects a wrong message, a flipped signature bit and a short signature', async () => {
    setEd25519Backend(backend);
    const key = await generateKeyPair();
    const sig = await sign(key, utf8('bonjour'));
    expect(await verify(key.publicKey, utf8('bonjour'), sig)).toBe(true);
    expect(await verify(key.publicKey, utf8('Bonjour'), sig)).toBe(false);
    const flipped = Uint8Array.from(sig);
    flipped[10]! ^= 1;
    expect(await verify(key.publicKey, utf8('bonjour'), flipped)).toBe(false);
    expect(await verify(key.publicKey, utf8('bonjour'), sig.subarray(0, 63))).toBe(false);
  });
});

it('verifies across backends: what WebCrypto signs noble accepts and the other way round', async () => {
  const key = await generateKeyPair();
  const msg = utf8('DSSEv1 4 type 2 ok');
  setEd25519Backend('webcrypto');
  const a = await sign(key, msg);
  setEd25519Backend('noble');
  const b = await sign(key, msg);
  expect(toHex(a)).toBe(toHex(b)); // Ed25519 is deterministic
  expect(await verify(key.publicKey, msg, a)).toBe(true);
  setEd25519Backend('webcrypto');
  expect(await verify(key.publicKey, msg, b)).toBe(true);
});

describe('PEM keys', () => {
  it('round-trips PKCS#8 and SPKI and derives keyid = SHA-256 of the raw public key', async () => {
    const key = await generateKeyPair();
    const priv = await parsePrivateKeyPem(privateKeyToPem(key));
    const pub = await parsePublicKeyPem(publicKeyToPem(key.publicKey));
    expect(toHex(priv.seed)).toBe(toHex(key.seed));
    expect(pub.keyid).toBe(await sha256Hex(key.publicKey.raw));
    expect(priv.publicKey.keyid).toBe(pub.keyid);
    expect(publicKeyToPem(pub)).toMatch(/^-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA/);
  });

  it.each([
    ['garbage', 'hello', /not a PEM "PRIVATE KEY" block/],
    [
      'a public key',
      '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n',
      /public key; signing needs the private key/,
    ],
    [
      'a P-256 key',
      '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgevZzL1gdAFr88hb2\nOF/2NxApJCzGCEDdfSp6VQO30hyhRANCAAQRWz+jn65BtOMvdyHKcvjBeBSDZH2r\n1RTwjmYSi9R/zpBnuQ4EiMnCqfMPWiZqB4QdbAd0E7oH50VpuZ1P087G\n-----END PRIVATE KEY-----\n',
      /not an Ed25519 key/,
    ],
    [
      'bad base64',
      '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI=A\n-----END PRIVATE KEY-----\n',
      /not valid base64/,
    ],
  ])('refuses %s as a signing key with a KeyFormatError', async (_name, pem, message) => {
    const error = await parsePrivateKeyPem(pem).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyFormatError);
    expect((error as Error).message).toMatch(message);
  });
});
