/**
 * Publishing the real sample channel with the real keys code, in temp folders:
 * versions, refusals, the copy that guards against a file changing under it,
 * and the data folder's keys and root.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYLISTS, sampleWithAbsolutePaths } from '../sample-playlist.ts';
import {
  decodeEnvelope,
  envelopeToBytes,
  MANIFEST_PAYLOAD_TYPE,
  signEnvelope,
  utf8,
  verifyManifest,
  verifyRoot,
  type Manifest,
  type VideoItem,
} from '../../src/core/index.ts';
import { openDataDir, publishDirectory, type DataDir } from '../../src/server/data-dir.ts';
import { UserError } from '../../src/server/errors.ts';
import { copyVerified, hashFile } from '../../src/server/files.ts';
import {
  manifestPath,
  mp4Duration,
  publishPlaylist,
  readPublishedManifest,
} from '../../src/server/publish.ts';

const SAMPLE = join(PLAYLISTS, 'ccsp-lokossa.json');
const ASSETS = fileURLToPath(new URL('../../assets', import.meta.url));
const CHANNEL = 'ccsp-lokossa';

type Json = Record<string, unknown> & { items: Record<string, unknown>[] };

let tmp: string;
let n = 0;
/** A fresh folder under this file's temp folder. */
async function freshDir(name: string): Promise<string> {
  const dir = join(tmp, `${name}-${n++}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

async function writePlaylist(dir: string, json: unknown): Promise<string> {
  const path = join(dir, `${CHANNEL}.json`);
  await writeFile(path, JSON.stringify(json, null, 2));
  return path;
}

const videoIndex = (json: Json) => json.items.findIndex((i) => i.kind === 'video');

/** The manifest published in data, verified as a player would. */
async function publishedManifest(data: DataDir): Promise<Manifest> {
  const bytes = await readFile(manifestPath(data.publicDir, CHANNEL));
  const result = await verifyManifest(bytes, { root: data.root, channel: CHANNEL, now: new Date() });
  if (result.status !== 'accepted') throw new Error(`published manifest not accepted: ${result.status}`);
  return result.manifest;
}

function videoOf(manifest: Manifest): VideoItem {
  const item = manifest.items.find((i): i is VideoItem => i.kind === 'video');
  if (!item) throw new Error('no video item');
  return item;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ccsp-publish-'));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('publishDirectory', () => {
  it('keeps the version of unchanged content and bumps it by one when the content changes', async () => {
    const data = await openDataDir(await freshDir('data'));

    expect(await publishDirectory(PLAYLISTS, data)).toEqual([{ channel: CHANNEL, version: 1, signed: true }]);
    const first = await readFile(manifestPath(data.publicDir, CHANNEL));

    expect(await publishDirectory(PLAYLISTS, data)).toEqual([
      { channel: CHANNEL, version: 1, signed: false },
    ]);
    // Kept means kept: not re-signed with new dates.
    expect((await readFile(manifestPath(data.publicDir, CHANNEL))).equals(first)).toBe(true);

    const changed = await sampleWithAbsolutePaths();
    changed.ticker = [{ text: 'Nouvelle annonce de test.', lang: 'fr' }];
    const playlists = await freshDir('playlists');
    await writePlaylist(playlists, changed);

    expect(await publishDirectory(playlists, data)).toEqual([{ channel: CHANNEL, version: 2, signed: true }]);
    const manifest = await publishedManifest(data);
    expect(manifest.version).toBe(2);
    expect(manifest.ticker).toEqual([{ text: 'Nouvelle annonce de test.', lang: 'fr' }]);

    // The same content from another folder (absolute paths) is still the same content.
    expect(await publishDirectory(playlists, data)).toEqual([
      { channel: CHANNEL, version: 2, signed: false },
    ]);
  });
});

describe('publishPlaylist', () => {
  it('refuses a version that is not above the published one', async () => {
    const data = await openDataDir(await freshDir('data'));
    const outDir = data.publicDir;
    await publishPlaylist(SAMPLE, { key: data.manifestKey, outDir, version: 5 });
    const before = await readFile(manifestPath(outDir, CHANNEL));

    for (const version of [5, 4]) {
      const e = await rejection(publishPlaylist(SAMPLE, { key: data.manifestKey, outDir, version }));
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).message).toContain(`version ${version} is not above the published version 5`);
    }
    expect((await readFile(manifestPath(outDir, CHANNEL))).equals(before)).toBe(true);

    const next = await publishPlaylist(SAMPLE, { key: data.manifestKey, outDir });
    expect(next.manifest.version).toBe(6);
  });

  it('replaces a damaged media file of the right size, and leaves a good one alone', async () => {
    const data = await openDataDir(await freshDir('data'));
    const outDir = data.publicDir;
    const first = await publishPlaylist(SAMPLE, { key: data.manifestKey, outDir });
    const mp4 = join(
      outDir,
      'media',
      (await readdir(join(outDir, 'media'))).find((f) => f.endsWith('.mp4'))!,
    );
    const bytes = await readFile(mp4);
    bytes[1000]! ^= 0xff; // same size, one byte wrong
    await writeFile(mp4, bytes);
    const second = await publishPlaylist(SAMPLE, { key: data.manifestKey, outDir });
    expect(second.copied).toBe(1);
    expect((await hashFile(mp4)).sha256).toBe(mp4.split('/').pop()!.split('.')[0]);
    expect(first.copied).toBe(first.mediaFiles);
  });

  it('refuses a media file whose extension lies, naming its JSON pointer', async () => {
    const data = await openDataDir(await freshDir('data'));
    const dir = await freshDir('lying');
    const fake = join(dir, 'x.mp4');
    await copyFile(join(ASSETS, 'video', 'casier-judiciaire.fr.vtt'), fake);
    const json = await sampleWithAbsolutePaths();
    const i = videoIndex(json);
    json.items[i]!.file = fake;
    const path = await writePlaylist(dir, json);

    const e = await rejection(publishPlaylist(path, { key: data.manifestKey, outDir: data.publicDir }));
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).message).toContain(`/items/${i}/file`);
    expect((e as UserError).message).toContain('text/vtt');
    expect(await readPublishedManifest(data.publicDir, CHANNEL)).toBeUndefined();
  });

  it('fills the video duration of the sample, which omits it', async () => {
    const json = await sampleWithAbsolutePaths();
    expect(json.items[videoIndex(json)]!.duration).toBeUndefined();

    const data = await openDataDir(await freshDir('data'));
    await publishPlaylist(SAMPLE, { key: data.manifestKey, outDir: data.publicDir });
    expect(videoOf(await publishedManifest(data)).duration).toBeCloseTo(8, 1);
  });

  it('fills the video duration from the HLS playlist when there is no MP4', async () => {
    const json = await sampleWithAbsolutePaths();
    delete json.items[videoIndex(json)]!.file;
    const path = await writePlaylist(await freshDir('hls-only'), json);

    const data = await openDataDir(await freshDir('data'));
    await publishPlaylist(path, { key: data.manifestKey, outDir: data.publicDir });
    const video = videoOf(await publishedManifest(data));
    expect(video.file).toBeUndefined();
    expect(video.hls?.files.length).toBeGreaterThan(2);
    expect(video.duration).toBeCloseTo(8, 1);
  });

  it('fills the video duration from the MP4 header when there is no HLS', async () => {
    const json = await sampleWithAbsolutePaths();
    delete json.items[videoIndex(json)]!.hls;
    const path = await writePlaylist(await freshDir('mp4-only'), json);

    const data = await openDataDir(await freshDir('data'));
    await publishPlaylist(path, { key: data.manifestKey, outDir: data.publicDir });
    const video = videoOf(await publishedManifest(data));
    expect(video.hls).toBeUndefined();
    expect(video.duration).toBeCloseTo(8, 1);
    expect(await mp4Duration(join(ASSETS, 'video', 'casier-judiciaire.mp4'))).toBeCloseTo(8, 1);
  });
});

describe('copyVerified', () => {
  it('copies a file whose hash is the expected one', async () => {
    const dir = await freshDir('copy');
    const source = join(dir, 'source.bin');
    await writeFile(source, 'the bytes that were hashed');
    const { sha256 } = await hashFile(source);
    const target = join(dir, 'media', `${sha256}.bin`);
    await copyVerified(source, target, sha256);
    expect(await readFile(target, 'utf8')).toBe('the bytes that were hashed');
    expect(await readdir(dirname(target))).toEqual([`${sha256}.bin`]);
  });

  it('leaves nothing behind when the file changed after it was hashed', async () => {
    const dir = await freshDir('copy');
    const source = join(dir, 'source.bin');
    await writeFile(source, 'the bytes that were hashed');
    const { sha256 } = await hashFile(source);
    await writeFile(source, 'the bytes someone saved afterwards');
    const target = join(dir, 'media', `${sha256}.bin`);

    const e = await rejection(copyVerified(source, target, sha256));
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).message).toContain(source);
    await expect(stat(target)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dirname(target))).toEqual([]);
  });
});

describe('openDataDir', () => {
  it('creates private keys and a self-signed root, and reuses them', async () => {
    const dir = await freshDir('data');
    const first = await openDataDir(dir);
    expect(first.created).toBe(true);
    for (const name of ['root.key.pem', 'manifest.key.pem']) {
      expect((await stat(join(dir, 'keys', name))).mode & 0o777).toBe(0o600);
    }

    const rootBytes = await readFile(join(first.publicDir, 'trust', 'root.json'));
    const result = await verifyRoot(rootBytes, { fingerprint: first.root.fingerprint });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.root.document.roles.manifest.keyids).toEqual([first.manifestKey.publicKey.keyid]);
      expect(result.root.document.roles.root.keyids).not.toContain(first.manifestKey.publicKey.keyid);
    }

    const keys = await readFile(join(dir, 'keys', 'manifest.key.pem'), 'utf8');
    const second = await openDataDir(dir);
    expect(second.created).toBe(false);
    expect(second.root.fingerprint).toBe(first.root.fingerprint);
    expect(second.manifestKey.publicKey.keyid).toBe(first.manifestKey.publicKey.keyid);
    expect(await readFile(join(dir, 'keys', 'manifest.key.pem'), 'utf8')).toBe(keys);
    expect((await readFile(join(second.publicDir, 'trust', 'root.json'))).equals(rootBytes)).toBe(true);
  });
});

describe('a manifest published by an older release', () => {
  it('is replaced after a schema change, with the next version number', async () => {
    const data = await openDataDir(await freshDir('data'));
    const outDir = data.publicDir;
    await publishPlaylist(SAMPLE, { key: data.manifestKey, outDir, version: 7 });
    // Make the published payload invalid under today's schema, as a schema change would.
    const old = JSON.parse(
      new TextDecoder().decode(decodeEnvelope(await readFile(manifestPath(outDir, CHANNEL))).payload),
    ) as Record<string, unknown>;
    delete old.sign;
    const env = await signEnvelope(MANIFEST_PAYLOAD_TYPE, utf8(JSON.stringify(old)), [data.manifestKey]);
    await writeFile(manifestPath(outDir, CHANNEL), envelopeToBytes(env));
    const [result] = await publishDirectory(PLAYLISTS, data);
    expect(result).toMatchObject({ channel: CHANNEL, version: 8, signed: true });
  });
});
