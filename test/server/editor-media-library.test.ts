import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/server/db.ts';
import { MediaError, MediaLibrary } from '../../src/server/editor/media-library.ts';
import { unzipTo } from '../../src/server/editor/zip.ts';
import { buildManifestBody } from '../../src/server/publish.ts';
import { validateSourcePlaylist } from '../../src/core/index.ts';
import { makeZip } from './editor-media-zip.ts';
import { sampleWithAbsolutePaths } from '../sample-playlist.ts';

const HLS = 'assets/hls/casier-judiciaire';
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function rejection(p: Promise<unknown>): Promise<MediaError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof MediaError)) throw new Error(`expected a MediaError, got ${String(e)}`);
  return e;
}

describe('MediaLibrary (real SQLite file, real sample media)', () => {
  let dir: string;
  let db: Db;
  let library: MediaLibrary;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ccsp-media-'));
    db = openDatabase(dir);
    library = new MediaLibrary(db, join(dir, 'library'));
  });
  afterEach(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores a file once under <sha256>.<ext>, whatever its name, and lists it', async () => {
    const bytes = await readFile('assets/video/casier-judiciaire-poster.webp');
    const first = await library.addFile('assets/video/casier-judiciaire-poster.webp', 'affiche.webp', 'awa');
    expect(first).toMatchObject({
      name: `${sha(bytes)}.webp`,
      type: 'image/webp',
      kind: 'image',
      bytes: bytes.length,
      originalName: 'affiche.webp',
      uploadedBy: 'awa',
    });
    const again = await library.addFile('assets/video/casier-judiciaire-poster.webp', 'autre.webp', 'koffi');
    expect(again).toEqual(first);
    expect(library.list()).toEqual([first]);
    expect(await readFile(library.path(first.name))).toEqual(bytes);
    expect(await readdir(library.tmpDir)).toEqual([]);
  });

  it('takes an SVG behind an XML declaration, a generator comment and a DOCTYPE, and publishing takes it too', async () => {
    const svg = Buffer.from(
      [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<!-- Generator: Adobe Illustrator 27.0.0, SVG Export Plug-In . SVG Version: 6.00 Build 0)  -->',
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">',
        '<svg version="1.1" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>',
      ].join('\n'),
    );
    const entry = await library.addStream([svg], 'logo.svg', null);
    expect(entry.type).toBe('image/svg+xml');
    const sample = await sampleWithAbsolutePaths();
    const announcement = sample.items.find((i) => i.kind === 'announcement' && i.image)!;
    const playlist = validateSourcePlaylist({ ...sample, items: [{ ...announcement, image: entry.name }] });
    if (!playlist.ok) throw new Error(JSON.stringify(playlist.problems));
    const { body } = await buildManifestBody(join(dir, 'library', 'draft.json'), playlist.value);
    expect((body.items[0] as { image: { type: string } }).image.type).toBe('image/svg+xml');
  });

  it('refuses content that is not what the name says, and leaves nothing behind', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const e = await rejection(library.addStream([png], 'clip.mp4', null));
    expect([e.status, e.code]).toEqual([415, 'bad-type']);
    expect(e.message).toMatch(/n’est pas une vidéo MP4.*image PNG/);
    expect((await rejection(library.addStream([Buffer.from('hello')], 'a.webp', null))).code).toBe(
      'bad-type',
    );
    expect((await rejection(library.addStream([png], 'a.exe', null))).code).toBe('bad-type');
    expect(library.list()).toEqual([]);
    expect(await readdir(library.tmpDir)).toEqual([]);
  });

  it('refuses names with .., slashes or control characters, and names outside the library', async () => {
    for (const name of ['../x.png', 'a/b.png', 'a\\b.png', 'x..png', 'a\nb.png', '']) {
      expect((await rejection(library.addStream([], name, null))).code).toBe('bad-name');
    }
    for (const name of [
      '../ccsp.sqlite',
      '.tmp/x',
      `${'a'.repeat(64)}.exe`,
      'hls/x/index.m3u8',
      `hls/${'a'.repeat(64)}/../x`,
    ]) {
      expect(() => library.path(name)).toThrow(MediaError);
    }
    expect(library.path(`hls/${'a'.repeat(64)}/v720/seg.m4s`)).toBe(
      join(dir, 'library', 'hls', 'a'.repeat(64), 'v720', 'seg.m4s'),
    );
  });

  it('stops at the size limit while streaming', async () => {
    const small = new MediaLibrary(db, join(dir, 'library'), { captions: 100 });
    const vtt = Buffer.from(`WEBVTT\n\n${'00:00.000 --> 00:01.000\nBonjour\n\n'.repeat(10)}`);
    const e = await rejection(
      small.addStream([vtt.subarray(0, 64), vtt.subarray(64)], 'sous-titres.vtt', null),
    );
    expect([e.status, e.code]).toEqual([413, 'too-large']);
    expect(small.list()).toEqual([]);
    expect(await readdir(small.tmpDir)).toEqual([]);
  });

  it('adds the sample HLS rendition as hls/<id>/index.m3u8 with its segments, once', async () => {
    const entry = await library.addHlsFolder(HLS, 'awa');
    expect(entry.name).toMatch(/^hls\/[0-9a-f]{64}\/index\.m3u8$/);
    expect(entry).toMatchObject({
      kind: 'hls',
      type: 'application/vnd.apple.mpegurl',
      originalName: 'casier-judiciaire',
    });
    const folder = join(dir, 'library', ...entry.name.split('/').slice(0, 2));
    expect((await readdir(folder)).sort()).toEqual([
      'index.m3u8',
      'init.mp4',
      'seg000.m4s',
      'seg001.m4s',
      'seg002.m4s',
      'seg003.m4s',
    ]);
    expect(entry.bytes).toBe(283 + 1348 + 30226 + 30716 + 32571 + 31550);
    expect(await library.addHlsFolder(HLS, 'koffi')).toEqual(entry);
    expect(library.list()).toHaveLength(1);

    // A playlist saved in the library resolves the names like publish does.
    const poster = await library.addFile('assets/video/casier-judiciaire-poster.webp', 'p.webp', null);
    const captions = await library.addFile('assets/video/casier-judiciaire.fr.vtt', 'fr.vtt', null);
    expect(captions).toMatchObject({ kind: 'captions', type: 'text/vtt' });
    const sample = await sampleWithAbsolutePaths();
    const video = sample.items.find((i) => i.kind === 'video')!;
    const playlist = validateSourcePlaylist({
      ...sample,
      items: [
        {
          ...video,
          file: undefined,
          captions: [{ lang: 'fr', label: 'Français', file: captions.name }],
          hls: entry.name,
          poster: poster.name,
        },
      ],
    });
    if (!playlist.ok) throw new Error(JSON.stringify(playlist.problems));
    const { body } = await buildManifestBody(join(dir, 'library', 'draft.json'), playlist.value);
    const item = body.items[0] as { hls: { files: unknown[] }; duration: number };
    expect(item.hls.files).toHaveLength(6);
    expect(item.duration).toBe(8);
  });

  it('adds a zipped rendition (inside a folder, with junk) and finds the same id', async () => {
    const folder = await library.addHlsFolder(HLS, null);
    const files = ['index.m3u8', 'init.mp4', 'seg000.m4s', 'seg001.m4s', 'seg002.m4s', 'seg003.m4s'];
    const zip = makeZip([
      ...(await Promise.all(
        files.map(async (f) => ({ name: `export/casier/${f}`, data: await readFile(join(HLS, f)) })),
      )),
      { name: 'export/casier/.DS_Store', data: Buffer.from('junk') },
      { name: '__MACOSX/export/._index.m3u8', data: Buffer.from('junk') },
      { name: 'export/casier/source.mov', data: Buffer.from('not referenced') },
    ]);
    const zipPath = join(dir, 'r.zip');
    await writeFile(zipPath, zip);
    const unpacked = await unzipTo(zipPath, join(dir, 'unzipped'), { maxBytes: 1 << 20, maxEntries: 100 });
    const entry = await library.addHlsFiles(unpacked, 'r.zip', null, { consume: true });
    expect(entry.name).toBe(folder.name);
  });

  it('refuses zip entries outside the folder, zip bombs and missing segments', async () => {
    const zipPath = join(dir, 'r.zip');
    const unzip = async (entries: Parameters<typeof makeZip>[0], maxBytes = 1 << 20) => {
      await writeFile(zipPath, makeZip(entries));
      const out = join(dir, `u${Math.random()}`);
      return unzipTo(zipPath, out, { maxBytes, maxEntries: 100 });
    };
    const m3u8 = await readFile(join(HLS, 'index.m3u8'));
    for (const name of ['../evil', 'a/../../evil', '/etc/evil', 'C:/evil']) {
      expect((await rejection(unzip([{ name, data: m3u8 }]))).code).toBe('bad-name');
    }
    // 10 MB of zeros deflate to about 10 kB; the cap stops it whatever the header says.
    const zeros = new Uint8Array(10 << 20);
    expect((await rejection(unzip([{ name: 'a.m4s', data: zeros }], 1 << 20))).code).toBe('too-large');
    expect((await rejection(unzip([{ name: 'a.m4s', data: zeros, claimSize: 100 }], 1 << 30))).code).toBe(
      'bad-type',
    );
    const partial = await unzip([
      { name: 'index.m3u8', data: m3u8 },
      { name: 'init.mp4', data: await readFile(join(HLS, 'init.mp4')) },
    ]);
    const e = await rejection(library.addHlsFiles(partial, 'r.zip', null));
    expect([e.status, e.code]).toEqual([422, 'invalid']);
    expect(e.message).toMatch(/seg000\.m4s/);
    expect(library.list()).toEqual([]);
  });

  it('refuses a rendition whose segment is not video, and one over the size limit', async () => {
    const files = (await readdir(HLS)).map((f) => ({ path: f, source: join(HLS, f) }));
    const fake = join(dir, 'fake.m4s');
    await writeFile(fake, '<html>portail captif</html>');
    const lying = files.map((f) => (f.path === 'seg002.m4s' ? { ...f, source: fake } : f));
    expect((await rejection(library.addHlsFiles(lying, 'x', null))).code).toBe('bad-type');
    expect((await rejection(library.addHlsFiles(files, 'x', null, { limits: { hls: 50_000 } }))).code).toBe(
      'too-large',
    );
    expect(library.list()).toEqual([]);
  });

  it('cleans temporary files a crash left, not those of an upload under way', async () => {
    const old = await library.tempPath('.part');
    const fresh = await library.tempPath('.part');
    await writeFile(old, 'x');
    await writeFile(fresh, 'y');
    await utimes(old, new Date(Date.now() - 2 * 3_600_000), new Date(Date.now() - 2 * 3_600_000));
    await library.cleanTemp();
    expect(await readdir(library.tmpDir)).toEqual([fresh.split('/').pop()]);
  });
});
