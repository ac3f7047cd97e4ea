import { expect } from '@open-wc/testing';
import { sha256Hex, toBase64, utf8, type MediaFile, type StoredManifest } from '../../src/core/index.ts';
import { BrowserStore } from '../../src/player/browser-store.ts';

// The screen's SyncStore in real Chromium: real IndexedDB, real Cache API, real
// WebCrypto (STYLE.md "Real parts over mocks"). Each test has databases and a
// cache of its own.

let n = 0;
let store: BrowserStore;
let names: { database: string; partsDatabase: string; cacheName: string };

beforeEach(() => {
  const id = `${Date.now()}-${++n}`;
  names = { database: `t-sync-${id}`, partsDatabase: `t-parts-${id}`, cacheName: `t-media-${id}` };
  store = new BrowserStore(names);
});

afterEach(async () => {
  await caches.delete(names.cacheName);
});

function envelope(version: number): Uint8Array {
  const payload = toBase64(utf8(JSON.stringify({ version })));
  return utf8(
    JSON.stringify({
      payloadType: 'application/vnd.ccsp.manifest+json',
      payload,
      signatures: [{ keyid: 'k', sig: 'AA==' }],
    }),
  );
}

const record = (version: number): StoredManifest => ({
  channel: 'ccsp-test',
  envelope: envelope(version),
  etag: `"v${version}"`,
  acceptedAt: 1000 + version,
});

async function mediaOf(bytes: Uint8Array): Promise<MediaFile> {
  return { sha256: await sha256Hex(bytes), bytes: bytes.length, type: 'image/png' };
}

async function collect(parts: AsyncIterable<Uint8Array>): Promise<number[]> {
  const out: number[] = [];
  for await (const p of parts) out.push(...p);
  return out;
}

describe('BrowserStore', () => {
  it('keeps records and manifests across instances', async () => {
    await store.putRecord('sync-ccsp-test', { lastSuccess: 5 });
    await store.stage(record(2));
    const again = new BrowserStore(names);
    expect(await again.getRecord('sync-ccsp-test')).to.deep.equal({ lastSuccess: 5 });
    expect(await again.getManifest('ccsp-test', 'active')).to.equal(undefined);
    const staged = await again.getManifest('ccsp-test', 'staged');
    expect(staged?.etag).to.equal('"v2"');
    expect([...staged!.envelope]).to.deep.equal([...envelope(2)]);
  });

  it('commits atomically: clears a staged manifest of the same version, keeps a newer one', async () => {
    await store.stage(record(2));
    await store.commit(record(2));
    expect((await store.getManifest('ccsp-test', 'active'))?.etag).to.equal('"v2"');
    expect(await store.getManifest('ccsp-test', 'staged')).to.equal(undefined);
    expect((await store.listManifests()).map((m) => m.etag)).to.deep.equal(['"v2"']);

    await store.stage(record(4));
    await store.commit(record(3));
    expect((await store.getManifest('ccsp-test', 'staged'))?.etag).to.equal('"v4"');
    expect((await store.listManifests()).map((m) => m.etag).sort()).to.deep.equal(['"v3"', '"v4"']);
  });

  it('grows a part only at its end, and promotes it into the media cache after the hash check', async () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    const file = await mediaOf(bytes);
    // A view into a larger buffer: only its bytes may be kept.
    const wide = new Uint8Array(2000);
    wide.set(bytes.subarray(0, 600), 100);
    await store.writePart(file, 0, wide.subarray(100, 700));
    expect(await store.mediaState(file)).to.deep.equal({ complete: false, partBytes: 600 });
    let refused: unknown;
    await store.writePart(file, 500, bytes.subarray(500)).catch((e: unknown) => (refused = e));
    expect(refused).to.be.instanceOf(Error);
    await store.writePart(file, 600, bytes.subarray(600));
    expect(await collect(store.readPart(file))).to.deep.equal([...bytes]);

    await store.promote(file);
    expect(await store.mediaState(file)).to.deep.equal({ complete: true, partBytes: 0 });
    const cached = await (await caches.open(names.cacheName)).match(`/media/${file.sha256}.png`);
    expect(cached?.headers.get('content-type')).to.equal('image/png');
    expect([...new Uint8Array(await cached!.arrayBuffer())]).to.deep.equal([...bytes]);
    expect(await store.listMedia()).to.deep.equal([
      { sha256: file.sha256, name: `${file.sha256}.png`, complete: true, bytes: 1000 },
    ]);
  });

  it('refuses to promote bytes that do not match, and discards them', async () => {
    const file = await mediaOf(new Uint8Array([1, 2, 3, 4]));
    await store.writePart(file, 0, new Uint8Array([1, 2, 3, 5]));
    let refused: unknown;
    await store.promote(file).catch((e: unknown) => (refused = e));
    expect(String(refused)).to.contain('does not match');
    expect(await store.mediaState(file)).to.deep.equal({ complete: false, partBytes: 0 });
    expect(await store.listMedia()).to.deep.equal([]);
  });

  it('starts a part afresh at offset 0, lists parts, and deletes parts and media', async () => {
    const a = await mediaOf(new Uint8Array([9, 9]));
    const b = await mediaOf(new Uint8Array([7, 7, 7]));
    await store.writePart(a, 0, new Uint8Array([1]));
    await store.writePart(a, 1, new Uint8Array([2]));
    await store.writePart(a, 0, new Uint8Array([9]));
    expect(await collect(store.readPart(a))).to.deep.equal([9]);
    await store.writePart(b, 0, new Uint8Array([7, 7, 7]));
    await store.promote(b);
    const listed = await store.listMedia();
    expect(listed).to.deep.equal([
      { sha256: b.sha256, name: `${b.sha256}.png`, complete: true, bytes: 3 },
      { sha256: a.sha256, name: `${a.sha256}.png.part`, complete: false, bytes: 1 },
    ]);
    for (const entry of listed) await store.deleteMedia(entry);
    expect(await store.listMedia()).to.deep.equal([]);
  });
});
