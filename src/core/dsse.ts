/**
 * DSSE v1 envelopes (secure-systems-lab/dsse, envelope.md and protocol.md).
 *
 * The signature covers PAE(payloadType, payload) over the exact payload bytes:
 * verify first, `JSON.parse` after, never re-serialise.
 */
import { concatBytes, fromBase64, fromUtf8, toBase64, utf8 } from './bytes.ts';
import { sign, type PrivateKey } from './ed25519.ts';

export const MANIFEST_PAYLOAD_TYPE = 'application/vnd.ccsp-signage.manifest+json';
export const ROOT_PAYLOAD_TYPE = 'application/vnd.ccsp-signage.root+json';

export interface EnvelopeSignature {
  keyid: string;
  sig: string;
}

/** The JSON form of a DSSE envelope, as it travels. */
export interface Envelope {
  payloadType: string;
  payload: string;
  signatures: EnvelopeSignature[];
}

/** An envelope whose base64 fields were decoded; signatures are not checked yet. */
export interface DecodedEnvelope {
  payloadType: string;
  payload: Uint8Array;
  signatures: { keyid: string; sig: Uint8Array }[];
}

/**
 * PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body,
 * LEN as ASCII decimal of the byte length (protocol.md).
 */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = utf8(payloadType);
  return concatBytes(utf8(`DSSEv1 ${type.length} `), type, utf8(` ${payload.length} `), payload);
}

export class EnvelopeFormatError extends Error {
  override name = 'EnvelopeFormatError';
}

/**
 * Parses the bytes of an envelope file. Throws EnvelopeFormatError naming what is
 * wrong; nothing here says the envelope is trustworthy.
 */
export function decodeEnvelope(bytes: Uint8Array): DecodedEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(bytes));
  } catch {
    throw new EnvelopeFormatError('the envelope is not valid UTF-8 JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new EnvelopeFormatError('the envelope is not a JSON object');
  }
  const { payloadType, payload, signatures } = json as Record<string, unknown>;
  if (typeof payloadType !== 'string') throw new EnvelopeFormatError('"payloadType" must be a string');
  if (typeof payload !== 'string') throw new EnvelopeFormatError('"payload" must be a base64 string');
  if (!Array.isArray(signatures) || signatures.length === 0) {
    throw new EnvelopeFormatError('"signatures" must be a non-empty array');
  }
  let payloadBytes: Uint8Array;
  try {
    payloadBytes = fromBase64(payload);
  } catch (e) {
    throw new EnvelopeFormatError(`"payload" is not valid base64 (${(e as Error).message})`);
  }
  const decoded = signatures.map((s: unknown, i) => {
    const { keyid, sig } = (s ?? {}) as Record<string, unknown>;
    if (typeof keyid !== 'string' || typeof sig !== 'string') {
      throw new EnvelopeFormatError(`signatures[${i}] must have string "keyid" and "sig"`);
    }
    try {
      return { keyid, sig: fromBase64(sig) };
    } catch {
      throw new EnvelopeFormatError(`signatures[${i}].sig is not valid base64`);
    }
  });
  return { payloadType, payload: payloadBytes, signatures: decoded };
}

/** Signs the payload bytes with each key and returns the envelope as it is written to disk. */
export async function signEnvelope(
  payloadType: string,
  payload: Uint8Array,
  keys: PrivateKey[],
): Promise<Envelope> {
  const message = pae(payloadType, payload);
  const signatures = await Promise.all(
    keys.map(async (k) => ({ keyid: k.publicKey.keyid, sig: toBase64(await sign(k, message)) })),
  );
  return { payloadType, payload: toBase64(payload), signatures };
}

/** The canonical file form: two-space JSON and a final newline. */
export function envelopeToBytes(envelope: Envelope): Uint8Array {
  return utf8(`${JSON.stringify(envelope, null, 2)}\n`);
}
