/**
 * Telemetry for `ccsp-signage serve` (docs/telemetry.md): on every server the
 * heartbeat endpoint and the staff routes (fleet, reports; answered once the editor
 * is on); on the publisher the forward endpoint; on a centre's box
 * (`--upstream`) the outbox and the forwarder to the upstream.
 */
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { ChannelStore } from '../channel-store.ts';
import { openDatabase, type Db } from '../db.ts';
import { UserError } from '../errors.ts';
import type { PowerSource } from '../power.ts';
import { telemetryEditorRoutes } from './editor-routes.ts';
import { Forwarder } from './forwarder.ts';
import { telemetryRoutes, type DisplayState } from './routes.ts';
import { TelemetryStore } from './store.ts';

export { TelemetryStore } from './store.ts';
export { telemetryRoutes } from './routes.ts';
export { telemetryEditorRoutes } from './editor-routes.ts';
export { Forwarder, httpSender } from './forwarder.ts';
export { screenState, openMs } from './screen-state.ts';

export interface ServeTelemetryOptions {
  dataDir: string;
  publicDir: string;
  channels: ChannelStore;
  power: PowerSource;
  display?: (channel: string) => DisplayState | Promise<DisplayState>;
  /** A centre's box: forward to this upstream. */
  upstream?: URL | undefined;
  /** This box's name at the publisher: CCSP_BOX_ID, else the host name. */
  box?: string | undefined;
  log?: (message: string) => void;
}

export interface ServeTelemetry {
  db: Db;
  store: TelemetryStore;
  routes: ((app: FastifyInstance) => void)[];
  forwarder: Forwarder | undefined;
  start(): void;
  stop(): Promise<void>;
}

/** The box's name: CCSP_BOX_ID, else the host name, reduced to [A-Za-z0-9_.-]. */
export function boxId(env: NodeJS.ProcessEnv = process.env): string {
  const name = (env.CCSP_BOX_ID ?? hostname()).replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 64);
  return name || 'box';
}

/**
 * Where a box forwards: CCSP_FORWARD_URL when set (another host than the mirror's
 * upstream, say when media come from a CDN), `off` for nowhere (nothing is queued
 * then), else the mirror's upstream.
 */
export function forwardTarget(
  upstream: URL | undefined,
  env: NodeJS.ProcessEnv = process.env,
): URL | undefined {
  if (!upstream) return undefined;
  const setting = env.CCSP_FORWARD_URL?.trim();
  if (!setting) return upstream;
  if (setting === 'off') return undefined;
  try {
    return new URL(setting);
  } catch {
    throw new UserError(
      `CCSP_FORWARD_URL must be a URL such as https://publisher.example/ or "off", not "${setting}"`,
    );
  }
}

/** The tokens a publisher accepts from boxes: CCSP_FORWARD_TOKENS, comma-separated. */
export function forwardTokensOf(env: NodeJS.ProcessEnv): string[] {
  return (env.CCSP_FORWARD_TOKENS ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

export function serveTelemetry(options: ServeTelemetryOptions): ServeTelemetry {
  const target = forwardTarget(options.upstream);
  const db = openDatabase(options.dataDir);
  const isBox = options.upstream !== undefined;
  const store = new TelemetryStore(db, target !== undefined);
  // The box's trusted time (never before the latest signed manifest): a box without a
  // battery-backed clock that boots in 1970 neither misdates records nor misleads screens.
  const now = () => Math.floor(options.channels.clock.now().now);
  const everyS = Number(process.env.CCSP_FORWARD_EVERY_S);
  const forwardTokens = forwardTokensOf(process.env);
  if (!isBox && forwardTokens.length === 0)
    (options.log ?? console.warn)(
      'telemetry: CCSP_FORWARD_TOKENS is not set, so any box may forward telemetry here; set it to the boxes’ tokens (comma-separated)',
    );
  const forwarder = target
    ? new Forwarder({
        store,
        upstream: target,
        box: options.box ?? boxId(),
        token: process.env.CCSP_FORWARD_TOKEN?.trim() || undefined,
        log: options.log,
        now,
        ...(everyS > 0 ? { everyMs: everyS * 1000 } : {}),
      })
    : undefined;
  return {
    db,
    store,
    forwarder,
    routes: [
      telemetryRoutes({
        store,
        power: options.power,
        display: options.display,
        acceptForward: !isBox,
        forwardTokens,
        now,
      }),
      telemetryEditorRoutes({ store, channels: options.channels, publicDir: options.publicDir, now }),
    ],
    start: () => forwarder?.start(),
    async stop() {
      await forwarder?.stop();
      db.close();
    },
  };
}
