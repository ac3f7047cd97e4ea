/**
 * GET /api/sign/v1/status (JSON) and /api/sign/v1/status.txt (key=value lines) for
 * the sign's firmware: a microcontroller with a 1–2 KB receive buffer, no clock
 * after a power cut and a naive HTTP client. The contract is docs/sign-protocol.md;
 * every response is written byte for byte here: Content-Length always (never
 * chunked), no compression, no cookies, Connection: close, a few small headers.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fitText, signStatus, type Manifest, type PowerState, type SignContent } from '../core/index.ts';
import type { ChannelStore } from './channel-store.ts';
import { writeFileAtomic } from './files.ts';
import type { PowerSource } from './power.ts';
import { tokenMatches, type TokenFile } from './sign-tokens.ts';

export const SIGN_MAX_BYTES = 512;

export type SignStatusBody = { v: 1; seq: number } & Omit<SignContent, 'v'>;

/** The change counter: it goes up whenever what the sign shows changes, across restarts too. */
export class SeqStore {
  private state: Record<string, { seq: number; hash: string }> = {};
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly path: string | undefined) {}

  static async open(dataDir: string | undefined): Promise<SeqStore> {
    const store = new SeqStore(dataDir ? join(dataDir, 'sign-seq.json') : undefined);
    if (store.path) {
      try {
        store.state = JSON.parse(await readFile(store.path, 'utf8')) as SeqStore['state'];
      } catch {
        store.state = {};
      }
    }
    return store;
  }

  seqFor(channel: string, content: SignContent): number {
    // t, poll and valid move every second without anything new to show.
    const { t: _t, poll: _p, valid: _v, ...shown } = content;
    const hash = createHash('sha256').update(JSON.stringify(shown)).digest('hex').slice(0, 16);
    const entry = this.state[channel];
    if (entry?.hash === hash) return entry.seq;
    // uint32, wrapping to 1 (0 is "never seen" on the firmware side).
    const seq = entry ? (entry.seq % 0xffffffff) + 1 : 1;
    this.state[channel] = { seq, hash };
    const path = this.path;
    if (path) {
      const snapshot = JSON.stringify(this.state);
      this.writing = this.writing.then(() => writeFileAtomic(path, snapshot)).catch(() => undefined);
    }
    return seq;
  }
}

/** Field order of the protocol; the text variant uses it too, with txt last and no txt_u. */
function body(content: SignContent, seq: number): SignStatusBody {
  const { v, t, tz, poll, valid, on, mode, bri, col, fx, spd, txt, txt_u, wk, fbo, fbc, pwr } = content;
  return { v, seq, t, tz, poll, valid, on, mode, bri, col, fx, spd, txt, txt_u, wk, fbo, fbc, pwr };
}

/** Keeps the JSON under the firmware's limit by shortening the texts, never by dropping fields. */
export function statusJson(b: SignStatusBody): string {
  let json = JSON.stringify(b);
  for (let max = 63; Buffer.byteLength(json) > SIGN_MAX_BYTES && max > 8; max -= 4) {
    json = JSON.stringify({ ...b, txt: fitText(b.txt, max), txt_u: fitText(b.txt_u, max, '…') });
  }
  return json;
}

export function statusText(b: SignStatusBody): string {
  const value = (v: unknown) =>
    typeof v === 'boolean' ? (v ? '1' : '0') : Array.isArray(v) ? v.flat().join(',') : String(v);
  const lines = Object.entries(b)
    .filter(([k]) => k !== 'txt' && k !== 'txt_u')
    .map(([k, v]) => `${k}=${value(v)}`);
  // Firmware reads txt to the end of the body: it comes last, and may hold "=".
  return `${lines.join('\n')}\ntxt=${b.txt}\n`;
}

export interface SignEndpointOptions {
  store: ChannelStore;
  seq: SeqStore;
  power: PowerSource;
  /** Tokens; an empty list leaves the endpoint open. Read again by `reloadTokens`. */
  tokens: () => TokenFile;
  defaultChannel: string | undefined;
}

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  type: string,
  payload: string,
  extra: Record<string, string> = {},
) {
  reply.hijack();
  const bytes = Buffer.from(payload, 'utf8');
  const headers: Record<string, string> = {
    'Content-Type': type,
    'Content-Length': String(bytes.length),
    ...extra,
    Connection: 'close',
  };
  reply.raw.writeHead(status, headers);
  reply.raw.end(request.method === 'HEAD' ? undefined : bytes);
}

/**
 * The status computed once and reused until it may change (`valid`), with the
 * clock fields brought up to date: signStatus runs the schedule engine, and the
 * endpoint answers every sign of the commune every few seconds.
 */
const computed = new Map<string, { manifest: object; power: PowerState; at: number; content: SignContent }>();
function statusFor(channel: string, manifest: Manifest, now: number, power: PowerState): SignContent {
  const hit = computed.get(channel);
  if (hit && hit.manifest === manifest && hit.power === power && now >= hit.at) {
    const elapsed = Math.floor((now - hit.at) / 1000);
    const valid = hit.content.valid - elapsed;
    if (valid > 0) {
      const { content } = hit;
      return { ...content, t: content.t + elapsed, valid, poll: Math.max(10, Math.min(content.poll, valid)) };
    }
  }
  const content = signStatus(manifest, now, power);
  computed.set(channel, { manifest, power, at: now - (now % 1000), content });
  return content;
}

export function registerSignEndpoint(app: FastifyInstance, options: SignEndpointOptions): void {
  const handler = (variant: 'json' | 'txt') => async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query as Record<string, unknown>;
    const type = variant === 'json' ? 'application/json' : 'text/plain; charset=us-ascii';
    const now = Math.floor(options.store.clock.now().now / 1000);
    const tokens = options.tokens();
    if (tokens.tokens.length > 0) {
      const auth = request.headers.authorization;
      const bearer = typeof auth === 'string' && /^Bearer [^\s]+$/i.test(auth) ? auth.slice(7) : undefined;
      const tk = typeof query.tk === 'string' ? query.tk : undefined;
      if (!tokenMatches(tokens, bearer ?? tk)) {
        const payload =
          variant === 'json' ? JSON.stringify({ v: 1, err: 'auth', t: now }) : `v=1\nerr=auth\nt=${now}\n`;
        return send(request, reply, 401, type, payload, {
          'Cache-Control': 'no-store',
          'WWW-Authenticate': 'Bearer', // RFC 9110 §11.6.1
        });
      }
    }
    const channel = query.ch ?? options.defaultChannel;
    if (typeof channel !== 'string' || !/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/.test(channel)) {
      const payload =
        variant === 'json'
          ? JSON.stringify({ v: 1, err: 'channel', t: now })
          : `v=1\nerr=channel\nt=${now}\n`;
      return send(request, reply, 400, type, payload, { 'Cache-Control': 'no-store' });
    }
    const manifest = await options.store.manifest(channel);
    if (!manifest) {
      const payload =
        variant === 'json' ? JSON.stringify({ v: 1, err: 'nodata', t: now }) : `v=1\nerr=nodata\nt=${now}\n`;
      return send(request, reply, 503, type, payload, { 'Retry-After': '60', 'Cache-Control': 'no-store' });
    }
    const content = statusFor(channel, manifest, options.store.clock.now().now, await options.power.read());
    const b = body(content, options.seq.seqFor(channel, content));
    const etag = `"${b.seq}"`;
    const headers = { ETag: etag, 'Cache-Control': `max-age=${b.poll}, no-transform` };
    const inm = request.headers['if-none-match'];
    if (typeof inm === 'string' && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
      reply.hijack();
      reply.raw.writeHead(304, { ...headers, Connection: 'close' });
      return reply.raw.end();
    }
    return send(request, reply, 200, type, variant === 'json' ? statusJson(b) : statusText(b), headers);
  };
  app.get('/api/sign/v1/status', handler('json'));
  app.get('/api/sign/v1/status.txt', handler('txt'));
}
