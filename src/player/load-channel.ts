/**
 * Fetches the trust root and the channel manifest from the player's origin and
 * verifies them with the core functions. Which channel, and which root to pin,
 * come from the URL (`?channel=…&root=<sha256>`) or else from /config.json.
 */
import type { Manifest } from '../core/manifest-schema.ts';
import type { Fetcher, SyncStore } from '../core/sync/ports.ts';
import { verifyRoot, type TrustRoot } from '../core/trust.ts';
import type { VerifyError } from '../core/verify-errors.ts';
import { verifyManifest } from '../core/verify.ts';

export interface ChannelConfig {
  channel: string;
  /** SHA-256 fingerprint of the pinned root.json. */
  root: string;
}

export type LoadResult =
  | { ok: true; manifest: Manifest }
  | { ok: false; reason: 'config' | 'network'; message: string }
  | { ok: false; reason: 'rejected'; error: VerifyError };

export async function readConfig(
  search: string,
  fetchImpl: typeof fetch = fetch,
): Promise<ChannelConfig | undefined> {
  const params = new URLSearchParams(search);
  let channel = params.get('channel') ?? undefined;
  let root = params.get('root') ?? undefined;
  if (!channel || !root) {
    const response = await fetchImpl('/config.json', { cache: 'no-cache' });
    if (!response.ok) return undefined;
    const config = (await response.json()) as Partial<ChannelConfig>;
    channel ??= config.channel ?? undefined;
    root ??= config.root ?? undefined;
  }
  return channel && root ? { channel, root } : undefined;
}

async function bytesOf(url: string, fetchImpl: typeof fetch): Promise<Uint8Array> {
  const response = await fetchImpl(url, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export async function loadChannel(
  config: ChannelConfig,
  fetchImpl: typeof fetch = fetch,
  now = new Date(),
): Promise<LoadResult> {
  let rootBytes: Uint8Array;
  let manifestBytes: Uint8Array;
  try {
    rootBytes = await bytesOf('/trust/root.json', fetchImpl);
    manifestBytes = await bytesOf(`/channels/${encodeURIComponent(config.channel)}/manifest.json`, fetchImpl);
  } catch (e) {
    return { ok: false, reason: 'network', message: (e as Error).message };
  }
  const root = await verifyRoot(rootBytes, { fingerprint: config.root });
  if (!root.ok) return { ok: false, reason: 'rejected', error: root.error };
  const result = await verifyManifest(manifestBytes, { root: root.root, channel: config.channel, now });
  if (result.status === 'accepted') return { ok: true, manifest: result.manifest };
  if (result.status === 'rejected') return { ok: false, reason: 'rejected', error: result.error };
  return { ok: false, reason: 'config', message: 'unexpected unchanged result' };
}

/**
 * The sync engine's Fetcher over window.fetch. `no-store`: the engine sends its
 * own If-None-Match and must see the 304 itself, not a copy from the HTTP cache.
 */
export const windowFetcher: Fetcher = (url, init) =>
  fetch(url, { headers: init.headers, signal: init.signal, cache: 'no-store' });

/** How long the origin may take to give /config.json before the kept configuration is used. */
const CONFIG_TIMEOUT_MS = 3000;

/** The record under which the player keeps its channel and trust root, for a start without network. */
export const CONFIG_RECORD = 'player-config';

interface KeptConfig extends ChannelConfig {
  /** The root.json bytes whose SHA-256 is `root`. */
  rootBytes: Uint8Array;
}

export type OpenResult =
  | { ok: true; config: ChannelConfig; root: TrustRoot }
  | { ok: false; reason: 'config' | 'network'; message: string }
  | { ok: false; reason: 'rejected'; error: VerifyError };

/**
 * The channel to sync and its verified trust root (issue 5 "At boot"): from the
 * URL or /config.json and /trust/root.json when the origin answers, else from
 * what the store kept at the last start. A root is always checked against the
 * pinned fingerprint, kept or not.
 */
export async function openChannel(
  search: string,
  store: SyncStore,
  fetchImpl: typeof fetch = fetch,
): Promise<OpenResult> {
  const kept = (await store.getRecord(CONFIG_RECORD).catch(() => undefined)) as KeptConfig | undefined;
  const timed: typeof fetch = (input, init) =>
    fetchImpl(input, { ...init, signal: AbortSignal.timeout(CONFIG_TIMEOUT_MS) });
  const asked = await readConfig(search, timed).catch(() => undefined);
  const config = asked ?? (kept && { channel: kept.channel, root: kept.root });
  if (!config)
    return { ok: false, reason: 'config', message: 'no channel and root in the URL or /config.json' };
  let rootBytes = kept?.root === config.root ? kept.rootBytes : undefined;
  if (!rootBytes) {
    try {
      rootBytes = await bytesOf('/trust/root.json', timed);
    } catch (e) {
      return { ok: false, reason: 'network', message: (e as Error).message };
    }
  }
  const root = await verifyRoot(rootBytes, { fingerprint: config.root });
  if (!root.ok) return { ok: false, reason: 'rejected', error: root.error };
  if (kept?.channel !== config.channel || kept.root !== config.root) {
    const record: KeptConfig = { ...config, rootBytes };
    await store.putRecord(CONFIG_RECORD, record).catch(() => undefined);
  }
  return { ok: true, config, root: root.root };
}

export type KeptResult =
  | { ok: true; manifest: Manifest }
  | { ok: false; reason: 'none' }
  | { ok: false; reason: 'rejected'; error: VerifyError };

/**
 * The active manifest the sync engine committed to the store, verified again as the
 * engine's own boot does (its signature and channel, not its expiry: what was accepted
 * keeps playing), so that the first item needs neither the network nor the engine.
 */
export async function readKeptManifest(
  store: SyncStore,
  channel: string,
  root: TrustRoot,
  now: number,
): Promise<KeptResult> {
  const record = await store.getManifest(channel, 'active').catch(() => undefined);
  if (!record) return { ok: false, reason: 'none' };
  const result = await verifyManifest(record.envelope, {
    root,
    channel,
    now: new Date(now),
    checkExpiry: false,
  });
  if (result.status === 'accepted') return { ok: true, manifest: result.manifest };
  if (result.status === 'rejected') return { ok: false, reason: 'rejected', error: result.error };
  return { ok: false, reason: 'none' };
}
