/**
 * The box's mirror against a real HTTP upstream on 127.0.0.1 whose faults the test
 * controls, with real files for its store (issue 5 "Bad input and faults").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstValueFrom, filter, timeout } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeEnvelope,
  fromUtf8,
  manifestMedia,
  mediaFileName,
  type Manifest,
  type MediaFile,
  type SyncLogEntry,
  type SyncState,
} from '../../src/core/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { openDataDir, publishDirectory, type DataDir } from '../../src/server/data-dir.ts';
import { FileStore } from '../../src/server/file-store.ts';
import { startMirror, type MirrorHandle } from '../../src/server/mirror.ts';
import { signManifest } from '../fixtures.ts';
import { startUpstream, type Upstream } from './mirror-upstream.ts';

const PLAYLISTS = fileURLToPath(new URL('../../playlists', import.meta.url));
const CHILD = fileURLToPath(new URL('./mirror-child.ts', import.meta.url));
const CHANNEL = 'ccsp-lokossa';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let tmp: string;
let data: DataDir;
let upstream: Upstream;
let storeDir: string;
let mirror: MirrorHandle;
const logs: SyncLogEntry[] = [];

const manifestOf = (bytes: Uint8Array) => JSON.parse(fromUtf8(decodeEnvelope(bytes).payload)) as Manifest;
const upstreamManifestPath = () => join(data.publicDir, 'channels', CHANNEL, 'manifest.json');
const storedManifest = async (dir = storeDir) => readFile(join(dir, 'channels', CHANNEL, 'manifest.json'));

function channelState(handle: MirrorHandle, predicate: (s: SyncState) => boolean, ms = 15_000) {
  return firstValueFrom(
    handle.state$.pipe(
      filter((all) => predicate(all[CHANNEL]!)),
      timeout(ms),
    ),
  ).then((all) => all[CHANNEL]!);
}

/** Publishes the next version upstream, with new media files of the given sizes (needed now). */
async function publishNext(sizes: number[] = [], tweak: (m: Manifest) => Manifest = (m) => m) {
  const current = manifestOf(await readFile(upstreamManifestPath()));
  const files: { file: MediaFile; bytes: Uint8Array }[] = [];
  for (const size of sizes) {
    const bytes = new Uint8Array(size).map((_, i) => (i * 7 + current.version * 13 + size) & 0xff);
    bytes[0] = current.version;
    const file: MediaFile = { sha256: sha256(bytes), bytes: size, type: 'image/png' };
    await writeFile(join(data.publicDir, 'media', mediaFileName(file)), bytes);
    files.push({ file, bytes });
  }
  const now = Date.now();
  const next = tweak({
    ...current,
    version: current.version + 1,
    issued: new Date(now).toISOString(),
    expires: new Date(now + 30 * 86_400_000).toISOString(),
    items: [
      ...current.items,
      ...files.map(
        ({ file }, i) =>
          ({
            id: `extra-${current.version + 1}-${i}`,
            kind: 'announcement',
            lang: 'fr',
            priority: 'normal',
            title: 'Annonce',
            body: 'Texte de l’annonce.',
            duration: 10,
            image: file,
            schedule: { until: '2099-12-31', when: 'always' },
          }) as Manifest['items'][number],
      ),
    ],
  });
  const envelope = await signManifest(next, [data.manifestKey]);
  await writeFile(upstreamManifestPath(), envelope);
  return { version: next.version, envelope, files };
}

async function expectStoreComplete(dir = storeDir) {
  const manifest = manifestOf(await storedManifest(dir));
  for (const f of manifestMedia(manifest)) {
    const bytes = await readFile(join(dir, 'media', mediaFileName(f)));
    expect(sha256(bytes)).toBe(f.sha256);
  }
  return manifest;
}

/** Polls now and resolves with the state once that poll's cycle has ended. */
async function poll(handle = mirror) {
  const before = (await firstValueFrom(handle.state$))[CHANNEL]!.lastPoll;
  handle.pollNow();
  return channelState(handle, (s) => s.lastPoll !== before && s.phase === 'idle');
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ccsp-mirror-'));
  data = await openDataDir(join(tmp, 'upstream'));
  await publishDirectory(PLAYLISTS, data);
  upstream = await startUpstream(data.publicDir);
  storeDir = join(tmp, 'box', 'public');
  mirror = await startMirror({
    upstream: new URL(upstream.url),
    channels: [CHANNEL],
    store: new FileStore(storeDir),
    root: { fingerprint: data.root.fingerprint },
    intervalMs: 3600_000,
    random: () => 0.02,
    log: (e) => logs.push(e),
  });
});

afterAll(async () => {
  await mirror?.stop();
  await upstream?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('mirroring', () => {
  it('keeps the channel, its media and the root in the public tree, served unchanged', async () => {
    const state = await channelState(
      mirror,
      (s) => s.active !== undefined && Object.keys(s.downloads).length === 0,
    );
    expect(state.active?.version).toBe(1);
    expect(Buffer.compare(await storedManifest(), await readFile(upstreamManifestPath()))).toBe(0);
    await expectStoreComplete();
    expect(await readFile(join(storeDir, 'trust', 'root.json'))).toEqual(
      await readFile(join(data.publicDir, 'trust', 'root.json')),
    );
    expect((await readdir(join(storeDir, 'media'))).filter((n) => n.endsWith('.part'))).toEqual([]);
    // The box serves the mirrored tree with the server as it is.
    const app = buildApp({ publicDir: storeDir });
    const res = await app.inject(`/channels/${CHANNEL}/manifest.json`);
    expect(res.statusCode).toBe(200);
    expect(Buffer.compare(res.rawPayload, await storedManifest())).toBe(0);
    await app.close();
  });

  it('costs a 304 when nothing changed and writes nothing', async () => {
    const before = await stat(join(storeDir, 'channels', CHANNEL, 'manifest.json'));
    const count = upstream.requests.length;
    const state = await poll();
    expect(state.lastPoll?.outcome).toBe('not-modified');
    expect(upstream.requests.slice(count).map((r) => r.status)).toEqual([304]);
    expect(upstream.requests.at(-1)?.headers['if-none-match']).toBe(`"${sha256(await storedManifest())}"`);
    const after = await stat(join(storeDir, 'channels', CHANNEL, 'manifest.json'));
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });

  it('takes a new version: media first, then the manifest in one step', async () => {
    const next = await publishNext([20_000]);
    await poll();
    const state = await channelState(mirror, (s) => s.active?.version === next.version);
    expect(state.staged).toBeUndefined();
    const manifest = await expectStoreComplete();
    expect(manifest.version).toBe(next.version);
  });
});

describe('bad manifests are refused and the old content stays', () => {
  const cases: [string, string, () => Promise<Uint8Array>][] = [
    [
      'tampered',
      'signature',
      async () => {
        const bytes = new Uint8Array(
          await signManifest({ ...manifestOf(await readFile(upstreamManifestPath())), version: 50 }, [
            data.manifestKey,
          ]),
        );
        const at = fromUtf8(bytes).indexOf('"payload"') + 40;
        bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
        return bytes;
      },
    ],
    ['truncated', 'envelope', async () => (await readFile(upstreamManifestPath())).subarray(0, 500)],
    [
      'rolled back',
      'rollback',
      async () =>
        signManifest({ ...manifestOf(await readFile(upstreamManifestPath())), version: 1 }, [
          data.manifestKey,
        ]),
    ],
    [
      'expired',
      'expired',
      async () =>
        signManifest(
          {
            ...manifestOf(await readFile(upstreamManifestPath())),
            version: 50,
            issued: new Date(Date.now() - 40 * 86_400_000).toISOString(),
            expires: new Date(Date.now() - 10 * 86_400_000).toISOString(),
          },
          [data.manifestKey],
        ),
    ],
    [
      'for another channel',
      'channel',
      async () =>
        signManifest(
          { ...manifestOf(await readFile(upstreamManifestPath())), version: 50, channel: 'ccsp-autre' },
          [data.manifestKey],
        ),
    ],
  ];

  it.each(cases)('%s (%s)', async (_name, check, make) => {
    const kept = await storedManifest();
    const version = manifestOf(kept).version;
    upstream.faults.manifest.set(CHANNEL, await make());
    try {
      const state = await poll();
      expect(state.lastPoll?.outcome).toBe('rejected');
      expect(state.lastError?.check).toBe(check);
      expect(state.active?.version).toBe(version);
      expect(state.staged).toBeUndefined();
      expect(Buffer.compare(await storedManifest(), kept)).toBe(0);
      await expectStoreComplete();
      // The same refused bytes cost a 304 next time.
      const again = await poll();
      expect(again.lastPoll?.outcome).toBe('not-modified');
    } finally {
      upstream.faults.manifest.delete(CHANNEL);
    }
  });
});

describe('faults while downloading', () => {
  it('never keeps a media file whose bytes do not match its hash, and fetches it again later', async () => {
    const previous = manifestOf(await storedManifest()).version;
    const next = await publishNext([30_000]);
    const name = mediaFileName(next.files[0]!.file);
    upstream.faults.wrongBytes.add(name);
    const seen: boolean[] = [];
    const sub = mirror.state$.subscribe((all) => {
      if (all[CHANNEL]?.downloads[next.files[0]!.file.sha256]?.lastError?.kind === 'hash')
        seen.push(
          existsSync(join(storeDir, 'media', name)) || existsSync(join(storeDir, 'media', `${name}.part`)),
        );
    });
    try {
      mirror.pollNow();
      const failed = await channelState(
        mirror,
        (s) => s.downloads[next.files[0]!.file.sha256]?.lastError?.kind === 'hash',
      );
      expect(failed.active?.version).toBe(previous);
      expect(seen[0]).toBe(false);
      expect(manifestOf(await storedManifest()).version).toBe(previous);
    } finally {
      upstream.faults.wrongBytes.delete(name);
      sub.unsubscribe();
    }
    // The back-off retries and this time the bytes are right.
    await channelState(mirror, (s) => s.active?.version === next.version);
    await expectStoreComplete();
  });

  it('resumes a download cut mid-body with Range, and never promotes the part', async () => {
    const next = await publishNext([400_000]);
    const file = next.files[0]!.file;
    const name = mediaFileName(file);
    upstream.faults.cut.set(name, { after: 150_000, times: 1 });
    const atFailure: string[][] = [];
    const sub = mirror.state$.subscribe((all) => {
      if (all[CHANNEL]?.downloads[file.sha256]?.lastError?.kind === 'network' && atFailure.length === 0)
        atFailure.push([
          existsSync(join(storeDir, 'media', name)) ? 'final' : '',
          existsSync(join(storeDir, 'media', `${name}.part`)) ? 'part' : '',
        ]);
    });
    const from = upstream.requests.length;
    mirror.pollNow();
    await channelState(mirror, (s) => s.active?.version === next.version);
    sub.unsubscribe();
    expect(atFailure).toEqual([['', 'part']]);
    const tries = upstream.requests.slice(from).filter((r) => r.path === `/media/${name}`);
    expect(tries.map((r) => r.status)).toEqual([200, 206]);
    expect(tries[1]!.headers.range).toBe('bytes=150000-');
    expect(tries[1]!.headers['if-range']).toBe(`"${file.sha256}"`);
    await expectStoreComplete();
    expect(logs.some((l) => l.message.includes(`${name} resumed at byte 150000`))).toBe(true);
  });

  it('starts over cleanly when the server ignores Range', async () => {
    const next = await publishNext([300_000]);
    const file = next.files[0]!.file;
    const name = mediaFileName(file);
    upstream.faults.cut.set(name, { after: 100_000, times: 1 });
    upstream.faults.ignoreRange = true;
    const from = upstream.requests.length;
    try {
      mirror.pollNow();
      await channelState(mirror, (s) => s.active?.version === next.version);
    } finally {
      upstream.faults.ignoreRange = false;
    }
    const tries = upstream.requests.slice(from).filter((r) => r.path === `/media/${name}`);
    expect(tries.map((r) => [r.status, r.headers.range])).toEqual([
      [200, undefined],
      [200, 'bytes=100000-'],
    ]);
    const bytes = await readFile(join(storeDir, 'media', name));
    expect(bytes.length).toBe(file.bytes);
    expect(sha256(bytes)).toBe(file.sha256);
  });

  it('waits as long as a 503 Retry-After says', async () => {
    upstream.faults.unavailable = '2';
    let state: SyncState;
    try {
      state = await poll();
    } finally {
      upstream.faults.unavailable = undefined;
    }
    expect(state.lastError?.message).toContain('HTTP 503');
    expect(state.nextPollAt! - state.now).toBeGreaterThanOrEqual(2000);
    const count = upstream.requests.length;
    mirror.pollNow();
    await new Promise((r) => setTimeout(r, 1000));
    expect(upstream.requests.length).toBe(count);
    const after = await channelState(
      mirror,
      (s) => s.lastPoll?.outcome === 'not-modified' && s.phase === 'idle',
      5000,
    );
    expect(after.failures).toBe(0);
  });
});

describe('storage full', () => {
  it('keeps the active manifest and its media, and reports the failure', async () => {
    class FullStore extends FileStore {
      budget = Infinity;
      override async writePart(file: MediaFile, offset: number, chunk: Uint8Array) {
        if (chunk.length > this.budget)
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        this.budget -= chunk.length;
        return super.writePart(file, offset, chunk);
      }
    }
    const dir = join(tmp, 'full', 'public');
    const store = new FullStore(dir);
    const box = await startMirror({
      upstream: new URL(upstream.url),
      channels: [CHANNEL],
      store,
      root: { fingerprint: data.root.fingerprint },
      intervalMs: 3600_000,
      random: () => 0.5,
    });
    try {
      const first = await channelState(
        box,
        (s) => s.active !== undefined && Object.keys(s.downloads).length === 0,
      );
      const version = first.active!.version;
      store.budget = 10_000;
      await publishNext([50_000]);
      const state = await poll(box);
      expect(state.storeFull).toBe(true);
      expect(state.lastError?.kind).toBe('store-full');
      expect(state.active?.version).toBe(version);
      expect(manifestOf(await storedManifest(dir)).version).toBe(version);
      await expectStoreComplete(dir);
    } finally {
      await box.stop();
    }
  });
});

describe('killed during a mirror (SIGKILL)', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  function startChild(dir: string) {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: {
        ...process.env,
        MIRROR_UPSTREAM: upstream.url,
        MIRROR_STORE: dir,
        MIRROR_FINGERPRINT: data.root.fingerprint,
        MIRROR_CHANNEL: CHANNEL,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const active = (version: number) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (out.includes(`{"active":${version}}`)) return resolve();
          if (child.exitCode !== null) return reject(new Error(`the child exited: ${err}`));
          setTimeout(check, 20);
        };
        check();
      });
    const killed = () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    return { child, active, killed };
  }

  it('leaves a consistent store, and the next run resumes and completes', async () => {
    const dir = join(tmp, 'killed', 'public');
    const current = manifestOf(await readFile(upstreamManifestPath())).version;
    const first = startChild(dir);
    await first.active(current);
    await first.killed();

    const next = await publishNext([1_200_000]);
    const name = mediaFileName(next.files[0]!.file);
    upstream.faults.throttle.set(name, { bytes: 32 * 1024, everyMs: 30 });
    const second = startChild(dir);
    const part = join(dir, 'media', `${name}.part`);
    for (let i = 0; i < 1000; i++) {
      const size = (await stat(part).catch(() => undefined))?.size ?? 0;
      if (size >= 256 * 1024) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await second.killed();
    upstream.faults.throttle.delete(name);

    // Old manifest, complete; the new file only as a part, never under its name.
    const kept = await expectStoreComplete(dir);
    expect(kept.version).toBe(current);
    expect(existsSync(join(dir, 'media', name))).toBe(false);
    const partBytes = (await stat(part)).size;
    expect(partBytes).toBeGreaterThanOrEqual(256 * 1024);
    expect(partBytes).toBeLessThan(next.files[0]!.file.bytes);

    const from = upstream.requests.length;
    const third = startChild(dir);
    await third.active(next.version);
    await third.killed();
    const done = await expectStoreComplete(dir);
    expect(done.version).toBe(next.version);
    const resumed = upstream.requests.slice(from).find((r) => r.path === `/media/${name}`);
    expect(resumed?.headers.range).toBe(`bytes=${partBytes}-`);
    expect(resumed?.status).toBe(206);
    expect((await readdir(join(dir, 'media'))).filter((n) => n.endsWith('.part'))).toEqual([]);
  }, 60_000);
});
