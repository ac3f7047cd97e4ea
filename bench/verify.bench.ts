/**
 * Verifying a ~100 KB signed manifest in Node (target ≤ 5 ms), against the least any
 * verifier must do with the same payload: JSON.parse plus SHA-256.
 */
import { createHash } from 'node:crypto';
import {
  decodeEnvelope,
  ed25519Backend,
  fromUtf8,
  validateManifest,
  verifyManifest,
  type ManifestInput,
} from '../src/core/index.ts';
import { makeTrust, NOW, sampleManifest, signManifest } from '../test/fixtures.ts';
import { medianMs, ratio, target, type Bench } from './harness.ts';

function bigManifest(targetBytes: number): ManifestInput {
  const base = sampleManifest();
  const items: ManifestInput['items'] = [];
  // Sized by the signed payload as written (two-space JSON), not the compact form.
  for (let i = 0; JSON.stringify({ ...base, items }, null, 2).length < targetBytes; i++) {
    items.push({
      id: `annonce-${i}`,
      kind: 'announcement',
      lang: 'fr',
      title: `Annonce numéro ${i} : vos démarches en ligne au CCSP`,
      body: 'Le point focal vous aide à demander votre casier judiciaire, votre acte de naissance sécurisé et vos autres documents sur service-public.bj.',
      duration: 12,
      image: { sha256: i.toString(16).padStart(64, '0'), bytes: 4000 + i, type: 'image/webp' },
      schedule: { until: '2027-06-30' },
    });
  }
  return { ...base, items };
}

const bench: Bench = {
  title: 'Manifest verification (Node)',
  async run() {
    const trust = await makeTrust();
    const manifest = bigManifest(100 * 1024);
    const envelope = await signManifest(manifest, [trust.manifestKey]);
    const payload = decodeEnvelope(envelope).payload;
    const check = await verifyManifest(envelope, { root: trust.root, now: NOW });
    if (check.status !== 'accepted') throw new Error(`benchmark manifest rejected: ${JSON.stringify(check)}`);

    const n = 200;
    const verify = await medianMs(() => verifyManifest(envelope, { root: trust.root, now: NOW }), n);
    const baseline = await medianMs(() => {
      JSON.parse(fromUtf8(payload));
      createHash('sha256').update(payload).digest();
    }, n);
    const schema = await medianMs(() => validateManifest(JSON.parse(fromUtf8(payload))), n);
    return [
      {
        case: 'baseline: JSON.parse + SHA-256 of the payload',
        value: `${baseline.toFixed(3)} ms`,
        ratio: '1.0×',
      },
      { case: 'schema validation alone', value: `${schema.toFixed(3)} ms`, ratio: ratio(schema, baseline) },
      {
        case: `verifyManifest, ${(payload.length / 1024).toFixed(0)} KB payload, ${manifest.items.length} items (${await ed25519Backend()})`,
        value: `${verify.toFixed(3)} ms`,
        ratio: ratio(verify, baseline),
        target: target(verify <= 5, '≤ 5 ms'),
      },
    ];
  },
};
export default bench;
