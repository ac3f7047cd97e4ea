/**
 * `ccsp-signage serve --publisher` as a real child process: the sample playlists
 * imported into the editor at first start (media into the library, the manifest
 * already published kept), the first admin created with the CLI, and at the next
 * start the channel owned by the editor, not signed again from playlists/.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyManifest, type SourcePlaylist } from '../../src/core/index.ts';
import { openDataDir, publishDirectory } from '../../src/server/data-dir.ts';
import { openDatabase } from '../../src/server/db.ts';
import { cli, REPO } from '../cli/run-cli.ts';
import { freePort, startServe, stopServe, type ServeProcess } from './serve-process.ts';

const CHANNEL = 'ccsp-lokossa';
let tmp: string;
let dataDir: string;
let serve: ServeProcess | undefined;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ccsp-publisher-'));
  dataDir = join(tmp, 'data');
  // A stand-in player, so that no vite build runs.
  await mkdir(join(tmp, 'dist'), { recursive: true });
  await writeFile(join(tmp, 'dist', 'index.html'), '<!doctype html><title>ccsp</title>\n');
});
afterAll(async () => {
  if (serve) await stopServe(serve.child);
  await rm(tmp, { recursive: true, force: true });
});

async function start(port: number, playlists = join(REPO, 'playlists')) {
  serve = await startServe({
    args: ['--publisher', '--playlists', playlists],
    env: { CCSP_DATA_DIR: dataDir, PORT: String(port) },
    cwd: tmp,
  });
  return serve;
}

describe('serve --publisher', () => {
  it('imports the playlists once, then leaves the channels to the editor', async () => {
    // What plain `serve` published before: the import keeps that version.
    const data = await openDataDir(dataDir);
    const [before] = await publishDirectory(join(REPO, 'playlists'), data);
    expect(before).toMatchObject({ channel: CHANNEL, version: 1 });
    const manifestBefore = await readFile(join(data.publicDir, 'channels', CHANNEL, 'manifest.json'));

    const port = await freePort();
    const first = await start(port);
    const out = first.output();
    expect(out).toContain(`channel ${CHANNEL}: imported from`);
    expect(out).toContain('as version 1 (the published manifest kept)');
    expect(out).toContain(`editor       http://127.0.0.1:${port}/editor/`);
    expect(out).toContain('Pas encore de compte administrateur');
    expect(out).toContain('No administrator account yet');
    expect(out).toContain('npx ccsp-signage user add <login> --role admin --name "…"');
    expect(await readFile(join(data.publicDir, 'channels', CHANNEL, 'manifest.json'))).toEqual(
      manifestBefore,
    );

    // The playlist's media are in the library, and the recorded playlist names them so.
    const db = openDatabase(dataDir);
    const version = db.prepare('SELECT * FROM versions WHERE channel = ?').get(CHANNEL) as {
      version: number;
      author: string;
      playlist: string;
    };
    db.close();
    expect(version).toMatchObject({ version: 1, author: 'import' });
    const playlist = JSON.parse(version.playlist) as SourcePlaylist;
    const first0 = playlist.items[0]!;
    expect(first0.kind === 'announcement' && first0.image).toMatch(/^[0-9a-f]{64}\.svg$/);
    const video = playlist.items.find((i) => i.kind === 'video');
    expect(video?.kind === 'video' && video.hls).toMatch(/^hls\/[0-9a-f]{64}\/index\.m3u8$/);
    const library = await readdir(join(dataDir, 'library'));
    expect(library).toContain((first0.kind === 'announcement' && first0.image) || '');

    // The first admin, from the command line; then the editor answers.
    const add = await cli(['user', 'add', 'admin', '--role', 'admin', '--name', 'Admin CCSP'], {
      env: { CCSP_DATA_DIR: dataDir, CCSP_PASSWORD: 'a password long enough' },
    });
    expect(add.stdout).toBe('added admin "admin" (Admin CCSP)\n');
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/editor/login`, {
      method: 'POST',
      headers: { origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: 'a password long enough' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const channels = (await (await fetch(`${base}/api/editor/channels`, { headers: { cookie } })).json()) as {
      channels: { id: string; published: { version: number; by: string } }[];
    };
    expect(channels.channels).toEqual([
      expect.objectContaining({
        id: CHANNEL,
        published: expect.objectContaining({ version: 1, by: 'import' }),
      }),
    ]);
    // The media library's routes are there too.
    const media = await fetch(`${base}/api/editor/media`, { headers: { cookie } });
    expect(media.status).toBe(200);
    await stopServe(first.child);

    // Next start: the editor owns the channel; its playlists/ file is not read further,
    // so one that has gone stale or invalid does not stop the server.
    const later = join(tmp, 'playlists');
    await mkdir(later);
    await writeFile(join(later, `${CHANNEL}.json`), JSON.stringify({ channel: CHANNEL, items: 'cassé' }));
    const second = await start(port, later);
    expect(second.output()).toContain(
      `channel ${CHANNEL}: version 1, owned by the editor (its file in ${later} is not signed again: change it in the editor)`,
    );
    expect(second.output()).not.toContain('No administrator account yet');
    const bytes = await readFile(join(data.publicDir, 'channels', CHANNEL, 'manifest.json'));
    expect(bytes).toEqual(manifestBefore);
    const verified = await verifyManifest(bytes, { root: data.root, now: new Date(), channel: CHANNEL });
    expect(verified.status).toBe('accepted');
    await stopServe(second.child);
    serve = undefined;

    // Plain `serve` on this folder would sign playlists/ over the editor's work: refused.
    const plain = await cli(['serve', '--playlists', join(REPO, 'playlists')], {
      cwd: tmp,
      env: { CCSP_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
    });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toBe(
      `ccsp-signage serve: the editor manages the channels of ${dataDir} (${CHANNEL}); run "ccsp-signage serve --publisher"\n`,
    );
  }, 120_000);
});
