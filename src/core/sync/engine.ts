/**
 * The sync engine (issue 5 "The cycle"): poll the channel's signed manifest,
 * verify it, stage it, download the media it needs soonest first, commit it in
 * one step, collect what nothing refers to any more. The same engine runs in
 * the browser and on the box, behind the Fetcher and SyncStore ports.
 *
 * Decisions about the state are in the reducer (state.ts); this file holds the
 * effects and their timing. Timers go through an rxjs scheduler (virtual time in
 * tests); fetch and storage are promises at the edges (STYLE.md).
 */
import { BehaviorSubject, asyncScheduler, distinctUntilChanged, timer, type Observable } from 'rxjs';
import type { SchedulerLike, Subscription } from 'rxjs';
import { concatBytes, fromUtf8 } from '../bytes.ts';
import { decodeEnvelope } from '../dsse.ts';
import type { Manifest } from '../manifest-schema.ts';
import { manifestMedia, mediaFileName, type MediaFile } from '../media.ts';
import { serverTimeFromHeaders, TrustedClock } from '../schedule/trusted-clock.ts';
import type { TrustRoot } from '../trust.ts';
import { validateManifest } from '../validate.ts';
import { DEFAULT_MAX_MANIFEST_BYTES, verifyManifest } from '../verify.ts';
import { DEFAULT_BACKOFF, parseRetryAfter, retryDelay, type BackoffOptions } from './backoff.ts';
import { downloadMedia, errorMessage, isAbort } from './download.ts';
import { DEFAULT_HORIZON_MS, mediaPlan } from './plan.ts';
import {
  isStoreFull,
  type Fetcher,
  type ResponseLike,
  type StoredManifest,
  type SyncStore,
} from './ports.ts';
import {
  initialSyncState,
  reduceSync,
  type ManifestSummary,
  type PlannedDownload,
  type SyncError,
  type SyncEvent,
  type SyncState,
} from './state.ts';

export const DEFAULT_POLL_INTERVAL_MS = 5 * 60_000;
/** Longest timer armed at once: setTimeout overflows past 2^31 ms (about 24.8 days). */
const MAX_TIMER_MS = 6 * 3600_000;

export interface SyncLogEntry {
  level: 'info' | 'warn' | 'error';
  channel: string;
  message: string;
}

export interface SyncOptions {
  channel: string;
  /** The upstream, holding channels/<id>/manifest.json and media/; a trailing slash is added. */
  baseUrl: string;
  root: TrustRoot;
  fetcher: Fetcher;
  store: SyncStore;
  clock?: TrustedClock;
  scheduler?: SchedulerLike;
  /** In [0, 1): the jitter source (injected in tests). */
  random?: () => number;
  intervalMs?: number;
  backoff?: Partial<BackoffOptions>;
  /** The commit waits for the media needed within this horizon. */
  horizonMs?: number;
  maxManifestBytes?: number;
  log?: (entry: SyncLogEntry) => void;
}

export interface SyncHandle {
  readonly state$: Observable<SyncState>;
  /** The active manifest, verified: at boot from the store, then at each commit. */
  readonly manifest$: Observable<Manifest | undefined>;
  /** The current state, for a heartbeat that samples it. */
  readonly state: SyncState;
  /** Resolves once the stored manifest was read and checked (before any request). */
  readonly ready: Promise<void>;
  /** Polls at once (the browser's `online` event), unless a Retry-After is in force. */
  pollNow(): void;
  /** Stops timers and aborts requests in flight; resolves when the cycle has ended. */
  stop(): Promise<void>;
}

interface Held {
  record: StoredManifest;
  manifest: Manifest;
}

interface CycleOutcome {
  ok: boolean;
  retryAfterMs?: number | undefined;
}

const summary = (held: Held): ManifestSummary => ({
  version: held.manifest.version,
  issued: held.manifest.issued,
  expires: held.manifest.expires,
  acceptedAt: held.record.acceptedAt,
});

/** The media a stored envelope refers to, read without checking signatures (for garbage collection). */
export function storedManifestMedia(envelope: Uint8Array): MediaFile[] | undefined {
  try {
    const parsed = validateManifest(JSON.parse(fromUtf8(decodeEnvelope(envelope).payload)));
    return parsed.ok ? manifestMedia(parsed.value) : undefined;
  } catch {
    return undefined;
  }
}

interface PersistedRecord {
  lastSuccess?: number;
  lastError?: SyncError;
  rejectedEtag?: string;
}

export function startSync(options: SyncOptions): SyncHandle {
  const { channel, fetcher, store, root } = options;
  const baseUrl = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const manifestUrl = `${baseUrl}channels/${channel}/manifest.json`;
  const scheduler = options.scheduler ?? asyncScheduler;
  const clock = options.clock ?? new TrustedClock();
  const random = options.random ?? Math.random;
  const interval = options.intervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  const horizon = options.horizonMs ?? DEFAULT_HORIZON_MS;
  const maxBytes = options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
  const recordKey = `sync-${channel}`;
  const now = () => clock.now().now;
  const log = (level: SyncLogEntry['level'], message: string) => options.log?.({ level, channel, message });

  const state = new BehaviorSubject<SyncState>(initialSyncState(channel, now()));
  const manifest = new BehaviorSubject<Manifest | undefined>(undefined);
  let active: Held | undefined;
  let staged: Held | undefined;
  let rejectedEtag: string | undefined;
  /** SHA-256 of media known complete in the store, to skip asking it each cycle. */
  const present = new Set<string>();
  const mediaEtags = new Map<string, string>();

  let expiryTimer: Subscription | undefined;
  const armExpiry = () => {
    expiryTimer?.unsubscribe();
    if (!active) return;
    const left = Date.parse(active.manifest.expires) - now();
    if (left <= 0) return;
    expiryTimer = timer(Math.min(left, MAX_TIMER_MS), scheduler).subscribe(() => {
      dispatch({ type: 'clock', at: now() });
      armExpiry();
    });
  };

  const dispatch = (event: SyncEvent) => {
    const next = reduceSync(state.value, event);
    if (next !== state.value) state.next(next);
  };

  const persist = async () => {
    const s = state.value;
    const record: PersistedRecord = {};
    if (s.lastSuccess !== undefined) record.lastSuccess = s.lastSuccess;
    if (s.lastError) record.lastError = s.lastError;
    if (rejectedEtag) record.rejectedEtag = rejectedEtag;
    await store.putRecord(recordKey, record).catch(() => undefined);
  };

  const storeFailed = (e: unknown) => {
    const full = isStoreFull(e);
    dispatch({ type: 'store-failed', at: now(), full, message: errorMessage(e) });
    log('error', `store: ${errorMessage(e)}`);
  };

  // ------------------------------------------------------------ boot

  async function reverify(record: StoredManifest | undefined): Promise<Held | 'rejected' | undefined> {
    if (!record) return undefined;
    // What was accepted keeps playing: the signature is checked again, not the expiry.
    const result = await verifyManifest(record.envelope, {
      root,
      channel,
      now: new Date(now()),
      checkExpiry: false,
      maxBytes,
    });
    if (result.status === 'accepted') return { record, manifest: result.manifest };
    if (result.status === 'rejected') {
      dispatch({ type: 'boot-rejected', at: now(), error: result.error });
      log('error', `the stored manifest was refused: ${result.error.message}`);
    }
    return 'rejected';
  }

  async function boot(): Promise<void> {
    let missing = 0;
    try {
      const persisted = ((await store.getRecord(recordKey)) ?? {}) as PersistedRecord;
      rejectedEtag = persisted.rejectedEtag;
      const a = await reverify(await store.getManifest(channel, 'active'));
      if (a && a !== 'rejected') {
        active = a;
        clock.observeSigned(Date.parse(a.manifest.issued));
      }
      const s = await reverify(await store.getManifest(channel, 'staged'));
      if (s && s !== 'rejected' && s.manifest.version > (active?.manifest.version ?? 0)) staged = s;
      else if (s) await store.clearStaged(channel);
      for (const e of await store.listMedia()) if (e.complete) present.add(e.sha256);
      if (active) missing = manifestMedia(active.manifest).filter((f) => !present.has(f.sha256)).length;
      dispatch({
        type: 'booted',
        at: now(),
        active: active && summary(active),
        staged: staged && summary(staged),
        missing,
        lastSuccess: persisted.lastSuccess,
        lastError: persisted.lastError,
      });
    } catch (e) {
      dispatch({ type: 'booted', at: now(), active: active && summary(active), staged: undefined, missing });
      storeFailed(e);
    }
    manifest.next(active?.manifest);
    armExpiry();
    if (active)
      log('info', `playing version ${active.manifest.version} from the store (${missing} media missing)`);
  }

  // ------------------------------------------------------------ poll

  async function readCapped(response: ResponseLike): Promise<Uint8Array | 'too-large'> {
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.getReader().cancel();
      return 'too-large';
    }
    const reader = response.body?.getReader();
    if (!reader) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      return bytes.length > maxBytes ? 'too-large' : bytes;
    }
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!value) continue;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return 'too-large';
      }
      parts.push(value);
    }
    return concatBytes(...parts);
  }

  async function poll(signal: AbortSignal): Promise<CycleOutcome> {
    dispatch({ type: 'poll-started', at: now() });
    const etags = [...new Set([staged?.record.etag, active?.record.etag, rejectedEtag])].filter(
      (e): e is string => e !== undefined,
    );
    let response: ResponseLike;
    let body: Uint8Array | 'too-large' | undefined;
    try {
      response = await fetcher(manifestUrl, {
        headers: etags.length ? { 'if-none-match': etags.join(', ') } : {},
        signal,
      });
      const serverTime = serverTimeFromHeaders(response.headers);
      if (serverTime !== undefined) clock.observeServer(serverTime);
      if (response.status === 200) body = await readCapped(response);
      else await response.body?.getReader().cancel();
    } catch (e) {
      if (isAbort(e)) return { ok: false };
      const message = `polling ${manifestUrl}: ${errorMessage(e)}`;
      dispatch({ type: 'poll-failed', at: now(), kind: 'network', message });
      log('warn', message);
      return { ok: false };
    }
    const at = now();
    if (response.status === 304) {
      dispatch({ type: 'not-modified', at });
      return { ok: true };
    }
    if (response.status !== 200 || body === undefined) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), at);
      const message = `polling ${manifestUrl}: HTTP ${response.status}`;
      dispatch({ type: 'poll-failed', at, kind: 'http', message });
      log('warn', message);
      return { ok: false, retryAfterMs };
    }
    if (body === 'too-large') {
      const message = `polling ${manifestUrl}: the manifest is over ${maxBytes} bytes; refused`;
      dispatch({ type: 'poll-failed', at, kind: 'too-large', message });
      log('warn', message);
      return { ok: false };
    }
    const etag = response.headers.get('etag') ?? undefined;
    const current = staged ?? active;
    const result = await verifyManifest(body, {
      root,
      channel,
      currentVersion: current?.manifest.version,
      now: new Date(at),
      maxBytes,
    });
    if (result.status === 'rejected') {
      // Remembered so that the same refused bytes cost a 304 next time, not a download.
      rejectedEtag = etag;
      dispatch({ type: 'rejected', at, error: result.error });
      log('warn', `manifest refused (${result.error.check}): ${result.error.message}`);
      await persist();
      return { ok: true };
    }
    if (result.status === 'unchanged') {
      if (current && etag) current.record = { ...current.record, etag };
      dispatch({ type: 'unchanged', at });
      return { ok: true };
    }
    const held: Held = {
      record: { channel, envelope: body, etag, acceptedAt: at },
      manifest: result.manifest,
    };
    try {
      await store.stage(held.record);
    } catch (e) {
      storeFailed(e);
      return { ok: false };
    }
    staged = held;
    rejectedEtag = undefined;
    clock.observeSigned(Date.parse(result.manifest.issued));
    dispatch({ type: 'staged', at, manifest: summary(held) });
    log('info', `version ${result.manifest.version} accepted; downloading its media`);
    await persist();
    return { ok: true };
  }

  // ------------------------------------------------------------ media

  async function collectGarbage(): Promise<void> {
    const keep = new Set<string>();
    for (const held of [active, staged])
      if (held) manifestMedia(held.manifest).forEach((f) => keep.add(f.sha256));
    for (const record of await store.listManifests()) {
      const media = storedManifestMedia(record.envelope);
      // A kept manifest that cannot be read might refer to anything: delete nothing.
      if (!media) return;
      media.forEach((f) => keep.add(f.sha256));
    }
    let deleted = 0;
    for (const entry of await store.listMedia()) {
      if (keep.has(entry.sha256)) continue;
      await store.deleteMedia(entry);
      present.delete(entry.sha256);
      deleted++;
    }
    if (deleted) log('info', `deleted ${deleted} media files no kept manifest refers to`);
  }

  async function commit(): Promise<boolean> {
    if (!staged) return false;
    try {
      await store.commit(staged.record);
    } catch (e) {
      storeFailed(e);
      return false;
    }
    active = staged;
    staged = undefined;
    dispatch({ type: 'committed', at: now(), manifest: summary(active) });
    log('info', `version ${active.manifest.version} is now active`);
    manifest.next(active.manifest);
    armExpiry();
    await persist();
    return true;
  }

  async function syncMedia(signal: AbortSignal): Promise<CycleOutcome> {
    const t = now();
    const stagedPlan = staged && mediaPlan(staged.manifest, t, horizon);
    const activePlan = active && mediaPlan(active.manifest, t, horizon);
    // What plays now first, then what the commit waits for, then the rest.
    const queue = new Map<string, PlannedDownload & { file: MediaFile }>();
    const add = (files: MediaFile[] | undefined, needed: boolean) => {
      for (const file of files ?? []) {
        if (present.has(file.sha256) || queue.has(file.sha256)) continue;
        queue.set(file.sha256, {
          sha256: file.sha256,
          name: mediaFileName(file),
          bytes: file.bytes,
          needed,
          file,
        });
      }
    };
    add(activePlan?.needed, true);
    add(stagedPlan?.needed, true);
    add(stagedPlan?.later ?? activePlan?.later, false);
    dispatch({ type: 'downloads-planned', at: t, files: [...queue.values()].map(({ file: _f, ...p }) => p) });

    let ok = true;
    let retryAfterMs: number | undefined;
    const tryCommit = async () => {
      if (staged && stagedPlan?.needed.every((f) => present.has(f.sha256))) {
        if (await commit()) await collectGarbage().catch(storeFailed);
        else ok = false;
      }
    };
    await tryCommit();
    for (const { file } of queue.values()) {
      if (signal.aborted) return { ok: false };
      if (present.has(file.sha256)) continue;
      const result = await downloadMedia(
        {
          fetcher,
          store,
          baseUrl,
          signal,
          now,
          etags: mediaEtags,
          onProgress: (done) => dispatch({ type: 'download-progress', at: now(), sha256: file.sha256, done }),
        },
        file,
      );
      if (result.ok) {
        present.add(file.sha256);
        dispatch({ type: 'download-done', at: now(), sha256: file.sha256 });
        if (result.resumedFrom > 0 && result.resumedFrom < file.bytes)
          log('info', `${mediaFileName(file)} resumed at byte ${result.resumedFrom}`);
        await tryCommit();
        continue;
      }
      ok = false;
      dispatch({
        type: 'download-failed',
        at: now(),
        sha256: file.sha256,
        kind: result.kind,
        message: result.message,
      });
      log(result.kind === 'network' ? 'warn' : 'error', `${mediaFileName(file)}: ${result.message}`);
      if (result.kind === 'store-full') {
        // Make room with what nothing refers to; the active manifest's media always stay.
        await collectGarbage().catch(() => undefined);
        break;
      }
      if (result.kind === 'network' || result.kind === 'store') break;
      if (result.retryAfterMs !== undefined) {
        retryAfterMs = result.retryAfterMs;
        break;
      }
    }
    return { ok, retryAfterMs };
  }

  // ------------------------------------------------------------ the loop

  let stopped = false;
  let running = false;
  let again = false;
  let abort: AbortController | undefined;
  let pollTimer: Subscription | undefined;
  let current: Promise<void> = Promise.resolve();

  const scheduleIn = (delayMs: number) => {
    pollTimer?.unsubscribe();
    const delay = Math.max(0, delayMs);
    // A long wait is armed in steps: past 2^31 ms setTimeout would fire at once.
    pollTimer = timer(Math.min(delay, MAX_TIMER_MS), scheduler).subscribe(() =>
      delay > MAX_TIMER_MS ? scheduleIn(delay - MAX_TIMER_MS) : run(),
    );
  };

  async function cycle(signal: AbortSignal): Promise<CycleOutcome> {
    const polled = await poll(signal);
    // A failed poll means the link or the server is down: the media would fail too.
    if (!polled.ok || signal.aborted) return polled;
    return syncMedia(signal);
  }

  function run(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    pollTimer?.unsubscribe();
    const controller = new AbortController();
    abort = controller;
    current = cycle(controller.signal)
      .catch((e: unknown): CycleOutcome => {
        storeFailed(e);
        return { ok: false };
      })
      .then((outcome) => {
        running = false;
        if (stopped) return;
        const failures = outcome.ok ? 0 : state.value.failures + 1;
        let delay = outcome.ok ? interval : retryDelay(failures, random(), outcome.retryAfterMs, backoff);
        if (outcome.ok && outcome.retryAfterMs !== undefined)
          delay = Math.max(delay, Math.min(outcome.retryAfterMs, backoff.maxRetryAfterMs));
        if (again) {
          again = false;
          delay = outcome.retryAfterMs ?? 0;
        }
        dispatch({
          type: 'cycle-done',
          at: now(),
          ok: outcome.ok,
          delayMs: delay,
          retryAfterMs: outcome.retryAfterMs,
        });
        scheduleIn(delay);
      });
  }

  const ready = boot().then(() => {
    if (!stopped) run();
  });

  return {
    state$: state.pipe(distinctUntilChanged()),
    manifest$: manifest.pipe(distinctUntilChanged()),
    get state() {
      return state.value;
    },
    ready,
    pollNow() {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      const until = state.value.retryAfterUntil;
      scheduleIn(until === undefined ? 0 : until - now());
    },
    async stop() {
      if (stopped) return current;
      stopped = true;
      pollTimer?.unsubscribe();
      expiryTimer?.unsubscribe();
      abort?.abort();
      await ready.catch(() => undefined);
      await current;
      dispatch({ type: 'stopped', at: now() });
      state.complete();
      manifest.complete();
    },
  };
}
