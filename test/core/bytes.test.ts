import { describe, expect, it } from 'vitest';
import { fromBase64, fromHex, fromUtf8, toBase64, toHex } from '../../src/core/index.ts';

describe('base64', () => {
  it('agrees with Node for every length from 0 to 64', () => {
    for (let n = 0; n <= 64; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      const expected = Buffer.from(bytes).toString('base64');
      expect(toBase64(bytes)).toBe(expected);
      expect(toHex(fromBase64(expected))).toBe(toHex(bytes));
    }
  });

  it.each(['A', 'AB=C', 'A B', 'é'])('rejects %j', (text) => {
    expect(() => fromBase64(text)).toThrow(TypeError);
  });
});

describe('hex and UTF-8', () => {
  it('round-trips hex and refuses odd or non-hex input', () => {
    expect(toHex(fromHex('00ff7a'))).toBe('00ff7a');
    expect(() => fromHex('abc')).toThrow(TypeError);
    expect(() => fromHex('zz')).toThrow(TypeError);
  });

  it('refuses invalid UTF-8 instead of replacing it', () => {
    expect(() => fromUtf8(Uint8Array.from([0xc3, 0x28]))).toThrow(TypeError);
  });
});
