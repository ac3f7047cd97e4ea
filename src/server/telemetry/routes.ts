/**
 * The telemetry endpoints of docs/telemetry.md: a player's heartbeat (every
 * server, box or publisher) and a box's forward batch (the publisher).
 *
 * Each body is read whole as bytes under its size cap, parsed, checked with the
 * valibot schema and stored in one transaction; anything malformed is a 400 with a
 * named error and nothing of it is stored. The answer (with its `ack`) is sent only
 * after the commit, so an acknowledged record is on disk.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { PowerState } from '../../core/index.ts';
import type { PowerSource } from '../power.ts';
import { check, ForwardSchema, HEARTBEAT_MAX_BYTES, HeartbeatSchema, type BodyProblem } from './schema.ts';
import { TooManyPlayers, type TelemetryStore } from './store.ts';

const gunzipAsync = promisify(gunzip);

export const HEARTBEAT_PATH = '/api/telemetry/v1/heartbeat';
export const FORWARD_PATH = '/api/telemetry/v1/forward';
/** A forward batch on the wire (gzip) and once decompressed. */
export const FORWARD_MAX_BYTES = 4 << 20;
export const FORWARD_MAX_DECOMPRESSED = 32 << 20;
export const DEFAULT_INTERVAL_S = 60;

export type DisplayState = 'on' | 'off';

export interface TelemetryRouteOptions {
  store: TelemetryStore;
  /** The centre's power state, told to every screen in the answer. */
  power?: PowerSource;
  /** Whether the channel's screens should be lit now (power management); 'on' by default. */
  display?: (channel: string) => DisplayState | Promise<DisplayState>;
  /** The heartbeat interval asked of the screens, in seconds. */
  intervalS?: number;
  /** Accept boxes' forward batches (the publisher). */
  acceptForward?: boolean;
  /**
   * The boxes' tokens (CCSP_FORWARD_TOKENS): a forward batch must carry one as
   * `Authorization: Bearer <token>`. Empty: any box is accepted (a warning at start).
   */
  forwardTokens?: readonly string[];
  now?: () => number;
}

const digest = (token: string) => createHash('sha256').update(token).digest();

/** Errors are `{error: {code, message, problems?}}` (English: players and boxes log them). */
function fail(reply: FastifyReply, status: number, code: string, message: string, problems?: BodyProblem[]) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .send({ error: { code, message, ...(problems ? { problems } : {}) } });
}

type Parsed = { ok: true; json: unknown } | { ok: false; code: string; message: string };

function parseJson(bytes: Buffer): Parsed {
  if (bytes.length === 0) return { ok: false, code: 'empty-body', message: 'the body is empty; send JSON' };
  try {
    return { ok: true, json: JSON.parse(bytes.toString('utf8')) };
  } catch (e) {
    return { ok: false, code: 'malformed-json', message: `the body is not JSON: ${(e as Error).message}` };
  }
}

/** Registers the telemetry endpoints (for AppOptions.routes). */
export function telemetryRoutes(options: TelemetryRouteOptions): (app: FastifyInstance) => void {
  const now = options.now ?? Date.now;
  const intervalS = options.intervalS ?? DEFAULT_INTERVAL_S;
  return (app) => {
    void app.register(async (scope) => {
      // Bodies are read as bytes whatever their type (a beacon sends text/plain) and parsed here.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
      scope.setErrorHandler((error: FastifyError, request, reply) => {
        if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
          return fail(reply, 400, 'too-large', `the body is larger than the limit for ${request.url}`);
        if ((error.statusCode ?? 500) < 500) return fail(reply, 400, 'bad-request', error.message);
        request.log.error(error);
        return fail(reply, 500, 'internal', 'internal error; retry later');
      });

      scope.post(HEARTBEAT_PATH, { bodyLimit: HEARTBEAT_MAX_BYTES }, async (request, reply) => {
        const parsed = parseJson(Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
        if (!parsed.ok) return fail(reply, 400, parsed.code, parsed.message);
        const checked = check(HeartbeatSchema, parsed.json);
        if (!checked.ok)
          return fail(
            reply,
            400,
            'invalid',
            'the heartbeat does not match docs/telemetry.md',
            checked.problems,
          );
        const hb = checked.value;
        const [power, display] = await Promise.all([
          options.power ? options.power.read() : ('ok' as PowerState),
          options.display ? options.display(hb.channel) : ('on' as DisplayState),
        ]);
        const at = now();
        let deferred: boolean;
        try {
          deferred = options.store.ingestHeartbeat(hb, at, intervalS).deferred;
        } catch (e) {
          if (e instanceof TooManyPlayers) return fail(reply, 503, 'too-many-players', e.message);
          throw e;
        }
        return reply.header('cache-control', 'no-store').send({
          // Past its hourly budget of plays, the status is kept and the batch is not
          // acknowledged: the player keeps it and sends it again later.
          ack: deferred ? null : (hb.plays?.batch ?? null),
          intervalS,
          power,
          display,
          serverTime: new Date(at).toISOString(),
        });
      });

      if (!options.acceptForward) return;
      const tokens = (options.forwardTokens ?? []).map(digest);
      scope.post(FORWARD_PATH, { bodyLimit: FORWARD_MAX_BYTES }, async (request, reply) => {
        if (tokens.length > 0) {
          const m = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
          const given = m ? digest(m[1]!) : undefined;
          // Compared as digests in constant time: the answer's timing tells nothing of a token.
          if (!given || !tokens.some((t) => timingSafeEqual(t, given)))
            return reply
              .code(401)
              .header('www-authenticate', 'Bearer realm="ccsp-telemetry"')
              .header('cache-control', 'no-store')
              .send({
                error: {
                  code: given ? 'bad-token' : 'no-token',
                  message:
                    'a forward batch needs Authorization: Bearer <the box token in CCSP_FORWARD_TOKEN>',
                },
              });
        }
        let bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
        if (encoding === 'gzip') {
          try {
            bytes = await gunzipAsync(bytes, { maxOutputLength: FORWARD_MAX_DECOMPRESSED });
          } catch (e) {
            return (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
              ? fail(
                  reply,
                  400,
                  'too-large',
                  `the batch is larger than ${FORWARD_MAX_DECOMPRESSED} bytes decompressed`,
                )
              : fail(reply, 400, 'bad-gzip', `the body is not valid gzip: ${(e as Error).message}`);
          }
        } else if (encoding !== 'identity') {
          return fail(
            reply,
            400,
            'bad-encoding',
            `Content-Encoding "${encoding}" is not supported; use gzip`,
          );
        }
        const parsed = parseJson(bytes);
        if (!parsed.ok) return fail(reply, 400, parsed.code, parsed.message);
        const checked = check(ForwardSchema, parsed.json);
        if (!checked.ok)
          return fail(reply, 400, 'invalid', 'the batch does not match docs/telemetry.md', checked.problems);
        try {
          options.store.ingestForward(checked.value, now());
        } catch (e) {
          if (e instanceof TooManyPlayers) return fail(reply, 503, 'too-many-players', e.message);
          throw e;
        }
        return reply.header('cache-control', 'no-store').send({ ack: checked.value.batch });
      });
    });
  };
}
