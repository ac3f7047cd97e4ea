/**
 * The engine's rxjs wiring in virtual time (TestScheduler): back-off with jitter,
 * Retry-After, 304s, pollNow, a new version staged and committed, 30 days offline.
 */
import { TestScheduler } from 'rxjs/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_POLL_INTERVAL_MS,
  mediaFileName,
  startSync,
  TrustedClock,
  type Fetcher,
  type SyncHandle,
  type SyncState,
} from '../../../src/core/index.ts';
import { makeTrust, type TestTrust } from '../../fixtures.ts';
import { advance, scriptedFetcher, serveChannel, settle, testChannel, type TestChannel } from './helpers.ts';
import { MemoryStore } from './memory-store.ts';

const T0 = Date.parse('2026-11-15T10:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const CHANNEL = 'ccsp-lokossa';

let trust: TestTrust;
let v3: TestChannel;

beforeAll(async () => {
  trust = await makeTrust();
  v3 = await testChannel(trust, {
    version: 3,
    issued: '2026-11-14T08:00:00Z',
    expires: '2026-11-25T08:00:00Z',
  });
});

function setup(fetcher: Fetcher, store = new MemoryStore(), random: () => number = () => 0.5) {
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
  const clock = new TrustedClock(
    () => T0 + ts.now(),
    () => ts.now(),
  );
  const handle = startSync({
    channel: CHANNEL,
    baseUrl: 'http://upstream.test',
    root: trust.root,
    fetcher,
    store,
    clock,
    scheduler: ts,
    random,
  });
  const states: SyncState[] = [];
  handle.state$.subscribe((s) => states.push(s));
  return { ts, handle, store, states };
}

/** A store holding v3 committed with all its media, as after an earlier sync. */
function storeWithV3(): MemoryStore {
  const store = new MemoryStore();
  store.manifests.set(`active:${CHANNEL}`, {
    channel: CHANNEL,
    envelope: v3.envelope,
    etag: v3.etag,
    acceptedAt: T0 - DAY,
  });
  for (const [name, bytes] of v3.files) store.media.set(name, bytes);
  return store;
}

const offline: Fetcher = async () => {
  throw new TypeError('fetch failed');
};

async function stop(handle: SyncHandle) {
  await handle.stop();
}

describe('first sync', () => {
  it('stages, downloads every file checked, then commits in one step', async () => {
    const fetcher = scriptedFetcher(serveChannel(() => v3));
    const { ts, handle, store } = setup(fetcher);
    await advance(ts, handle, 0);
    expect(handle.state.active?.version).toBe(3);
    expect(handle.state.staged).toBeUndefined();
    expect(handle.state.downloads).toEqual({});
    expect([...store.media.keys()].sort()).toEqual([...v3.files.keys()].sort());
    // Staged before any media, committed after the files the next 24 h need.
    const stage = store.calls.indexOf(`stage ${CHANNEL}`);
    const commit = store.calls.indexOf(`commit ${CHANNEL}`);
    const promotes = store.calls.flatMap((c, i) => (c.startsWith('promote') ? [i] : []));
    expect(stage).toBeLessThan(promotes[0]!);
    expect(commit).toBeGreaterThan(Math.max(...promotes));
    expect(handle.state.nextPollAt).toBe(T0 + DEFAULT_POLL_INTERVAL_MS);
    await stop(handle);
  });

  it('fetches the media soonest needed first', async () => {
    // The video is valid from tomorrow: its files come after the image playing today.
    const later = await testChannel(trust, {
      version: 3,
      items: [
        v3.manifest.items[0]!,
        { ...v3.manifest.items[1]!, schedule: { from: '2026-11-17' } } as (typeof v3.manifest.items)[number],
      ],
    });
    const fetcher = scriptedFetcher(serveChannel(() => later));
    const { ts, handle, store } = setup(fetcher);
    await advance(ts, handle, 0);
    const media = fetcher.requests
      .filter((r) => r.url.includes('/media/'))
      .map((r) => r.url.split('/').pop());
    const image = mediaFileName(
      (later.manifest.items[0] as { image: { sha256: string; bytes: number; type: 'image/svg+xml' } }).image,
    );
    expect(media[0]).toBe(image);
    // Committed as soon as the image was in, before the video's files.
    const commit = store.calls.indexOf(`commit ${CHANNEL}`);
    const promotes = store.calls.filter((c, i) => c.startsWith('promote') && i < commit);
    expect(promotes).toEqual([`promote ${image}`]);
    expect(store.media.size).toBe(3);
    await stop(handle);
  });
});

describe('polling', () => {
  it('sends If-None-Match and keeps the state on a 304', async () => {
    const fetcher = scriptedFetcher(serveChannel(() => v3));
    const { ts, handle, store } = setup(fetcher, storeWithV3());
    await advance(ts, handle, 0);
    const before = handle.state;
    const calls = store.calls.length;
    await advance(ts, handle, DEFAULT_POLL_INTERVAL_MS);
    expect(fetcher.requests).toHaveLength(2);
    expect(fetcher.requests.every((r) => r.headers['if-none-match'] === v3.etag)).toBe(true);
    expect(handle.state.active).toEqual(before.active);
    expect(handle.state.lastPoll).toEqual({ at: T0 + DEFAULT_POLL_INTERVAL_MS, outcome: 'not-modified' });
    expect(handle.state.failures).toBe(0);
    // A 304 writes nothing.
    expect(store.calls.length).toBe(calls);
    await stop(handle);
  });

  it('backs off with full jitter after failures, capped, from the injected random source', async () => {
    const draws = [0.9, 0.5, 0.99, 0.1, 0.7, 0.3, 0.8, 0.6, 0.95, 0.2, 0.4, 0.85, 0.05, 0.65];
    let i = 0;
    const { ts, handle } = setup(scriptedFetcher(offline), storeWithV3(), () => draws[i++ % draws.length]!);
    const delays: number[] = [];
    for (let n = 0; n < draws.length; n++) {
      await advance(ts, handle, n === 0 ? 0 : handle.state.nextPollAt! - ts.now() - T0);
      delays.push(handle.state.nextPollAt! - handle.state.now);
    }
    const expected = draws.map((r, n) => Math.floor(r * Math.min(HOUR, 10_000 * 2 ** n)));
    expect(delays).toEqual(expected);
    expect(handle.state.failures).toBe(draws.length);
    expect(handle.state.lastError?.kind).toBe('network');
    expect(handle.state.active?.version).toBe(3);
    await stop(handle);
  });

  it('honours Retry-After in seconds and as an HTTP date, even when asked to poll now', async () => {
    let answer: Response = new Response(null, { status: 503, headers: { 'retry-after': '120' } });
    const fetcher = scriptedFetcher(() => answer.clone());
    const { ts, handle } = setup(fetcher, storeWithV3(), () => 0);
    await advance(ts, handle, 0);
    expect(handle.state.nextPollAt).toBe(T0 + 120_000);
    handle.pollNow();
    await advance(ts, handle, 119_000);
    expect(fetcher.requests).toHaveLength(1);
    answer = new Response(null, {
      status: 503,
      headers: { 'retry-after': new Date(T0 + 120_000 + 600_000).toUTCString() },
    });
    await advance(ts, handle, 1000);
    expect(fetcher.requests).toHaveLength(2);
    expect(handle.state.nextPollAt).toBe(T0 + 720_000);
    expect(handle.state.lastError?.message).toContain('HTTP 503');
    await stop(handle);
  });

  it('polls at once on pollNow (the online event) instead of waiting out the back-off', async () => {
    let online = false;
    const fetcher = scriptedFetcher((url, init) => {
      if (!online) throw new TypeError('fetch failed');
      return serveChannel(() => v3)(url, init);
    });
    const { ts, handle } = setup(fetcher, storeWithV3(), () => 0.99);
    for (let n = 0; n < 8; n++) {
      await advance(ts, handle, n === 0 ? 0 : handle.state.nextPollAt! - ts.now() - T0);
    }
    expect(handle.state.failures).toBeGreaterThan(5);
    const waiting = handle.state.nextPollAt! - (T0 + ts.now());
    expect(waiting).toBeGreaterThan(10 * 60_000);
    online = true;
    const count = fetcher.requests.length;
    handle.pollNow();
    await advance(ts, handle, 0);
    expect(fetcher.requests.length).toBe(count + 1);
    expect(handle.state.failures).toBe(0);
    expect(handle.state.lastPoll?.outcome).toBe('not-modified');
    await stop(handle);
  });
});

describe('offline', () => {
  it('30 simulated days offline: the active manifest stays, the state says stale after its expiry', async () => {
    const store = storeWithV3();
    const fetcher = scriptedFetcher(offline);
    const { ts, handle, states } = setup(fetcher, store, () => 0.5);
    const manifests: (number | undefined)[] = [];
    handle.manifest$.subscribe((m) => manifests.push(m?.version));
    await advance(ts, handle, 0);
    expect(handle.state.active?.version).toBe(3);
    expect(handle.state.stale).toBe(false);

    const expires = Date.parse('2026-11-25T08:00:00Z');
    await advance(ts, handle, expires - T0 - 60_000);
    expect(handle.state.stale).toBe(false);
    await advance(ts, handle, 30 * DAY - (expires - T0 - 60_000));
    expect(ts.now()).toBe(30 * DAY);

    expect(handle.state.active?.version).toBe(3);
    expect(handle.state.stale).toBe(true);
    expect(manifests).toEqual([undefined, 3]);
    // It turned stale at the expiry, not at the next poll.
    const firstStale = states.find((s) => s.stale)!;
    expect(firstStale.now).toBe(expires);
    // Kept polling, never more than an hour apart, never faster than the back-off allows.
    const polls = fetcher.requests.length;
    expect(polls).toBeGreaterThanOrEqual(30 * 24);
    expect(polls).toBeLessThan(30 * 24 * 4);
    const gaps = states.filter((s) => s.nextPollAt !== undefined).map((s) => s.nextPollAt! - s.now);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(HOUR);
    // The store still holds the manifest and every file.
    expect(store.manifests.get(`active:${CHANNEL}`)?.envelope).toBe(v3.envelope);
    expect(store.media.size).toBe(3);
    await settle(handle);
    await stop(handle);
  });

  it('boots from the store before any request, and re-verifies its signature', async () => {
    const tampered = new Uint8Array(v3.envelope);
    const at = new TextDecoder().decode(tampered).indexOf('"payload"') + 20;
    tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
    const store = storeWithV3();
    store.manifests.set(`active:${CHANNEL}`, { channel: CHANNEL, envelope: tampered });
    const fetcher = scriptedFetcher(offline);
    const { ts, handle } = setup(fetcher, store);
    await handle.ready;
    expect(handle.state.active).toBeUndefined();
    expect(handle.state.lastError?.kind).toBe('boot');
    expect(handle.state.lastError?.check).toBe('signature');
    await advance(ts, handle, 0);
    await stop(handle);

    const good = setup(scriptedFetcher(offline), storeWithV3());
    await good.handle.ready;
    expect(good.handle.state.active?.version).toBe(3);
    expect(good.handle.state.missingAtBoot).toBe(0);
    await advance(good.ts, good.handle, 0);
    await stop(good.handle);
  });
});
