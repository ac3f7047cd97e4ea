import { describe, expect, it } from 'vitest';
import {
  envelopeToBytes,
  generateKeyPair,
  publicKeyToPem,
  sha256Hex,
  verifyRoot,
  type Envelope,
} from '../../src/core/index.ts';
import { makeTrust, rootDoc, signedRoot, signManifest, sampleManifest } from '../fixtures.ts';

describe('verifyRoot', () => {
  it('accepts a self-signed root and pins it by the SHA-256 of its bytes', async () => {
    const t = await makeTrust();
    const fingerprint = await sha256Hex(t.rootBytes);
    const result = await verifyRoot(t.rootBytes, { fingerprint });
    expect(result.ok && result.root.fingerprint).toBe(fingerprint);
    expect(result.ok && result.root.keys.has(t.manifestKey.publicKey.keyid)).toBe(true);
  });

  it('refuses a root whose fingerprint is not the pinned one', async () => {
    const t = await makeTrust();
    const result = await verifyRoot(t.rootBytes, { fingerprint: '0'.repeat(64) });
    expect(!result.ok && result.error.check).toBe('root-fingerprint');
  });

  it('refuses a root not signed by its own root role', async () => {
    const [a, b, m] = [await generateKeyPair(), await generateKeyPair(), await generateKeyPair()];
    const result = await verifyRoot(await signedRoot(rootDoc(1, [a], [m]), [b]));
    expect(!result.ok && result.error).toMatchObject({ check: 'signature', valid: 0, threshold: 1 });
  });

  it('refuses a manifest envelope presented as a root', async () => {
    const t = await makeTrust();
    const result = await verifyRoot(await signManifest(sampleManifest(), [t.rootKey]));
    expect(!result.ok && result.error.check).toBe('payload-type');
  });

  it('refuses a root whose keyid does not match its public key', async () => {
    const [a, m, other] = [await generateKeyPair(), await generateKeyPair(), await generateKeyPair()];
    const doc = rootDoc(1, [a], [m]);
    doc.keys[m.publicKey.keyid] = { type: 'ed25519', public: publicKeyToPem(other.publicKey) };
    const result = await verifyRoot(await signedRoot(doc, [a]));
    expect(!result.ok && result.error.check).toBe('schema');
    expect(!result.ok && result.error.message).toMatch(/does not match its public key/);
  });

  it('refuses a threshold that no set of its keys can reach, with the pointer', async () => {
    const [a, m] = [await generateKeyPair(), await generateKeyPair()];
    const result = await verifyRoot(await signedRoot(rootDoc(1, [a], [m], { manifest: 2 }), [a]));
    expect(!result.ok && result.error.check).toBe('schema');
    if (!result.ok && result.error.check === 'schema') {
      expect(result.error.problems).toContainEqual({
        pointer: '/roles/manifest/threshold',
        code: 'threshold.unreachable',
      });
    }
  });

  describe('rotation', () => {
    it('accepts root N+1 signed by the threshold of root N and by its own', async () => {
      const t = await makeTrust();
      const newRoot = await generateKeyPair();
      const next = await signedRoot(rootDoc(2, [newRoot], [t.manifestKey]), [t.rootKey, newRoot]);
      const result = await verifyRoot(next, { previous: t.root });
      expect(result.ok && result.root.version).toBe(2);
    });

    it('refuses root N+1 signed only by its own keys', async () => {
      const t = await makeTrust();
      const newRoot = await generateKeyPair();
      const next = await signedRoot(rootDoc(2, [newRoot], [t.manifestKey]), [newRoot]);
      const result = await verifyRoot(next, { previous: t.root });
      expect(!result.ok && result.error).toMatchObject({ check: 'signature', valid: 0 });
    });

    it('refuses root N+1 signed only by the old keys', async () => {
      const t = await makeTrust();
      const newRoot = await generateKeyPair();
      const next = await signedRoot(rootDoc(2, [newRoot], [t.manifestKey]), [t.rootKey]);
      const result = await verifyRoot(next, { previous: t.root });
      expect(!result.ok && result.error.check).toBe('signature');
    });

    it('refuses a version that does not follow N (a skip or a replay)', async () => {
      const t = await makeTrust();
      for (const version of [1, 3]) {
        const next = await signedRoot(rootDoc(version, [t.rootKey], [t.manifestKey]), [t.rootKey]);
        const result = await verifyRoot(next, { previous: t.root });
        expect(!result.ok && result.error).toMatchObject({ check: 'rollback', from: 1, to: version });
      }
    });
  });

  it('ignores signatures whose key the root does not list', async () => {
    const t = await makeTrust();
    const stranger = await generateKeyPair();
    const env = JSON.parse(new TextDecoder().decode(t.rootBytes)) as Envelope;
    const forged = await signedRoot(rootDoc(1, [t.rootKey], [stranger]), [stranger]);
    const forgedEnv = JSON.parse(new TextDecoder().decode(forged)) as Envelope;
    // The stranger's root names itself as manifest key, signed by itself under the real root keyid.
    forgedEnv.signatures[0]!.keyid = env.signatures[0]!.keyid;
    const result = await verifyRoot(envelopeToBytes(forgedEnv));
    expect(!result.ok && result.error.check).toBe('signature');
  });
});
