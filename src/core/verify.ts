/**
 * The one manifest verification, shared by the CLI, the server and the player.
 *
 * Order (DESIGN.md "Signed manifests"): size cap, envelope shape and exact
 * payloadType, signatures (threshold of the root's manifest role, each keyid
 * counted once, keys only from the root), schema, channel binding, version,
 * expiry against trusted time, limits. The first failing check is the answer.
 */
import { fromUtf8 } from './bytes.ts';
import { MANIFEST_PAYLOAD_TYPE } from './dsse.ts';
import type { Manifest } from './manifest-schema.ts';
import { manifestMedia } from './media.ts';
import { countValidSignatures, type TrustRoot } from './trust.ts';
import { formatProblem, validateManifest } from './validate.ts';
import type { VerifyError } from './verify-errors.ts';
import { openEnvelope } from './open-envelope.ts';

export const DEFAULT_MAX_MANIFEST_BYTES = 1024 * 1024;
export const DEFAULT_MAX_MEDIA_BYTES = 8 * 1024 ** 3;
export const DEFAULT_MAX_MEDIA_FILES = 10_000;

export interface VerifyManifestOptions {
  root: TrustRoot;
  /** The channel this device plays; a manifest for another channel is refused. */
  channel?: string;
  /** The version in force: lower is a rollback, equal is nothing new. */
  currentVersion?: number;
  /** Versions below this are refused as a rollback (the CLI's --min-version). */
  minVersion?: number;
  /** Trusted time (max of the device clock and the latest accepted `issued`). */
  now: Date;
  /** False when re-verifying the stored manifest at boot: what was accepted keeps playing. */
  checkExpiry?: boolean;
  maxBytes?: number;
  maxMediaBytes?: number;
  maxMediaFiles?: number;
}

export type VerifyManifestResult =
  | {
      status: 'accepted';
      manifest: Manifest;
      /** The exact payload bytes the signatures cover. */
      payload: Uint8Array;
      /** Keyids whose signatures counted. */
      signedBy: number;
    }
  | { status: 'unchanged'; version: number }
  | { status: 'rejected'; error: VerifyError };

const reject = (error: VerifyError): VerifyManifestResult => ({ status: 'rejected', error });

export async function verifyManifest(
  bytes: Uint8Array,
  options: VerifyManifestOptions,
): Promise<VerifyManifestResult> {
  const limit = options.maxBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
  if (bytes.length > limit) {
    return reject({
      check: 'size',
      message: `over the size limit: the envelope is ${bytes.length} bytes, the limit ${limit}`,
      bytes: bytes.length,
      limit,
    });
  }

  const opened = openEnvelope(bytes, MANIFEST_PAYLOAD_TYPE);
  if (!opened.ok) return reject(opened.error);
  const { envelope } = opened;

  const role = options.root.document.roles.manifest;
  const valid = await countValidSignatures(envelope, options.root.keys, role.keyids);
  if (valid < role.threshold) {
    return reject({
      check: 'signature',
      message: `signature threshold not met: ${valid} of ${role.threshold} required valid signatures by the manifest role of root version ${options.root.version}`,
      valid,
      threshold: role.threshold,
    });
  }

  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(envelope.payload));
  } catch {
    return reject({
      check: 'schema',
      message: 'schema error: the payload is not valid UTF-8 JSON',
      problems: [],
    });
  }
  const parsed = validateManifest(json);
  if (!parsed.ok) {
    return reject({
      check: 'schema',
      message: `schema error: ${parsed.problems.map((p) => formatProblem(p)).join('; ')}`,
      problems: parsed.problems,
    });
  }
  const manifest = parsed.value;

  if (options.channel !== undefined && manifest.channel !== options.channel) {
    return reject({
      check: 'channel',
      message: `wrong channel: the manifest is for "${manifest.channel}", this device plays "${options.channel}"`,
      expected: options.channel,
      actual: manifest.channel,
    });
  }

  const floor = Math.max(options.currentVersion ?? 0, options.minVersion ?? 0);
  if (manifest.version < floor) {
    return reject({
      check: 'rollback',
      message: `rollback from version ${floor} to ${manifest.version}`,
      from: floor,
      to: manifest.version,
    });
  }
  if (manifest.version === options.currentVersion) return { status: 'unchanged', version: manifest.version };

  if (options.checkExpiry !== false && Date.parse(manifest.expires) <= options.now.getTime()) {
    return reject({
      check: 'expired',
      message: `expired at ${manifest.expires} (trusted time ${options.now.toISOString()})`,
      expires: manifest.expires,
      now: options.now.toISOString(),
    });
  }

  const media = manifestMedia(manifest);
  const maxFiles = options.maxMediaFiles ?? DEFAULT_MAX_MEDIA_FILES;
  const maxMediaBytes = options.maxMediaBytes ?? DEFAULT_MAX_MEDIA_BYTES;
  const total = media.reduce((n, f) => n + f.bytes, 0);
  if (media.length > maxFiles) {
    return reject({
      check: 'limits',
      message: `over the limits: ${media.length} media files, the limit ${maxFiles}`,
    });
  }
  if (total > maxMediaBytes) {
    return reject({
      check: 'limits',
      message: `over the limits: ${total} bytes of media, the limit ${maxMediaBytes}`,
    });
  }

  return { status: 'accepted', manifest, payload: envelope.payload, signedBy: valid };
}
