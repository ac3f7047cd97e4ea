/**
 * The fleet view's data (docs/editor-api.md "Fleet"): every published channel and
 * every channel a screen reports, with its screens and their state, judged with
 * each channel's opening hours (screen-state.ts).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from '../../core/index.ts';
import type { ChannelStore } from '../channel-store.ts';
import { frenchTitles } from './report.ts';
import type { ScreenStatus } from './schema.ts';
import { screenState, type ScreenState } from './screen-state.ts';
import type { TelemetryStore } from './store.ts';

export interface FleetScreen {
  id: string;
  name: string | null;
  state: ScreenState;
  /** The manifest version it plays. */
  version: number | null;
  item: string | null;
  /** The item's French title in the channel's published manifest; null when it is not in it. */
  itemTitle: string | null;
  lastSeen: string;
  painting: ScreenStatus['painting'] | null;
  power: ScreenStatus['power'] | null;
  clockSkewS: number | null;
  errors: NonNullable<ScreenStatus['errors']>;
  /** The centre's box it reports through, null when it reports to this server. */
  via: string | null;
}

export interface FleetChannel {
  id: string;
  name: string;
  published: { version: number; issued: string } | null;
  screens: FleetScreen[];
}

/** The channel ids published under publicDir/channels/. */
async function publishedIds(publicDir: string): Promise<string[]> {
  const entries = await readdir(join(publicDir, 'channels'), { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && /^[a-z0-9-]{1,64}$/.test(e.name)).map((e) => e.name);
}

export async function fleet(
  store: TelemetryStore,
  channels: ChannelStore,
  publicDir: string,
  now: number,
): Promise<{ channels: FleetChannel[] }> {
  const players = store.players();
  const boxes = store.boxes();
  const ids = new Set([...(await publishedIds(publicDir)), ...players.map((p) => p.channel)]);
  const manifests = new Map<string, Manifest | undefined>();
  for (const id of ids) manifests.set(id, await channels.manifest(id));
  const out: FleetChannel[] = [...ids].sort().map((id) => {
    const manifest = manifests.get(id);
    return {
      id,
      name: manifest?.site.name ?? id,
      published: manifest ? { version: manifest.version, issued: manifest.issued } : null,
      screens: [],
    };
  });
  const byId = new Map(out.map((c) => [c.id, c]));
  const titles = new Map([...manifests].map(([id, m]) => [id, frenchTitles(m)]));
  for (const p of players) {
    const box = p.via ? boxes.get(p.via) : undefined;
    byId.get(p.channel)!.screens.push({
      id: p.id,
      name: p.name,
      state: screenState({
        status: p.status,
        lastSeen: p.lastSeen,
        intervalS: p.intervalS,
        channel: manifests.get(p.channel),
        now,
        relay: box ? { lastContact: box.lastContact, everyS: box.everyS } : undefined,
      }),
      version: p.status.manifest?.version ?? null,
      item: p.status.item ?? null,
      itemTitle: p.status.item ? (titles.get(p.channel)?.get(p.status.item) ?? null) : null,
      lastSeen: new Date(p.lastSeen).toISOString(),
      painting: p.status.painting ?? null,
      power: p.status.power ?? null,
      clockSkewS: p.status.clockSkewS ?? null,
      errors: p.status.errors ?? [],
      via: p.via,
    });
  }
  return { channels: out };
}
