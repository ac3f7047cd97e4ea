import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  MANIFEST_PAYLOAD_TYPE,
  decodeEnvelope,
  envelopeToBytes,
  pae,
  parsePrivateKeyPem,
  parsePublicKeyPem,
  toBase64,
  utf8,
  verify,
  verifyManifest,
} from '../../src/core/index.ts';
import { NOW, rootDoc, sampleManifest, signedRoot } from '../fixtures.ts';
import { verifyRoot } from '../../src/core/index.ts';
import { cli } from './run-cli.ts';

// Interoperability with OpenSSL 3 (`openssl pkeyutl -rawin`, RFC 8032 pure Ed25519), both ways.
const openssl = (args: string[]) =>
  execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ccsp-openssl-'));
  const r = await cli(['keygen', '--out', dir, '--name', 'm']);
  expect(r.code, r.stderr).toBe(0);
});

describe('openssl interop', () => {
  it('openssl derives the same public key from a keygen private key', () => {
    expect(openssl(['pkey', '-in', join(dir, 'm.key.pem'), '-pubout'])).toBe(
      readFileSync(join(dir, 'm.pub.pem'), 'utf8'),
    );
  });

  it('a signature openssl makes over the PAE with a keygen key verifies in the project', async () => {
    const key = await parsePrivateKeyPem(readFileSync(join(dir, 'm.key.pem'), 'utf8'));
    const payload = utf8(`${JSON.stringify(sampleManifest())}\n`);
    writeFileSync(join(dir, 'pae.bin'), pae(MANIFEST_PAYLOAD_TYPE, payload));
    openssl([
      'pkeyutl',
      '-sign',
      '-rawin',
      '-inkey',
      join(dir, 'm.key.pem'),
      '-in',
      join(dir, 'pae.bin'),
      '-out',
      join(dir, 'sig.bin'),
    ]);
    const sig = readFileSync(join(dir, 'sig.bin'));
    expect(sig.length).toBe(64);

    const rootKey = key; // one key for both roles keeps the test short
    const rootResult = await verifyRoot(await signedRoot(rootDoc(1, [rootKey], [key]), [rootKey]));
    if (!rootResult.ok) throw new Error(rootResult.error.message);
    const envelope = envelopeToBytes({
      payloadType: MANIFEST_PAYLOAD_TYPE,
      payload: toBase64(payload),
      signatures: [{ keyid: key.publicKey.keyid, sig: toBase64(sig) }],
    });
    const result = await verifyManifest(envelope, { root: rootResult.root, now: NOW });
    expect(result.status).toBe('accepted');
  });

  it('openssl verifies the signature of a manifest the project signed', async () => {
    const out = join(dir, 'out');
    const playlist = new URL('../../playlists/ccsp-lokossa.json', import.meta.url).pathname;
    const r = await cli(['sign', playlist, '--key', join(dir, 'm.key.pem'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const env = decodeEnvelope(readFileSync(join(out, 'channels/ccsp-lokossa/manifest.json')));
    writeFileSync(join(dir, 'signed-pae.bin'), pae(env.payloadType, env.payload));
    writeFileSync(join(dir, 'signed-sig.bin'), env.signatures[0]!.sig);
    const args = [
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      join(dir, 'm.pub.pem'),
      '-rawin',
      '-in',
      join(dir, 'signed-pae.bin'),
    ];
    expect(openssl([...args, '-sigfile', join(dir, 'signed-sig.bin')])).toMatch(
      /Signature Verified Successfully/,
    );

    // And openssl refuses it once one payload byte changes: the check above could fail.
    const tampered = Uint8Array.from(env.payload);
    tampered[20]! ^= 1;
    writeFileSync(join(dir, 'signed-pae.bin'), pae(env.payloadType, tampered));
    expect(() => openssl([...args, '-sigfile', join(dir, 'signed-sig.bin')])).toThrow();
  });

  it('a key made by openssl genpkey is read by the project, and their signatures agree', async () => {
    openssl(['genpkey', '-algorithm', 'ed25519', '-out', join(dir, 'o.key.pem')]);
    const key = await parsePrivateKeyPem(readFileSync(join(dir, 'o.key.pem'), 'utf8'));
    const pub = await parsePublicKeyPem(openssl(['pkey', '-in', join(dir, 'o.key.pem'), '-pubout']));
    expect(pub.keyid).toBe(key.publicKey.keyid);
    writeFileSync(join(dir, 'msg.bin'), 'DSSEv1 1 t 5 hello');
    openssl([
      'pkeyutl',
      '-sign',
      '-rawin',
      '-inkey',
      join(dir, 'o.key.pem'),
      '-in',
      join(dir, 'msg.bin'),
      '-out',
      join(dir, 'o.sig'),
    ]);
    expect(await verify(pub, utf8('DSSEv1 1 t 5 hello'), readFileSync(join(dir, 'o.sig')))).toBe(true);
  });
});
