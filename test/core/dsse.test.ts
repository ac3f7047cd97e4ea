import { describe, expect, it } from 'vitest';
import { decodeEnvelope, EnvelopeFormatError, fromUtf8, pae, utf8 } from '../../src/core/index.ts';

describe('PAE', () => {
  it('matches the DSSE protocol example byte for byte', () => {
    // secure-systems-lab/dsse protocol.md, "Test vectors".
    expect(fromUtf8(pae('http://example.com/HelloWorld', utf8('hello world')))).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('counts bytes, not characters, for non-ASCII payloads (ɔ and è take two each)', () => {
    expect(fromUtf8(pae('t', utf8('Fɔngbè')))).toBe('DSSEv1 1 t 8 Fɔngbè');
  });

  it('keeps an empty payload distinct from a missing one', () => {
    expect(fromUtf8(pae('t', new Uint8Array()))).toBe('DSSEv1 1 t 0 ');
  });
});

describe('decodeEnvelope', () => {
  it('accepts URL-safe base64 as the DSSE envelope spec allows', () => {
    const env = decodeEnvelope(
      utf8(JSON.stringify({ payloadType: 't', payload: '-_8', signatures: [{ keyid: '', sig: 'AA' }] })),
    );
    expect([...env.payload]).toEqual([0xfb, 0xff]);
  });

  it('throws EnvelopeFormatError for a non-canonical encoding', () => {
    const bytes = utf8(
      JSON.stringify({ payloadType: 't', payload: 'AB==', signatures: [{ keyid: '', sig: 'AA' }] }),
    );
    expect(() => decodeEnvelope(bytes)).toThrow(EnvelopeFormatError);
  });
});
