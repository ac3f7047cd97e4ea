/**
 * The sync engine's state and its pure reducer `(state, event) => state`
 * (STYLE.md "Streams and state"): what the status overlay and the heartbeat
 * show, tested without streams. Effects (engine.ts) only fetch, store and
 * dispatch events; every decision about what the state says is made here.
 */
import type { VerifyError } from '../verify-errors.ts';

export interface ManifestSummary {
  version: number;
  issued: string;
  expires: string;
  /** When this device accepted it (trusted time, ms); undefined when unknown. */
  acceptedAt: number | undefined;
}

export type DownloadError = 'network' | 'http' | 'size' | 'hash' | 'store-full' | 'store';

export interface DownloadState {
  sha256: string;
  /** The file's name under media/. */
  name: string;
  bytes: number;
  done: number;
  /** Needed within the horizon: the commit waits for it. */
  needed: boolean;
  attempts: number;
  lastError: { kind: DownloadError; message: string } | undefined;
}

export type SyncErrorKind =
  'network' | 'http' | 'too-large' | 'rejected' | 'boot' | 'download' | 'store-full' | 'store';

export interface SyncError {
  at: number;
  kind: SyncErrorKind;
  message: string;
  /** The verification check that refused a manifest. */
  check?: VerifyError['check'] | undefined;
}

export interface SyncState {
  channel: string;
  phase: 'booting' | 'idle' | 'polling' | 'downloading' | 'stopped';
  /** The manifest in force (what plays). */
  active: ManifestSummary | undefined;
  /** Accepted, its media downloading; becomes active at the commit. */
  staged: ManifestSummary | undefined;
  /** Media of the staged and active manifests not yet present, by SHA-256. */
  downloads: Readonly<Record<string, DownloadState>>;
  /** Active-manifest media missing when the device booted. */
  missingAtBoot: number;
  lastPoll: { at: number; outcome: 'new' | 'not-modified' | 'unchanged' | 'rejected' | 'failed' } | undefined;
  /** The last poll that reached the upstream and got an answer it could use. */
  lastSuccess: number | undefined;
  lastError: SyncError | undefined;
  /** Consecutive failed cycles. */
  failures: number;
  backoffUntil: number | undefined;
  /** Retry-After in force: even pollNow waits until then. */
  retryAfterUntil: number | undefined;
  nextPollAt: number | undefined;
  /** The active manifest is past its `expires`: it keeps playing, and this says so. */
  stale: boolean;
  /** The store said it was full during the last download phase. */
  storeFull: boolean;
  /** Trusted time of the last event. */
  now: number;
}

export function initialSyncState(channel: string, now = 0): SyncState {
  return {
    channel,
    phase: 'booting',
    active: undefined,
    staged: undefined,
    downloads: {},
    missingAtBoot: 0,
    lastPoll: undefined,
    lastSuccess: undefined,
    lastError: undefined,
    failures: 0,
    backoffUntil: undefined,
    retryAfterUntil: undefined,
    nextPollAt: undefined,
    stale: false,
    storeFull: false,
    now,
  };
}

export interface PlannedDownload {
  sha256: string;
  name: string;
  bytes: number;
  needed: boolean;
}

export type SyncEvent =
  | {
      type: 'booted';
      at: number;
      active: ManifestSummary | undefined;
      staged: ManifestSummary | undefined;
      missing: number;
      /** Remembered from before the restart, for the status overlay. */
      lastSuccess?: number | undefined;
      lastError?: SyncError | undefined;
    }
  | { type: 'boot-rejected'; at: number; error: VerifyError }
  | { type: 'poll-started'; at: number }
  | { type: 'not-modified'; at: number }
  | { type: 'unchanged'; at: number }
  | { type: 'rejected'; at: number; error: VerifyError }
  | { type: 'poll-failed'; at: number; kind: 'network' | 'http' | 'too-large'; message: string }
  | { type: 'staged'; at: number; manifest: ManifestSummary }
  | { type: 'downloads-planned'; at: number; files: PlannedDownload[] }
  | { type: 'download-progress'; at: number; sha256: string; done: number }
  | { type: 'download-failed'; at: number; sha256: string; kind: DownloadError; message: string }
  | { type: 'download-done'; at: number; sha256: string }
  | { type: 'committed'; at: number; manifest: ManifestSummary }
  | { type: 'store-failed'; at: number; full: boolean; message: string }
  /** A cycle ended: `ok` false counts a failure; the delay was drawn by the effect (random). */
  | { type: 'cycle-done'; at: number; ok: boolean; delayMs: number; retryAfterMs: number | undefined }
  | { type: 'clock'; at: number }
  | { type: 'stopped'; at: number };

const isStale = (active: ManifestSummary | undefined, at: number) =>
  active !== undefined && Date.parse(active.expires) <= at;

export function reduceSync(state: SyncState, event: SyncEvent): SyncState {
  const next = reduceEvent(state, event);
  const stale = isStale(next.active, event.at);
  return next === state && stale === state.stale && event.at === state.now
    ? state
    : { ...next, stale, now: event.at };
}

function reduceEvent(state: SyncState, event: SyncEvent): SyncState {
  switch (event.type) {
    case 'booted':
      return {
        ...state,
        phase: 'idle',
        active: event.active,
        staged: event.staged,
        missingAtBoot: event.missing,
        lastSuccess: event.lastSuccess ?? state.lastSuccess,
        lastError: state.lastError ?? event.lastError,
      };
    case 'boot-rejected':
      return {
        ...state,
        lastError: { at: event.at, kind: 'boot', message: event.error.message, check: event.error.check },
      };
    case 'poll-started':
      return { ...state, phase: 'polling', nextPollAt: undefined };
    case 'not-modified':
    case 'unchanged':
      return {
        ...state,
        lastPoll: { at: event.at, outcome: event.type },
        lastSuccess: event.at,
      };
    case 'rejected':
      return {
        ...state,
        lastPoll: { at: event.at, outcome: 'rejected' },
        // The upstream answered: the link works, the content does not.
        lastSuccess: event.at,
        lastError: {
          at: event.at,
          kind: 'rejected',
          message: event.error.message,
          check: event.error.check,
        },
      };
    case 'poll-failed':
      return {
        ...state,
        lastPoll: { at: event.at, outcome: 'failed' },
        lastError: { at: event.at, kind: event.kind, message: event.message },
      };
    case 'staged':
      return {
        ...state,
        staged: event.manifest,
        lastPoll: { at: event.at, outcome: 'new' },
        lastSuccess: event.at,
      };
    case 'downloads-planned': {
      const downloads: Record<string, DownloadState> = {};
      for (const f of event.files) {
        const old = state.downloads[f.sha256];
        downloads[f.sha256] = old
          ? { ...old, needed: f.needed }
          : { ...f, done: 0, attempts: 0, lastError: undefined };
      }
      return { ...state, phase: event.files.length ? 'downloading' : state.phase, downloads };
    }
    case 'download-progress': {
      const d = state.downloads[event.sha256];
      if (!d) return state;
      return { ...state, downloads: { ...state.downloads, [event.sha256]: { ...d, done: event.done } } };
    }
    case 'download-failed': {
      const d = state.downloads[event.sha256];
      const message = `${d?.name ?? event.sha256}: ${event.message}`;
      const kind: SyncErrorKind = event.kind === 'store-full' ? 'store-full' : 'download';
      return {
        ...state,
        storeFull: state.storeFull || event.kind === 'store-full',
        lastError: { at: event.at, kind, message },
        downloads: d
          ? {
              ...state.downloads,
              [event.sha256]: {
                ...d,
                attempts: d.attempts + 1,
                // What was discarded no longer counts.
                done: event.kind === 'hash' || event.kind === 'size' ? 0 : d.done,
                lastError: { kind: event.kind, message: event.message },
              },
            }
          : state.downloads,
      };
    }
    case 'download-done': {
      if (!(event.sha256 in state.downloads)) return state;
      const { [event.sha256]: _done, ...rest } = state.downloads;
      return { ...state, downloads: rest };
    }
    case 'committed':
      return {
        ...state,
        active: event.manifest,
        staged: state.staged && state.staged.version <= event.manifest.version ? undefined : state.staged,
        missingAtBoot: 0,
      };
    case 'store-failed':
      return {
        ...state,
        storeFull: state.storeFull || event.full,
        lastError: { at: event.at, kind: event.full ? 'store-full' : 'store', message: event.message },
      };
    case 'cycle-done': {
      const failures = event.ok ? 0 : state.failures + 1;
      const retryAfterUntil = event.retryAfterMs === undefined ? undefined : event.at + event.retryAfterMs;
      return {
        ...state,
        phase: 'idle',
        failures,
        // A clean cycle clears the flag; a failed one keeps what it found.
        storeFull: event.ok ? false : state.storeFull,
        backoffUntil: event.ok ? undefined : event.at + event.delayMs,
        retryAfterUntil,
        nextPollAt: event.at + event.delayMs,
      };
    }
    case 'clock':
      return state;
    case 'stopped':
      return { ...state, phase: 'stopped', nextPollAt: undefined };
  }
}

/** The manifest's age in ms at `now` (since `issued`), for the status overlay. */
export function manifestAge(summary: ManifestSummary | undefined, now: number): number | undefined {
  return summary ? now - Date.parse(summary.issued) : undefined;
}
