/**
 * `npm run bench`: speed targets measured against a baseline in the same run, so
 * that a slow or busy machine shifts both and the ratio stays meaningful.
 *
 *   verify-100k   verifyManifest on a ~100 KB signed manifest (target ≤ 5 ms in Node)
 *   baseline      JSON.parse + SHA-256 of the same payload, the least any verifier must do
 */
import { performance } from 'node:perf_hooks';
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
    });
  }
  return { ...base, items };
}

async function time(fn: () => Promise<unknown> | unknown, iterations: number): Promise<number> {
  for (let i = 0; i < Math.min(20, iterations); i++) await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!; // median
}

const trust = await makeTrust();
const manifest = bigManifest(100 * 1024);
const envelope = await signManifest(manifest, [trust.manifestKey]);
const payload = decodeEnvelope(envelope).payload;

const check = await verifyManifest(envelope, { root: trust.root, now: NOW });
if (check.status !== 'accepted') throw new Error(`benchmark manifest rejected: ${JSON.stringify(check)}`);

const iterations = 200;
const verifyMs = await time(() => verifyManifest(envelope, { root: trust.root, now: NOW }), iterations);
const baselineMs = await time(() => {
  JSON.parse(fromUtf8(payload));
  createHash('sha256').update(payload).digest();
}, iterations);
const schemaMs = await time(() => validateManifest(JSON.parse(fromUtf8(payload))), iterations);

const rows = [
  ['case', 'median ms', 'vs baseline', 'target'],
  ['baseline: JSON.parse + SHA-256', baselineMs.toFixed(3), '1.0×', ''],
  ['schema validation alone', schemaMs.toFixed(3), `${(schemaMs / baselineMs).toFixed(1)}×`, ''],
  [
    `verifyManifest (${(payload.length / 1024).toFixed(0)} KB payload, ${manifest.items.length} items)`,
    verifyMs.toFixed(3),
    `${(verifyMs / baselineMs).toFixed(1)}×`,
    verifyMs <= 5 ? '≤ 5 ms: met' : '≤ 5 ms: MISSED',
  ],
];
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
console.log(
  `Node ${process.version}, Ed25519 backend: ${await ed25519Backend()}, ${iterations} runs each, median\n`,
);
for (const [i, row] of rows.entries()) {
  console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
