/**
 * What `serve --publisher` adds: the editor's database, media library and routes,
 * and the channels of playlists/ imported once (import.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import type { DataDir } from '../data-dir.ts';
import { DB_FILE, openDatabase } from '../db.ts';
import { UserError } from '../errors.ts';
import { Accounts } from './accounts.ts';
import { ChannelService } from './channels.ts';
import { importPlaylists } from './import.ts';
import { editorRoutes } from './index.ts';
import { MediaLibrary } from './media-library.ts';

export interface Publisher {
  /** Every channel the editor has published. */
  channels: string[];
  routes: ((app: FastifyInstance) => void)[];
  hasAdmin(): boolean;
  close(): void;
}

/** The channels the editor owns in a data folder, without creating its database. */
export function editorChannels(dataDir: string): string[] {
  const file = join(dataDir, DB_FILE);
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'channels'").get();
    if (!table) return [];
    return (db.prepare('SELECT id FROM channels ORDER BY id').all() as { id: string }[]).map((r) => r.id);
  } finally {
    db.close();
  }
}

/** How often the running server looks for manifests about to expire. */
const RENEW_EVERY_MS = 6 * 3600_000;

/** CCSP_PUBLIC_ORIGIN: the origin browsers see when a TLS proxy is in front. */
function parsePublicOrigin(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.origin !== value.replace(/\/$/, ''))
    throw new UserError(
      `CCSP_PUBLIC_ORIGIN must be an origin such as https://editeur.example (no path), not "${value}"`,
    );
  return url.origin;
}

export async function startPublisher(
  playlistsDir: string,
  data: DataDir,
  log: (line: string) => void = console.log,
): Promise<Publisher> {
  const publicOrigin = parsePublicOrigin(process.env.CCSP_PUBLIC_ORIGIN);
  const db = openDatabase(data.dir);
  let timer: NodeJS.Timeout | undefined;
  try {
    const library = new MediaLibrary(db, join(data.dir, 'library'));
    const channels = new ChannelService({
      db,
      libraryDir: library.dir,
      publicDir: data.publicDir,
      manifestKey: data.manifestKey,
    });
    const { imported, owned } = await importPlaylists(playlistsDir, { data, library, channels });
    for (const c of imported) {
      log(
        `channel ${c.channel}: imported from ${playlistsDir} into the editor as version ${c.version}${c.signed ? ' (signed now)' : ' (the published manifest kept)'}`,
      );
    }
    const all = channels.list();
    for (const c of all) {
      if (imported.some((i) => i.channel === c.id)) continue;
      log(
        `channel ${c.id}: ${c.published ? `version ${c.published.version}` : 'not published yet'}, owned by the editor${owned.includes(c.id) ? ` (its file in ${playlistsDir} is not signed again: change it in the editor)` : ''}`,
      );
    }
    // Editor channels are signed only on approval: keep them acceptable to new screens.
    const renew = async () => {
      const { renewed, failed } = await channels.renewExpiring();
      for (const r of renewed)
        log(`channel ${r.channel}: signed again as version ${r.version} (it was about to expire)`);
      for (const f of failed)
        log(`channel ${f.channel}: could not be signed again before it expires: ${f.error}`);
    };
    await renew();
    timer = setInterval(
      () => void renew().catch((e: unknown) => log(`renewal failed: ${String(e)}`)),
      RENEW_EVERY_MS,
    );
    timer.unref();
    const accounts = new Accounts(db);
    return {
      channels: all.filter((c) => c.published).map((c) => c.id),
      // The editor's routes include the media library's.
      routes: [
        editorRoutes({
          db,
          dataDir: data.dir,
          publicDir: data.publicDir,
          manifestKey: data.manifestKey,
          ...(publicOrigin ? { publicOrigin } : {}),
        }),
      ],
      hasAdmin: () => accounts.hasAdmin(),
      close: () => {
        clearInterval(timer);
        db.close();
      },
    };
  } catch (e) {
    clearInterval(timer);
    db.close();
    throw e;
  }
}
