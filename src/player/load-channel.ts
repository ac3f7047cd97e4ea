/**
 * Fetches the trust root and the channel manifest from the player's origin and
 * verifies them with the core functions. Which channel, and which root to pin,
 * come from the URL (`?channel=…&root=<sha256>`) or else from /config.json.
 */
import { verifyManifest, verifyRoot, type Manifest, type VerifyError } from '../core/index.ts';

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
