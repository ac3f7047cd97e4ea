import { describe, expect, it, beforeAll } from 'vitest';
import {
  MANIFEST_PAYLOAD_TYPE,
  signEnvelope,
  verifyRoot,
  decodeEnvelope,
  envelopeToBytes,
  fromBase64,
  generateKeyPair,
  toBase64,
  utf8,
  verifyManifest,
  type Envelope,
  type VerifyManifestResult,
} from '../../src/core/index.ts';
import {
  makeTrust,
  NOW,
  rootDoc,
  sampleManifest,
  signedRoot,
  signManifest,
  type TestTrust,
} from '../fixtures.ts';

let trust: TestTrust;
let good: Uint8Array;

beforeAll(async () => {
  trust = await makeTrust();
  good = await signManifest(sampleManifest(), [trust.manifestKey]);
});

const verify = (bytes: Uint8Array, extra: Partial<Parameters<typeof verifyManifest>[1]> = {}) =>
  verifyManifest(bytes, { root: trust.root, channel: 'ccsp-lokossa', now: NOW, ...extra });

function rejected(result: VerifyManifestResult) {
  if (result.status !== 'rejected') throw new Error(`expected a rejection, got ${result.status}`);
  return result.error;
}

function envelopeOf(bytes: Uint8Array): Envelope {
  return JSON.parse(new TextDecoder().decode(bytes)) as Envelope;
}

describe('verifyManifest', () => {
  it('accepts a manifest signed by the manifest role and returns the exact payload bytes', async () => {
    const result = await verify(good);
    expect(result.status).toBe('accepted');
    if (result.status !== 'accepted') return;
    expect(result.manifest.version).toBe(3);
    expect(result.manifest.items.map((i) => i.id)).toEqual(['bienvenue', 'casier']);
    expect(result.payload).toEqual(decodeEnvelope(good).payload);
    expect(result.signedBy).toBe(1);
  });

  it('refuses an envelope over the size cap before parsing it', async () => {
    const error = rejected(await verify(good, { maxBytes: good.length - 1 }));
    expect(error.check).toBe('size');
    expect(error.message).toMatch(/over the size limit/);
  });

  it.each([
    ['not JSON', utf8('not json')],
    ['a JSON array', utf8('[]')],
    ['no signatures', utf8(JSON.stringify({ payloadType: 'x', payload: '', signatures: [] }))],
    [
      'payload not base64',
      utf8(JSON.stringify({ payloadType: 'x', payload: '$$$', signatures: [{ keyid: 'a', sig: 'AA==' }] })),
    ],
    [
      'signature without keyid',
      utf8(JSON.stringify({ payloadType: 'x', payload: '', signatures: [{ sig: 'AA==' }] })),
    ],
    ['invalid UTF-8', Uint8Array.from([0x7b, 0xff, 0x7d])],
  ])('names a malformed envelope: %s', async (_name, bytes) => {
    const error = rejected(await verify(bytes));
    expect(error.check).toBe('envelope');
    expect(error.message).toMatch(/^malformed envelope: /);
  });

  it('refuses an unexpected payloadType even when its signature is valid', async () => {
    const bytes = await signManifest(sampleManifest(), [trust.manifestKey], 'application/json');
    const error = rejected(await verify(bytes));
    expect(error).toMatchObject({ check: 'payload-type', actual: 'application/json' });
  });

  it('counts only keys of the manifest role: a root key or an unknown key does not sign manifests', async () => {
    const stranger = await generateKeyPair();
    for (const key of [trust.rootKey, stranger]) {
      const error = rejected(await verify(await signManifest(sampleManifest(), [key])));
      expect(error).toMatchObject({ check: 'signature', valid: 0, threshold: 1 });
      expect(error.message).toMatch(/signature threshold not met: 0 of 1/);
    }
  });

  it('never takes a key from the envelope: a stranger signing under the manifest keyid fails', async () => {
    const stranger = await generateKeyPair();
    const env = envelopeOf(await signManifest(sampleManifest(), [stranger]));
    env.signatures[0]!.keyid = trust.manifestKey.publicKey.keyid;
    expect(rejected(await verify(envelopeToBytes(env))).check).toBe('signature');
  });

  it('counts each keyid once toward the threshold', async () => {
    const rest = trust;
    const second = await generateKeyPair();
    const rootBytes = await signedRoot(
      rootDoc(1, [rest.rootKey], [rest.manifestKey, second], { manifest: 2 }),
      [rest.rootKey],
    );
    const root = await verifyRoot(rootBytes);
    if (!root.ok) throw new Error(root.error.message);
    const once = envelopeOf(await signManifest(sampleManifest(), [rest.manifestKey]));
    once.signatures.push({ ...once.signatures[0]! });
    const error = rejected(await verifyManifest(envelopeToBytes(once), { root: root.root, now: NOW }));
    expect(error).toMatchObject({ check: 'signature', valid: 1, threshold: 2 });
    const both = await signManifest(sampleManifest(), [rest.manifestKey, second]);
    expect((await verifyManifest(both, { root: root.root, now: NOW })).status).toBe('accepted');
  });

  it('reports every schema problem at once, each with its JSON pointer', async () => {
    const bad = sampleManifest();
    (bad.items[0] as { duration: number }).duration = -4;
    (bad.site as { department: string }).department = 'Paris';
    const error = rejected(await verify(await signManifest(bad, [trust.manifestKey])));
    expect(error.check).toBe('schema');
    if (error.check !== 'schema') return;
    expect(error.problems.map((p) => p.pointer).sort()).toEqual(['/items/0/duration', '/site/department']);
    expect(error.message).toContain('/items/0/duration: must be a positive number of seconds');
  });

  it('refuses a signed payload that is not JSON as a schema error', async () => {
    const env = await signEnvelope(MANIFEST_PAYLOAD_TYPE, utf8('{not json'), [trust.manifestKey]);
    expect(rejected(await verify(envelopeToBytes(env))).check).toBe('schema');
  });

  it('binds the manifest to the channel the device plays', async () => {
    const error = rejected(await verify(good, { channel: 'ccsp-ouidah' }));
    expect(error).toMatchObject({ check: 'channel', expected: 'ccsp-ouidah', actual: 'ccsp-lokossa' });
  });

  it('refuses a rollback and names both versions', async () => {
    const v9 = await signManifest(sampleManifest({ version: 9 }), [trust.manifestKey]);
    const error = rejected(await verify(v9, { currentVersion: 12 }));
    expect(error).toMatchObject({ check: 'rollback', from: 12, to: 9 });
    expect(error.message).toBe('rollback from version 12 to 9');
    expect(rejected(await verify(v9, { minVersion: 10 })).check).toBe('rollback');
    expect((await verify(v9, { minVersion: 9 })).status).toBe('accepted');
  });

  it('has nothing to do for the version it already plays', async () => {
    expect(await verify(good, { currentVersion: 3 })).toEqual({ status: 'unchanged', version: 3 });
  });

  it('refuses an expired manifest, but re-verifies it at boot without the expiry', async () => {
    const later = new Date('2027-01-01T00:00:00Z');
    const error = rejected(await verify(good, { now: later }));
    expect(error).toMatchObject({ check: 'expired', expires: '2026-12-01T08:00:00Z' });
    expect((await verify(good, { now: later, checkExpiry: false })).status).toBe('accepted');
  });

  it('refuses a manifest over the media limits', async () => {
    expect(rejected(await verify(good, { maxMediaBytes: 1000 })).check).toBe('limits');
    expect(rejected(await verify(good, { maxMediaFiles: 2 })).check).toBe('limits');
  });

  it('fails with a named check for a one-bit change at every byte of the envelope', async () => {
    const small = await signManifest(sampleManifest({ items: [sampleManifest().items[0]!] }), [
      trust.manifestKey,
    ]);
    const checks = new Set<string>();
    for (let i = 0; i < small.length; i++) {
      const copy = Uint8Array.from(small);
      copy[i]! ^= 0x01;
      const result = await verify(copy);
      if (result.status !== 'rejected') throw new Error(`a change at byte ${i} was ${result.status}`);
      checks.add(result.error.check);
    }
    expect([...checks].every((c) => ['envelope', 'payload-type', 'signature'].includes(c))).toBe(true);
    expect(checks).toContain('signature');
  });

  it('fails the signature for a one-byte change at every byte of the payload', async () => {
    const small = await signManifest(sampleManifest({ items: [sampleManifest().items[0]!] }), [
      trust.manifestKey,
    ]);
    const env = envelopeOf(small);
    const payload = fromBase64(env.payload);
    for (let i = 0; i < payload.length; i++) {
      const copy = Uint8Array.from(payload);
      copy[i] = copy[i]! === 0x20 ? 0x09 : copy[i]! ^ 0x01;
      const error = rejected(await verify(envelopeToBytes({ ...env, payload: toBase64(copy) })));
      if (error.check !== 'signature') throw new Error(`a change at payload byte ${i} gave ${error.check}`);
    }
  });
});
