/** Keys and trust roots on disk, for the CLI and the server. */
import { chmod, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ROOT_FORMAT,
  ROOT_PAYLOAD_TYPE,
  envelopeToBytes,
  generateKeyPair,
  parsePrivateKeyPem,
  parsePublicKeyPem,
  privateKeyToPem,
  publicKeyToPem,
  rootPayloadBytes,
  signEnvelope,
  verifyRoot,
  type PrivateKey,
  type PublicKey,
  type RootDocument,
  type TrustRoot,
} from '../core/index.ts';
import { UserError } from './errors.ts';
import { readUserFile, writeFileAtomic } from './files.ts';

export async function readPrivateKey(path: string): Promise<PrivateKey> {
  const pem = (await readUserFile(path, 'key file')).toString('utf8');
  try {
    return await parsePrivateKeyPem(pem);
  } catch (e) {
    throw new UserError(`${path}: ${(e as Error).message}`);
  }
}

/** A public key from a public PEM, or the public half of a private PEM. */
export async function readPublicKey(path: string): Promise<PublicKey> {
  const pem = (await readUserFile(path, 'key file')).toString('utf8');
  try {
    return /PRIVATE KEY/.test(pem) ? (await parsePrivateKeyPem(pem)).publicKey : await parsePublicKeyPem(pem);
  } catch (e) {
    throw new UserError(`${path}: ${(e as Error).message}`);
  }
}

export interface KeyPairFiles {
  privatePath: string;
  publicPath: string;
  keyid: string;
}

/** Writes DIR/NAME.key.pem (mode 0600) and DIR/NAME.pub.pem; never overwrites a key. */
export async function writeKeyPair(dir: string, name: string): Promise<KeyPairFiles> {
  if (!/^[A-Za-z0-9._-]+$/.test(name))
    throw new UserError(`key name "${name}" may only hold letters, digits, ".", "_" and "-"`);
  const privatePath = join(dir, `${name}.key.pem`);
  const publicPath = join(dir, `${name}.pub.pem`);
  for (const p of [privatePath, publicPath]) {
    if (
      await stat(p).then(
        () => true,
        () => false,
      )
    ) {
      throw new UserError(`${p} already exists; choose another --name or move the old key away`);
    }
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const key = await generateKeyPair();
  await writeFileAtomic(privatePath, privateKeyToPem(key), 0o600);
  await chmod(privatePath, 0o600);
  await writeFileAtomic(publicPath, publicKeyToPem(key.publicKey));
  return { privatePath, publicPath, keyid: key.publicKey.keyid };
}

export interface RootSpec {
  version: number;
  rootKeys: PublicKey[];
  rootThreshold: number;
  manifestKeys: PublicKey[];
  manifestThreshold: number;
  issued?: Date;
}

export function rootDocument(spec: RootSpec): RootDocument {
  const keys: RootDocument['keys'] = {};
  for (const k of [...spec.rootKeys, ...spec.manifestKeys])
    keys[k.keyid] = { type: 'ed25519', public: publicKeyToPem(k) };
  const unique = (ks: PublicKey[]) => [...new Set(ks.map((k) => k.keyid))];
  const role = (ks: PublicKey[], threshold: number, name: string) => {
    const keyids = unique(ks);
    if (threshold < 1 || threshold > keyids.length || !Number.isInteger(threshold)) {
      throw new UserError(
        `the ${name} threshold must be a whole number from 1 to ${keyids.length} (the number of distinct ${name} keys)`,
      );
    }
    return { keyids, threshold };
  };
  return {
    format: ROOT_FORMAT,
    version: spec.version,
    issued: (spec.issued ?? new Date()).toISOString(),
    keys,
    roles: {
      root: role(spec.rootKeys, spec.rootThreshold, 'root'),
      manifest: role(spec.manifestKeys, spec.manifestThreshold, 'manifest'),
    },
  };
}

/**
 * Signs a root document with `signers`, checks the result as a device would
 * (against `previous` for a rotation), and returns the envelope bytes.
 */
export async function signRoot(
  doc: RootDocument,
  signers: PrivateKey[],
  previous?: TrustRoot,
): Promise<Uint8Array> {
  const envelope = await signEnvelope(ROOT_PAYLOAD_TYPE, rootPayloadBytes(doc), dedupe(signers));
  const bytes = envelopeToBytes(envelope);
  const check = await verifyRoot(bytes, previous ? { previous } : {});
  if (!check.ok) throw new UserError(`the new root would not verify: ${check.error.message}`);
  return bytes;
}

function dedupe(keys: PrivateKey[]): PrivateKey[] {
  return [...new Map(keys.map((k) => [k.publicKey.keyid, k])).values()];
}

/** Reads and verifies a root.json a person named (self-signed; pinned when a fingerprint is given). */
export async function readRoot(path: string, fingerprint?: string): Promise<TrustRoot> {
  const bytes = await readUserFile(path, 'root file');
  const result = await verifyRoot(bytes, fingerprint ? { fingerprint } : {});
  if (!result.ok) throw new UserError(`${path}: ${result.error.message}`);
  return result.root;
}
