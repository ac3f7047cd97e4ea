/**
 * What `serve --publisher` adds: the editor's database, media library and routes,
 * and the channels of playlists/ imported once (import.ts).
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { DataDir } from '../data-dir.ts';
import { openDatabase } from '../db.ts';
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

export async function startPublisher(
  playlistsDir: string,
  data: DataDir,
  log: (line: string) => void = console.log,
): Promise<Publisher> {
  const db = openDatabase(data.dir);
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
    const accounts = new Accounts(db);
    return {
      channels: all.filter((c) => c.published).map((c) => c.id),
      // The editor's routes include the media library's.
      routes: [
        editorRoutes({ db, dataDir: data.dir, publicDir: data.publicDir, manifestKey: data.manifestKey }),
      ],
      hasAdmin: () => accounts.hasAdmin(),
      close: () => db.close(),
    };
  } catch (e) {
    db.close();
    throw e;
  }
}
