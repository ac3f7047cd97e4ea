import { decodeEnvelope, EnvelopeFormatError, type DecodedEnvelope } from './dsse.ts';
import type { VerifyError } from './verify-errors.ts';

/**
 * The first two checks every signed document goes through: the envelope's shape,
 * then its exact payloadType (DESIGN.md "Verification order").
 */
export function openEnvelope(
  bytes: Uint8Array,
  payloadType: string,
): { ok: true; envelope: DecodedEnvelope } | { ok: false; error: VerifyError } {
  let envelope: DecodedEnvelope;
  try {
    envelope = decodeEnvelope(bytes);
  } catch (e) {
    if (!(e instanceof EnvelopeFormatError)) throw e;
    return { ok: false, error: { check: 'envelope', message: `malformed envelope: ${e.message}` } };
  }
  if (envelope.payloadType !== payloadType) {
    return {
      ok: false,
      error: {
        check: 'payload-type',
        message: `unexpected payloadType "${envelope.payloadType}", expected "${payloadType}"`,
        expected: payloadType,
        actual: envelope.payloadType,
      },
    };
  }
  return { ok: true, envelope };
}
