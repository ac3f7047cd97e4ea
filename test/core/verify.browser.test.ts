import { expect } from '@open-wc/testing';
import {
  ed25519Backend,
  generateKeyPair,
  setEd25519Backend,
  sha256Hex,
  utf8,
  verifyManifest,
  type Ed25519Backend,
} from '../../src/core/index.ts';
import { makeTrust, NOW, sampleManifest, signManifest } from '../fixtures.ts';

// The same verification in real Chromium: WebCrypto Ed25519 and the pure JS fallback
// that a plain http:// LAN origin (no crypto.subtle) needs.
describe('core verification in Chromium', () => {
  afterEach(() => setEd25519Backend(undefined));

  it('uses WebCrypto Ed25519 on a secure origin', async () => {
    expect(window.isSecureContext).to.equal(true);
    expect(await ed25519Backend()).to.equal('webcrypto');
  });

  for (const backend of ['webcrypto', 'noble'] as Ed25519Backend[]) {
    it(`signs and verifies a manifest with ${backend}, and refuses a tampered one`, async () => {
      setEd25519Backend(backend);
      const trust = await makeTrust();
      const good = await signManifest(sampleManifest(), [trust.manifestKey]);
      const ok = await verifyManifest(good, { root: trust.root, channel: 'ccsp-lokossa', now: NOW });
      expect(ok.status).to.equal('accepted');

      const tampered = await signManifest(sampleManifest({ version: 4 }), [await generateKeyPair()]);
      const bad = await verifyManifest(tampered, { root: trust.root, now: NOW });
      expect(bad.status === 'rejected' && bad.error.check).to.equal('signature');
    });
  }

  it('what one backend signs, the other verifies', async () => {
    setEd25519Backend('noble');
    const trust = await makeTrust();
    const bytes = await signManifest(sampleManifest(), [trust.manifestKey]);
    setEd25519Backend('webcrypto');
    const result = await verifyManifest(bytes, { root: trust.root, now: NOW });
    expect(result.status).to.equal('accepted');
  });

  it('hashes like Node', async () => {
    expect(await sha256Hex(utf8('abc'))).to.equal(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
