/**
 * The media library's HTTP API against a real editor server (real SQLite file,
 * real sockets), with the real sample media from assets/.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateSourcePlaylist } from '../../src/core/index.ts';
import { auditEntries } from '../../src/server/editor/audit.ts';
import { startEditorServer, type EditorServer } from './editor-server.ts';
import { makeZip } from './editor-media-zip.ts';
import { sampleWithAbsolutePaths } from '../sample-playlist.ts';

const HLS = 'assets/hls/casier-judiciaire';
const HLS_FILES = ['index.m3u8', 'init.mp4', 'seg000.m4s', 'seg001.m4s', 'seg002.m4s', 'seg003.m4s'];
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface Media {
  name: string;
  type: string;
  bytes: number;
  originalName: string;
  uploadedBy: string;
  usedBy: { channel: string; item: string; where: string }[];
}

describe('media library API (real server, real SQLite file)', () => {
  let server: EditorServer;
  let libraryDir: string;
  let cookie: string;
  let reader: string;

  beforeAll(async () => {
    // Small limits, set as an operator would (this test file runs in its own process).
    process.env.CCSP_MAX_IMAGE_MB = String(20_000 / 1048576);
    process.env.CCSP_MAX_CAPTIONS_MB = String(1_000 / 1048576);
    server = await startEditorServer();
    delete process.env.CCSP_MAX_IMAGE_MB;
    delete process.env.CCSP_MAX_CAPTIONS_MB;
    libraryDir = join(server.dataDir, 'library');
    await server.createUser('awa', 'redacteur');
    await server.createUser('admin', 'admin');
    cookie = await server.login('awa');
    reader = cookie;
  });
  afterAll(async () => {
    await server.close();
  });

  const upload = (filename: string, bytes: Uint8Array, headers: Record<string, string | undefined> = {}) =>
    server.fetchAs(cookie, 'POST', `media?filename=${encodeURIComponent(filename)}`, bytes, headers);
  const list = async (): Promise<Media[]> => {
    const res = await server.fetchAs(reader, 'GET', 'media');
    expect(res.status).toBe(200);
    return ((await res.json()) as { media: Media[] }).media;
  };
  const noTemporaryFiles = async () =>
    expect(await readdir(join(libraryDir, '.tmp')).catch(() => [])).toEqual([]);

  it('uploads an image, a caption file and a video, each named by its SHA-256', async () => {
    for (const [file, name, type] of [
      ['assets/images/etape-1.svg', 'Étape 1.svg', 'image/svg+xml'],
      ['assets/video/casier-judiciaire.fr.vtt', 'casier.fr.vtt', 'text/vtt'],
      ['assets/video/casier-judiciaire.mp4', 'casier.mp4', 'video/mp4'],
      ['assets/video/casier-judiciaire.webm', 'casier.webm', 'video/webm'],
    ] as const) {
      const bytes = await readFile(file);
      const res = await upload(name, bytes, { 'content-type': type });
      expect(res.status).toBe(201);
      const { media } = (await res.json()) as { media: Media };
      expect(media).toMatchObject({
        name: `${sha(bytes)}.${file.split('.').pop()}`,
        type,
        bytes: bytes.length,
        originalName: name,
        uploadedBy: 'awa',
        usedBy: [],
      });
    }
    expect(await list()).toHaveLength(4);
    const uploads = auditEntries(server.db).filter((e) => e.action === 'media-upload');
    expect(uploads).toHaveLength(4);
    expect(uploads[0]).toMatchObject({ user: 'awa', detail: { originalName: 'casier.webm' } });
  });

  it('keeps one entry for the same bytes uploaded twice', async () => {
    const bytes = await readFile('assets/video/casier-judiciaire-poster.webp');
    const first = (await (await upload('affiche.webp', bytes)).json()) as { media: Media };
    const res = await upload('affiche (copie).webp', bytes);
    expect(res.status).toBe(201);
    expect(((await res.json()) as { media: Media }).media).toEqual(first.media);
    expect((await list()).filter((m) => m.name === first.media.name)).toHaveLength(1);
    expect(await readdir(libraryDir)).toContain(first.media.name);
  });

  it('refuses content that lies about its type (415 bad-type), and keeps nothing', async () => {
    const before = await list();
    const png = Buffer.from('89504e470d0a1a0a0000000d494844520000000100000001', 'hex');
    for (const [name, bytes] of [
      ['clip.mp4', png],
      ['photo.webp', Buffer.from('Ceci est du texte, pas une image.\n')],
      ['programme.exe', png],
    ] as const) {
      const res = await upload(name, bytes);
      expect(res.status).toBe(415);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('bad-type');
      expect(body.error.message).toMatch(/Envoyez une image/);
    }
    expect(await list()).toEqual(before);
    await noTemporaryFiles();
  });

  it('refuses an upload over the limit (413 too-large) while streaming, and keeps nothing', async () => {
    const before = await list();
    const svg = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg">${'<rect width="1" height="1"/>'.repeat(1000)}</svg>`,
    );
    // Announced with Content-Length: refused before a byte is read.
    const declared = await upload('grand.svg', svg);
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: { code: string } }).error.code).toBe('too-large');
    // Chunked (no Content-Length): counted as it comes.
    const chunked = await fetch(`${server.url}/api/editor/media?filename=grand.svg`, {
      method: 'POST',
      headers: { cookie, origin: server.url, 'content-type': 'image/svg+xml' },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < svg.length; i += 4096) controller.enqueue(svg.subarray(i, i + 4096));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as { error: { code: string } }).error.code).toBe('too-large');
    expect(await list()).toEqual(before);
    await noTemporaryFiles();
  });

  it('refuses file names with .., a slash or control characters (400 bad-name)', async () => {
    const svg = await readFile('assets/images/etape-2.svg');
    for (const name of ['../../etc/passwd.svg', 'dossier/etape.svg', 'a\\b.svg', 'bonjour\u0007.svg', '']) {
      const res = await upload(name, svg);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad-name');
    }
    const bad = await server.fetchAs(reader, 'GET', `media/${encodeURIComponent('../ccsp.sqlite')}`);
    expect(bad.status).toBe(400);
  });

  it('needs a session, and the server’s own Origin to upload', async () => {
    const svg = await readFile('assets/images/etape-3.svg');
    expect((await server.fetchAs(undefined, 'GET', 'media')).status).toBe(401);
    expect((await server.fetchAs(undefined, 'POST', 'media?filename=a.svg', svg)).status).toBe(401);
    const res = await upload('a.svg', svg, { origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad-origin');
    expect((await upload('a.svg', svg, { origin: undefined })).status).toBe(403);
  });

  let hlsName: string;

  it('takes an HLS rendition as a folder (multipart, paths kept), once', async () => {
    const post = async () => {
      const form = new FormData();
      for (const f of [...HLS_FILES, '.DS_Store']) {
        const bytes = f === '.DS_Store' ? Buffer.from('junk') : await readFile(join(HLS, f));
        form.append('file', new Blob([bytes]), `casier-judiciaire/${f}`);
      }
      return fetch(`${server.url}/api/editor/media/hls`, {
        method: 'POST',
        headers: { cookie, origin: server.url },
        body: form,
      });
    };
    const res = await post();
    expect(res.status).toBe(201);
    const { media } = (await res.json()) as { media: Media };
    expect(media.name).toMatch(/^hls\/[0-9a-f]{64}\/index\.m3u8$/);
    expect(media).toMatchObject({ type: 'application/vnd.apple.mpegurl', originalName: 'casier-judiciaire' });
    hlsName = media.name;
    const folder = join(libraryDir, ...media.name.split('/').slice(0, 2));
    expect((await readdir(folder)).sort()).toEqual(HLS_FILES);
    expect((await (await post()).json()) as { media: Media }).toEqual({ media });
    expect((await list()).filter((m) => m.name.startsWith('hls/'))).toHaveLength(1);
    await noTemporaryFiles();
  });

  it('refuses a folder upload with a ../ path (400 bad-name), and keeps nothing', async () => {
    const before = await list();
    const form = new FormData();
    form.append('file', new Blob([await readFile(join(HLS, 'index.m3u8'))]), 'casier/index.m3u8');
    form.append('file', new Blob(['#!/bin/sh\n']), 'casier/../../evil.m4s');
    const res = await fetch(`${server.url}/api/editor/media/hls`, {
      method: 'POST',
      headers: { cookie, origin: server.url },
      body: form,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad-name');
    expect(await list()).toEqual(before);
    await noTemporaryFiles();
  });

  it('a repeated filename is 400 bad-name, not a 500', async () => {
    const zip = makeZip(
      await Promise.all(HLS_FILES.map(async (f) => ({ name: f, data: await readFile(join(HLS, f)) }))),
    );
    for (const path of ['media/hls?filename=a.zip&filename=b.zip', 'media?filename=a.png&filename=b.png']) {
      const res = await server.fetchAs(cookie, 'POST', path, zip);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad-name');
    }
  });

  it('takes the same rendition as a .zip, and serves its playlist and segments', async () => {
    const zip = makeZip(
      await Promise.all(
        HLS_FILES.map(async (f) => ({ name: `casier/${f}`, data: await readFile(join(HLS, f)) })),
      ),
    );
    const res = await server.fetchAs(cookie, 'POST', 'media/hls?filename=casier.zip', zip, {
      'content-type': 'application/zip',
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { media: Media }).media.name).toBe(hlsName);
    // Each upload is audited (the folder twice, the zip), each with the name it came with.
    const audited = auditEntries(server.db).filter(
      (e) => e.action === 'media-upload' && e.detail.name === hlsName,
    );
    expect(audited.map((e) => e.detail.originalName)).toEqual([
      'casier.zip',
      'casier-judiciaire',
      'casier-judiciaire',
    ]);

    const playlist = await server.fetchAs(reader, 'GET', `media/${hlsName}`);
    expect(playlist.status).toBe(200);
    expect(playlist.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(await playlist.text()).toBe(await readFile(join(HLS, 'index.m3u8'), 'utf8'));
    const segment = await server.fetchAs(
      reader,
      'GET',
      `media/${hlsName.replace('index.m3u8', 'seg001.m4s')}`,
    );
    expect(Buffer.from(await segment.arrayBuffer())).toEqual(await readFile(join(HLS, 'seg001.m4s')));
    await noTemporaryFiles();
  });

  it('takes a multivariant rendition: the top playlist becomes index.m3u8, variants keep their folders', async () => {
    const variant = 'rendition-720p-francais-sous-titres-fon';
    const master = [
      '#EXTM3U',
      '#EXT-X-STREAM-INF:BANDWIDTH=200000,RESOLUTION=640x360',
      `${variant}/index.m3u8`,
      '',
    ].join('\n');
    const zip = makeZip([
      { name: 'master.m3u8', data: Buffer.from(master) },
      ...(await Promise.all(
        HLS_FILES.map(async (f) => ({ name: `${variant}/${f}`, data: await readFile(join(HLS, f)) })),
      )),
    ]);
    const res = await server.fetchAs(cookie, 'POST', 'media/hls?filename=multi.zip', zip);
    expect(res.status).toBe(201);
    const { media } = (await res.json()) as { media: Media };
    const base = media.name.replace('index.m3u8', '');
    const top = await server.fetchAs(reader, 'GET', `media/${media.name}`);
    expect(await top.text()).toBe(master);
    const segment = await server.fetchAs(reader, 'GET', `media/${base}${variant}/seg003.m4s`);
    expect(segment.status).toBe(200);
    expect(segment.headers.get('content-type')).toBe('video/iso.segment');
    expect(Buffer.from(await segment.arrayBuffer())).toEqual(await readFile(join(HLS, 'seg003.m4s')));
  });

  it('refuses a .zip with a ../evil entry (400 bad-name), and keeps nothing', async () => {
    const before = await list();
    const zip = makeZip([
      { name: 'index.m3u8', data: await readFile(join(HLS, 'index.m3u8')) },
      { name: '../evil', data: Buffer.from('#!/bin/sh\n') },
    ]);
    const res = await server.fetchAs(cookie, 'POST', 'media/hls?filename=x.zip', zip);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad-name');
    expect(await list()).toEqual(before);
    await noTemporaryFiles();
    expect(await readdir(server.dataDir)).not.toContain('evil');
  });

  it('says which drafts and published playlists use a file', async () => {
    const poster = await readFile('assets/video/casier-judiciaire-poster.webp');
    const vtt = await readFile('assets/video/casier-judiciaire.fr.vtt');
    const sample = await sampleWithAbsolutePaths();
    const video = sample.items.find((i) => i.kind === 'video')!;
    const checked = validateSourcePlaylist({
      ...sample,
      items: [
        {
          ...video,
          file: undefined,
          hls: hlsName,
          poster: `${sha(poster)}.webp`,
          captions: [{ lang: 'fr', label: 'Français', file: `${sha(vtt)}.vtt` }],
        },
      ],
    });
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    const admin = await server.login('admin');
    const created = await server.fetchAs(admin, 'POST', 'channels', {
      id: 'ccsp-lokossa',
      name: 'CCSP de Lokossa',
    });
    expect(created.status).toBe(201);
    const channel = (await (await server.fetchAs(cookie, 'GET', 'channels/ccsp-lokossa')).json()) as {
      draft: { revision: number };
    };
    const saved = await server.fetchAs(cookie, 'PUT', 'channels/ccsp-lokossa/draft', {
      playlist: { ...checked.value, channel: 'ccsp-lokossa' },
      revision: channel.draft.revision,
    });
    expect(saved.status, await saved.clone().text()).toBe(200);
    const media = await list();
    const uses = (name: string) => media.find((m) => m.name === name)?.usedBy;
    const use = [{ channel: 'ccsp-lokossa', item: video.id, where: 'draft' }];
    expect(uses(hlsName)).toEqual(use);
    expect(uses(`${sha(poster)}.webp`)).toEqual(use);
    expect(uses(`${sha(vtt)}.vtt`)).toEqual(use);
    expect(uses(`${sha(await readFile('assets/video/casier-judiciaire.mp4'))}.mp4`)).toEqual([]);

    // Submitted and approved by someone else: the draft is gone, the published version uses it.
    const draft = (await saved.json()) as { draft: { revision: number } };
    expect((await server.fetchAs(cookie, 'POST', 'channels/ccsp-lokossa/submit', draft.draft)).status).toBe(
      200,
    );
    await server.createUser('bio', 'validateur');
    const approved = await server.fetchAs(
      await server.login('bio'),
      'POST',
      'channels/ccsp-lokossa/approve',
      draft.draft,
    );
    expect(approved.status, await approved.clone().text()).toBe(200);
    const after = await list();
    expect(after.find((m) => m.name === hlsName)?.usedBy).toEqual([
      { channel: 'ccsp-lokossa', item: video.id, where: 'published' },
    ]);
  });

  it('serves a file with Range (206) and ETag (304) for previews', async () => {
    const mp4 = await readFile('assets/video/casier-judiciaire.mp4');
    const name = `${sha(mp4)}.mp4`;
    const res = await server.fetchAs(reader, 'GET', `media/${name}`, undefined, { range: 'bytes=100-199' });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 100-199/${mp4.length}`);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(mp4.subarray(100, 200));
    const again = await server.fetchAs(reader, 'GET', `media/${name}`, undefined, {
      'if-none-match': res.headers.get('etag')!,
    });
    expect(again.status).toBe(304);
    const svg = await server.fetchAs(
      reader,
      'GET',
      `media/${sha(await readFile('assets/images/etape-1.svg'))}.svg`,
    );
    expect(svg.headers.get('content-security-policy')).toMatch(/sandbox/);
    const missing = await server.fetchAs(reader, 'GET', `media/${'0'.repeat(64)}.png`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not-found');
  });
});
