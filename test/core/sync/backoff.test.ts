import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, parseRetryAfter, retryDelay } from '../../../src/core/index.ts';

describe('retryDelay (full jitter)', () => {
  it('draws between 0 and a cap that doubles from 10 s up to 1 h', () => {
    expect(retryDelay(1, 0.999999, undefined)).toBe(9999);
    expect(retryDelay(2, 0.5, undefined)).toBe(10_000);
    expect(retryDelay(1, 0, undefined)).toBe(0);
    expect(retryDelay(10, 0.999999, undefined)).toBeLessThan(3600_000);
    expect(retryDelay(10, 0.5, undefined)).toBe(1800_000);
    expect(retryDelay(1000, 0.5, undefined)).toBe(1800_000);
  });

  it('never retries before Retry-After, and caps what it obeys at a day', () => {
    expect(retryDelay(1, 0.1, 120_000)).toBe(120_000);
    expect(retryDelay(12, 0.9, 120_000)).toBe(Math.floor(0.9 * 3600_000));
    expect(retryDelay(1, 0, 30 * 86_400_000)).toBe(DEFAULT_BACKOFF.maxRetryAfterMs);
  });
});

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  const now = Date.parse('2026-11-15T10:00:00Z');
  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sun, 15 Nov 2026 10:05:00 GMT', now)).toBe(300_000);
    expect(parseRetryAfter('Sun, 15 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});
