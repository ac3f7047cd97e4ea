/**
 * When to poll again after a failure: exponential back-off with full jitter
 * (a random delay between 0 and the capped exponential), so that the boxes of
 * every centre do not retry in step after an outage, and never sooner than the
 * server asked with Retry-After.
 */

export interface BackoffOptions {
  /** The cap of the first retry's delay. */
  baseMs: number;
  /** The largest delay back-off alone gives. */
  maxMs: number;
  /** The longest Retry-After obeyed: a broken or hostile server cannot silence a box for weeks. */
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  baseMs: 10_000,
  maxMs: 3600_000,
  maxRetryAfterMs: 24 * 3600_000,
};

/**
 * The delay before the next attempt after `failures` consecutive failures (1 for
 * the first), with `random` in [0, 1) and the server's Retry-After if any.
 */
export function retryDelay(
  failures: number,
  random: number,
  retryAfterMs: number | undefined,
  options: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 40);
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  const jittered = Math.floor(random * cap);
  if (retryAfterMs === undefined) return jittered;
  return Math.max(jittered, Math.min(retryAfterMs, options.maxRetryAfterMs));
}

/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, in ms from `now`;
 * undefined when absent or unreadable, 0 for a date already past.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP-date names its day and month; Date.parse alone would read "-5" as a year.
  const date = /[A-Za-z]{3}/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
