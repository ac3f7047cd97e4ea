/**
 * The trust root (root.json): which keys may sign manifests and which may sign
 * the next root. Itself a DSSE envelope signed by its root role; pinned on the
 * device by the SHA-256 fingerprint of its bytes; root N+1 must be signed by the
 * threshold of root N's root keys and by the threshold of its own.
 */
import * as v from 'valibot';
import { fromUtf8, utf8 } from './bytes.ts';
import { pae, ROOT_PAYLOAD_TYPE, type DecodedEnvelope } from './dsse.ts';
import { parsePublicKeyPem, verify, type PublicKey } from './ed25519.ts';
import { SHA256_HEX, sha256Hex } from './hash.ts';
import { validateWith } from './validate.ts';
import type { VerifyError } from './verify-errors.ts';
import { openEnvelope } from './open-envelope.ts';

export const ROOT_FORMAT = 1;
export const MAX_ROOT_BYTES = 64 * 1024;

const KeyId = v.pipe(v.string('type.string'), v.regex(SHA256_HEX, 'sha256.format'));
const Role = v.pipe(
  v.strictObject(
    {
      keyids: v.pipe(v.array(KeyId, 'type.array'), v.minLength(1, 'keys.min')),
      threshold: v.pipe(
        v.number('threshold.format'),
        v.safeInteger('threshold.format'),
        v.minValue(1, 'threshold.format'),
      ),
    },
    'type.object',
  ),
  v.forward(
    v.check((r) => r.threshold <= new Set(r.keyids).size, 'threshold.unreachable'),
    ['threshold'],
  ),
);

export const RootSchema = v.pipe(
  v.strictObject(
    {
      format: v.literal(ROOT_FORMAT, 'format.value'),
      version: v.pipe(
        v.number('version.format'),
        v.safeInteger('version.format'),
        v.minValue(1, 'version.format'),
      ),
      issued: v.pipe(v.string('type.string'), v.isoTimestamp('timestamp.format')),
      keys: v.record(
        KeyId,
        v.strictObject(
          {
            type: v.literal('ed25519', 'key.type'),
            public: v.pipe(v.string('type.string'), v.nonEmpty('text.empty')),
          },
          'type.object',
        ),
        'type.object',
      ),
      roles: v.strictObject({ root: Role, manifest: Role }, 'type.object'),
    },
    'type.object',
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const root = dataset.value;
    for (const role of ['root', 'manifest'] as const) {
      root.roles[role].keyids.forEach((id, i) => {
        if (!Object.hasOwn(root.keys, id)) {
          addIssue({
            message: 'keys.unknown',
            path: [
              { type: 'object', origin: 'value', input: root, key: 'roles', value: root.roles },
              { type: 'object', origin: 'value', input: root.roles, key: role, value: root.roles[role] },
              {
                type: 'object',
                origin: 'value',
                input: root.roles[role],
                key: 'keyids',
                value: root.roles[role].keyids,
              },
              { type: 'array', origin: 'value', input: root.roles[role].keyids, key: i, value: id },
            ],
          });
        }
      });
    }
  }),
);

export type RootDocument = v.InferOutput<typeof RootSchema>;
export type RoleName = keyof RootDocument['roles'];

export interface TrustRoot {
  readonly version: number;
  readonly document: RootDocument;
  readonly keys: ReadonlyMap<string, PublicKey>;
  /** SHA-256 hex of the envelope bytes this root was read from. */
  readonly fingerprint: string;
}

export type RootResult = { ok: true; root: TrustRoot } | { ok: false; error: VerifyError };

/** Distinct keyids of `role` with a valid signature over the envelope's PAE (each keyid counted once). */
export async function countValidSignatures(
  envelope: DecodedEnvelope,
  keys: ReadonlyMap<string, PublicKey>,
  keyids: readonly string[],
): Promise<number> {
  const allowed = new Set(keyids);
  const message = pae(envelope.payloadType, envelope.payload);
  const valid = new Set<string>();
  for (const s of envelope.signatures) {
    if (valid.has(s.keyid) || !allowed.has(s.keyid)) continue;
    const key = keys.get(s.keyid);
    if (key && (await verify(key, message, s.sig))) valid.add(s.keyid);
  }
  return valid.size;
}

async function loadKeys(doc: RootDocument): Promise<Map<string, PublicKey> | VerifyError> {
  const keys = new Map<string, PublicKey>();
  for (const [keyid, entry] of Object.entries(doc.keys)) {
    let key: PublicKey;
    try {
      key = await parsePublicKeyPem(entry.public);
    } catch (e) {
      return { check: 'schema', message: `root key ${keyid}: ${(e as Error).message}`, problems: [] };
    }
    if (key.keyid !== keyid) {
      return {
        check: 'schema',
        message: `root key ${keyid} does not match its public key (its keyid is ${key.keyid})`,
        problems: [],
      };
    }
    keys.set(keyid, key);
  }
  return keys;
}

export interface VerifyRootOptions {
  /** The pinned fingerprint (SHA-256 hex of the root.json bytes) for a first root. */
  fingerprint?: string;
  /** The root in force, when `bytes` is meant to be its successor. */
  previous?: TrustRoot;
}

/**
 * Verifies a root.json: shape, payloadType, its own root-role threshold, the
 * pinned fingerprint if given, and for a rotation the previous root's threshold
 * and the version step.
 */
export async function verifyRoot(bytes: Uint8Array, options: VerifyRootOptions = {}): Promise<RootResult> {
  const fail = (error: VerifyError): RootResult => ({ ok: false, error });
  if (bytes.length > MAX_ROOT_BYTES) {
    return fail({
      check: 'size',
      message: `root.json is ${bytes.length} bytes, over the ${MAX_ROOT_BYTES}-byte limit`,
      bytes: bytes.length,
      limit: MAX_ROOT_BYTES,
    });
  }
  const fingerprint = await sha256Hex(bytes);
  if (options.fingerprint !== undefined && options.fingerprint.toLowerCase() !== fingerprint) {
    return fail({
      check: 'root-fingerprint',
      message: `root.json has fingerprint ${fingerprint}, not the pinned ${options.fingerprint}`,
      expected: options.fingerprint,
      actual: fingerprint,
    });
  }
  const opened = openEnvelope(bytes, ROOT_PAYLOAD_TYPE);
  if (!opened.ok) return fail(opened.error);
  const { envelope } = opened;
  // Only the payload's keys are considered, never keys the envelope brings along; so
  // the root must be parsed before its signatures can be checked (TUF does the same).
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(envelope.payload));
  } catch {
    return fail({ check: 'schema', message: 'the root payload is not valid UTF-8 JSON', problems: [] });
  }
  const parsed = validateWith(RootSchema, json);
  if (!parsed.ok) {
    return fail({ check: 'schema', message: 'the root payload is invalid', problems: parsed.problems });
  }
  const keys = await loadKeys(parsed.value);
  if (!(keys instanceof Map)) return fail(keys);

  const doc = parsed.value;
  if (options.previous) {
    const prev = options.previous;
    if (doc.version !== prev.version + 1) {
      return fail({
        check: 'rollback',
        message: `root version ${doc.version} does not follow version ${prev.version}`,
        from: prev.version,
        to: doc.version,
      });
    }
    const byPrevious = await countValidSignatures(envelope, prev.keys, prev.document.roles.root.keyids);
    if (byPrevious < prev.document.roles.root.threshold) {
      return fail({
        check: 'signature',
        message: `root version ${doc.version}: ${byPrevious} of ${prev.document.roles.root.threshold} required signatures by the keys of root version ${prev.version}`,
        valid: byPrevious,
        threshold: prev.document.roles.root.threshold,
      });
    }
  }
  const bySelf = await countValidSignatures(envelope, keys, doc.roles.root.keyids);
  if (bySelf < doc.roles.root.threshold) {
    return fail({
      check: 'signature',
      message: `signature threshold not met: ${bySelf} of ${doc.roles.root.threshold} required valid signatures by the root role`,
      valid: bySelf,
      threshold: doc.roles.root.threshold,
    });
  }
  return { ok: true, root: { version: doc.version, document: doc, keys, fingerprint } };
}

/** The root document's canonical payload bytes, for signing. */
export function rootPayloadBytes(doc: RootDocument): Uint8Array {
  return utf8(`${JSON.stringify(doc, null, 2)}\n`);
}
