/**
 * The sample playlist as JSON with every "../…" media path made absolute, so a
 * changed copy written elsewhere still finds its media (Node tests only).
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PLAYLISTS = fileURLToPath(new URL('../playlists', import.meta.url));

export type PlaylistJson = Record<string, unknown> & { items: Record<string, unknown>[] };

export async function sampleWithAbsolutePaths(name = 'ccsp-lokossa'): Promise<PlaylistJson> {
  const absolute = (x: unknown): unknown =>
    typeof x === 'string' && x.startsWith('../')
      ? resolve(PLAYLISTS, x)
      : Array.isArray(x)
        ? x.map(absolute)
        : x && typeof x === 'object'
          ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, absolute(v)]))
          : x;
  const json = absolute(JSON.parse(await readFile(join(PLAYLISTS, `${name}.json`), 'utf8'))) as PlaylistJson;
  delete json.$schema;
  return json;
}
