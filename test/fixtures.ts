/**
 * Signed test documents made with the project's own core (so they run in Node and
 * in Chromium alike): keys, a trust root, and a small valid manifest.
 */
import {
  MANIFEST_PAYLOAD_TYPE,
  ROOT_PAYLOAD_TYPE,
  envelopeToBytes,
  generateKeyPair,
  publicKeyToPem,
  rootPayloadBytes,
  signEnvelope,
  utf8,
  verifyRoot,
  type ManifestInput,
  type PrivateKey,
  type RootDocument,
  type TrustRoot,
} from '../src/core/index.ts';

export const HASH_A = 'a'.repeat(64);
export const HASH_B = 'b'.repeat(64);

export function sampleManifest(overrides: Partial<ManifestInput> = {}): ManifestInput {
  return {
    format: 1,
    channel: 'ccsp-lokossa',
    version: 3,
    issued: '2026-11-01T08:00:00Z',
    expires: '2026-12-01T08:00:00Z',
    timezone: 'Africa/Porto-Novo',
    site: { name: 'CCSP de Lokossa', commune: 'Lokossa', department: 'Mono' },
    hours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '08:00', close: '17:30' }],
    items: [
      {
        id: 'bienvenue',
        kind: 'announcement',
        lang: 'fr',
        title: 'Bienvenue au CCSP',
        body: 'Le point focal vous aide dans vos démarches en ligne.',
        duration: 10,
        image: { sha256: HASH_A, bytes: 1200, type: 'image/svg+xml' },
        // Far ahead, so that the fixture never expires under the tests.
        schedule: { until: '2099-12-31' },
      },
      {
        id: 'casier',
        kind: 'video',
        lang: 'fr',
        title: 'Le casier judiciaire en ligne',
        duration: 8,
        file: { sha256: HASH_B, bytes: 150_000, type: 'video/mp4' },
        captions: [{ lang: 'fr', file: { sha256: 'c'.repeat(64), bytes: 400, type: 'text/vtt' } }],
      },
    ],
    sign: { open: 'OUVERT', closed: 'FERMÉ' },
    ...overrides,
  };
}

export interface TestTrust {
  rootKey: PrivateKey;
  manifestKey: PrivateKey;
  root: TrustRoot;
  rootBytes: Uint8Array;
}

export function rootDoc(
  version: number,
  rootKeys: PrivateKey[],
  manifestKeys: PrivateKey[],
  thresholds: { root?: number; manifest?: number } = {},
): RootDocument {
  const keys: RootDocument['keys'] = {};
  for (const k of [...rootKeys, ...manifestKeys]) {
    keys[k.publicKey.keyid] = { type: 'ed25519', public: publicKeyToPem(k.publicKey) };
  }
  return {
    format: 1,
    version,
    issued: '2026-11-01T00:00:00Z',
    keys,
    roles: {
      root: { keyids: rootKeys.map((k) => k.publicKey.keyid), threshold: thresholds.root ?? 1 },
      manifest: { keyids: manifestKeys.map((k) => k.publicKey.keyid), threshold: thresholds.manifest ?? 1 },
    },
  };
}

export async function signedRoot(doc: RootDocument, signers: PrivateKey[]): Promise<Uint8Array> {
  return envelopeToBytes(await signEnvelope(ROOT_PAYLOAD_TYPE, rootPayloadBytes(doc), signers));
}

export async function makeTrust(): Promise<TestTrust> {
  const rootKey = await generateKeyPair();
  const manifestKey = await generateKeyPair();
  const rootBytes = await signedRoot(rootDoc(1, [rootKey], [manifestKey]), [rootKey]);
  const result = await verifyRoot(rootBytes);
  if (!result.ok) throw new Error(`test root does not verify: ${result.error.message}`);
  return { rootKey, manifestKey, root: result.root, rootBytes };
}

export async function signManifest(
  manifest: unknown,
  keys: PrivateKey[],
  payloadType = MANIFEST_PAYLOAD_TYPE,
): Promise<Uint8Array> {
  const payload = utf8(`${JSON.stringify(manifest, null, 2)}\n`);
  return envelopeToBytes(await signEnvelope(payloadType, payload, keys));
}

/** A trusted time inside the sample manifest's validity. */
export const NOW = new Date('2026-11-15T10:00:00Z');
