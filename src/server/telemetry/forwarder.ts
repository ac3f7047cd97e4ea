/**
 * Store and forward on a centre's box (`serve --upstream`, docs/telemetry.md
 * "Box → publisher"): what the screens send is kept in the box's own tables, and
 * the new records and counts wait in an outbox until the upstream acknowledges the
 * batch that carried them. Batches are gzip-compressed, sent at most every few
 * minutes (the link is metered), retried with full-jitter back-off (core's
 * retryDelay, as the mirror does), and their rows deleted only on the ack; the
 * publisher stores each (player, id) once, so a batch resent after a lost answer
 * counts once.
 *
 * The loop is a `step()` that does at most one request and says when to call it
 * again: tests drive it with their own clock (a week of outage in milliseconds).
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { DEFAULT_BACKOFF, parseRetryAfter, retryDelay, type BackoffOptions } from '../../core/index.ts';
import { FORWARD_PATH } from './routes.ts';
import { FORWARD_MAX_HEARTBEATS } from './schema.ts';
import type { TelemetryStore } from './store.ts';

const gzipAsync = promisify(gzip);

export interface ForwardResponse {
  status: number;
  /** The parsed JSON answer, when there was one. */
  body: unknown;
  retryAfter: string | null;
}

/** Sends one gzip-compressed batch to the upstream's forward endpoint. */
export type ForwardSender = (gzipped: Buffer) => Promise<ForwardResponse>;

export interface ForwarderOptions {
  store: TelemetryStore;
  /** The upstream (the publisher): its /api/telemetry/v1/forward receives the batches. */
  upstream: URL;
  /** This box's name at the publisher. */
  box: string;
  /** Defaults to httpSender(upstream, token). */
  send?: ForwardSender;
  /** This box's token at the publisher (CCSP_FORWARD_TOKEN), sent as a Bearer token. */
  token?: string | undefined;
  now?: () => number;
  random?: () => number;
  /** Least time between two batches while there is something to send. */
  everyMs?: number;
  /** Longest time without a batch: a keep-alive tells the publisher the box is alive. */
  keepaliveMs?: number;
  /** How soon a screen's change of state (down, not painting, power) goes up. */
  changeDelayMs?: number;
  /** Records and counts per batch. */
  maxItems?: number;
  backoff?: BackoffOptions;
  log?: (message: string) => void;
}

export const DEFAULT_FORWARD_EVERY_MS = 5 * 60_000;
export const DEFAULT_KEEPALIVE_MS = 15 * 60_000;
export const DEFAULT_CHANGE_DELAY_MS = 30_000;
export const DEFAULT_FORWARD_ITEMS = 2000;
/** A step is never further away than this, so that new records are noticed. */
const MAX_SLEEP_MS = 60_000;

/** A lean POST on node:http(s): one connection per batch, no headers beyond the needed ones. */
export function httpSender(upstream: URL, timeoutMs = 60_000, token?: string): ForwardSender {
  const target = new URL(
    FORWARD_PATH.slice(1),
    upstream.href.endsWith('/') ? upstream.href : `${upstream.href}/`,
  );
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return (gzipped) =>
    new Promise((resolve, reject) => {
      const req = send(
        target,
        {
          method: 'POST',
          agent: false,
          timeout: timeoutMs,
          headers: {
            'content-type': 'application/json',
            'content-encoding': 'gzip',
            'content-length': gzipped.length,
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (res) => {
          const parts: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > 64 * 1024) res.destroy(new Error('the answer is larger than 64 KiB'));
            else parts.push(chunk);
          });
          res.on('error', reject);
          res.on('end', () => {
            let body: unknown;
            try {
              body = JSON.parse(Buffer.concat(parts).toString('utf8'));
            } catch {
              body = undefined;
            }
            const retryAfter = res.headers['retry-after'];
            resolve({ status: res.statusCode ?? 0, body, retryAfter: retryAfter ?? null });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer from ${target.origin} in ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(gzipped);
    });
}

interface Batch {
  id: string;
  first: number | undefined;
  last: number | undefined;
  count: number;
  players: { id: string; lastSeen: number }[];
  gzipped: Buffer;
}

export interface ForwarderState {
  /** Consecutive failed attempts. */
  failures: number;
  /** When the last batch was acknowledged. */
  lastAck: number | undefined;
  /** No attempt before this instant (back-off). */
  retryAt: number;
  lastError: string | undefined;
  /** Batches acknowledged since the start. */
  batches: number;
}

export class Forwarder {
  readonly state: ForwarderState = {
    failures: 0,
    lastAck: undefined,
    retryAt: 0,
    lastError: undefined,
    batches: 0,
  };
  private readonly now: () => number;
  private readonly send: ForwardSender;
  private readonly everyMs: number;
  private readonly keepaliveMs: number;
  private readonly changeDelayMs: number;
  private readonly maxSleepMs: number;
  private maxItems: number;
  private readonly started: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  private unsent: Batch | undefined;

  constructor(private readonly options: ForwarderOptions) {
    this.now = options.now ?? Date.now;
    this.send = options.send ?? httpSender(options.upstream, undefined, options.token);
    this.everyMs = options.everyMs ?? DEFAULT_FORWARD_EVERY_MS;
    this.keepaliveMs = options.keepaliveMs ?? DEFAULT_KEEPALIVE_MS;
    this.changeDelayMs = Math.min(options.changeDelayMs ?? DEFAULT_CHANGE_DELAY_MS, this.everyMs);
    this.maxSleepMs = Math.min(MAX_SLEEP_MS, this.everyMs);
    this.maxItems = options.maxItems ?? DEFAULT_FORWARD_ITEMS;
    this.started = this.now();
  }

  /** When a batch is due, from what is waiting; Infinity when nothing is. */
  private dueAt(): number {
    const { store } = this.options;
    const since = this.state.lastAck ?? this.started - this.everyMs;
    let due = since + this.keepaliveMs;
    const pending = store.outboxCount(this.maxItems);
    const { players } = store.unforwarded();
    // A backlog (after an outage) drains at once, batch after batch.
    if (pending >= this.maxItems) return this.state.retryAt;
    // Records wait at most everyMs; a heartbeat that only says "still playing" waits for the keep-alive.
    if (pending > 0) due = Math.min(due, since + this.everyMs);
    if (players.some((p) => p.changed)) due = Math.min(due, since + this.changeDelayMs);
    return Math.max(due, this.state.retryAt);
  }

  /**
   * Sends one batch if one is due; resolves with the milliseconds until the next
   * step should run.
   */
  async step(): Promise<number> {
    const now = this.now();
    const due = this.dueAt();
    if (due > now) return Math.min(due - now, this.maxSleepMs);
    await this.forwardOnce();
    return Math.min(Math.max(this.dueAt() - this.now(), 0), this.maxSleepMs);
  }

  /**
   * The batch to send: the one that failed last, as it was, while the outbox has
   * not moved (an outage retries the same bytes, compressed once); else a new one.
   */
  private async nextBatch(): Promise<Batch> {
    const { store, box } = this.options;
    const head = store.outboxHead(1)[0]?.seq;
    const count = store.outboxCount(this.maxItems);
    const cached = this.unsent;
    if (cached && cached.first !== undefined && cached.first === head && cached.count === count)
      return cached;
    const rows = store.outboxHead(this.maxItems);
    const players = store.unforwarded().players.slice(0, FORWARD_MAX_HEARTBEATS);
    const now = this.now();
    const first = rows[0]?.seq;
    const last = rows.at(-1)?.seq;
    const batch = first === undefined ? `${box}-k${now}` : `${box}-${first}-${last}`;
    const heartbeats = players.map((p) =>
      JSON.stringify({
        player: p.id,
        seenAt: new Date(p.lastSeen).toISOString(),
        intervalS: p.intervalS,
        firstSeen: new Date(p.firstSeen).toISOString(),
        ...p.status,
      }),
    );
    // The outbox keeps each row as the JSON it goes up as: joined, not parsed again.
    const json =
      `{"v":1,"box":${JSON.stringify(box)},"batch":${JSON.stringify(batch)},` +
      `"sentAt":"${new Date(now).toISOString()}","everyS":${Math.ceil(this.keepaliveMs / 1000)},` +
      `"heartbeats":[${heartbeats.join(',')}],` +
      `"records":[${rows
        .filter((r) => r.kind === 'record')
        .map((r) => r.body)
        .join(',')}],` +
      `"counts":[${rows
        .filter((r) => r.kind === 'count')
        .map((r) => r.body)
        .join(',')}]}`;
    const gzipped = await gzipAsync(json, { level: 9 });
    return {
      id: batch,
      first,
      last,
      count: rows.length,
      players: players.map((p) => ({ id: p.id, lastSeen: p.lastSeen })),
      gzipped,
    };
  }

  /** Builds (or takes back) one batch and sends it now, whatever is due; true when it was acknowledged. */
  async forwardOnce(): Promise<boolean> {
    const { store } = this.options;
    const { id: batch, first, last, players, gzipped } = (this.unsent = await this.nextBatch());
    let response: ForwardResponse;
    try {
      response = await this.send(gzipped);
    } catch (e) {
      this.failed(`${(e as Error).message}`, null);
      return false;
    }
    const ack = (response.body as { ack?: unknown } | undefined)?.ack;
    if (response.status === 200 && ack === batch) {
      store.acknowledge(first === undefined ? undefined : { first, last: last! }, players);
      this.unsent = undefined;
      Object.assign(this.state, { failures: 0, lastAck: this.now(), retryAt: 0, lastError: undefined });
      this.state.batches++;
      return true;
    }
    const code = (response.body as { error?: { code?: string } } | undefined)?.error?.code;
    // A batch the publisher finds too large goes again in halves.
    if (code === 'too-large' && this.maxItems > 1) {
      this.maxItems = Math.ceil(this.maxItems / 2);
      this.unsent = undefined;
    }
    this.failed(`HTTP ${response.status}${code ? ` ${code}` : ''}`, response.retryAfter);
    return false;
  }

  private failed(message: string, retryAfter: string | null): void {
    const now = this.now();
    this.state.failures++;
    this.state.lastError = message;
    const delay = retryDelay(
      this.state.failures,
      (this.options.random ?? Math.random)(),
      parseRetryAfter(retryAfter, now),
      this.options.backoff ?? DEFAULT_BACKOFF,
    );
    this.state.retryAt = now + delay;
    if (this.state.failures === 1 || this.state.failures % 10 === 0)
      this.options.log?.(
        `forwarding telemetry to ${this.options.upstream.origin} failed (${message}); ${this.options.store.outboxSize()} records and counts kept, next try in ${Math.round(delay / 1000)} s`,
      );
  }

  /** Runs step() on real timers until stop(). */
  start(): void {
    const loop = (delay: number) => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.running = this.step().then(loop, (e: unknown) => {
          this.options.log?.(`telemetry forwarder: ${(e as Error).message}`);
          loop(this.maxSleepMs);
        });
      }, delay);
      this.timer.unref();
    };
    loop(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
