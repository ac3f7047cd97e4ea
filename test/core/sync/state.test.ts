/** The reducer, without streams. */
import { describe, expect, it } from 'vitest';
import {
  initialSyncState,
  reduceSync,
  type ManifestSummary,
  type SyncEvent,
  type SyncState,
} from '../../../src/core/index.ts';

const T = Date.parse('2026-11-15T10:00:00Z');
const v3: ManifestSummary = {
  version: 3,
  issued: '2026-11-14T08:00:00Z',
  expires: '2026-11-25T08:00:00Z',
  acceptedAt: T - 1000,
};
const v4: ManifestSummary = {
  version: 4,
  issued: '2026-11-15T08:00:00Z',
  expires: '2026-12-15T08:00:00Z',
  acceptedAt: T,
};
const run = (events: SyncEvent[], state: SyncState = initialSyncState('ccsp-lokossa')) =>
  events.reduce(reduceSync, state);
const booted: SyncEvent = { type: 'booted', at: T, active: v3, staged: undefined, missing: 0 };

describe('reduceSync', () => {
  it('boots into the stored manifest', () => {
    const s = run([booted]);
    expect(s).toMatchObject({ phase: 'idle', active: v3, staged: undefined, stale: false, now: T });
  });

  it('keeps everything but the poll time on a 304', () => {
    const before = run([booted]);
    const after = run([{ type: 'not-modified', at: T + 5 }], before);
    expect(after.active).toBe(before.active);
    expect(after.downloads).toBe(before.downloads);
    expect(after.lastPoll).toEqual({ at: T + 5, outcome: 'not-modified' });
    expect(after.lastSuccess).toBe(T + 5);
  });

  it('reports a rejected manifest without touching the active one', () => {
    const s = run([
      booted,
      {
        type: 'rejected',
        at: T + 1,
        error: { check: 'rollback', message: 'rollback from version 3 to 2', from: 3, to: 2 },
      },
    ]);
    expect(s.active).toBe(v3);
    expect(s.staged).toBeUndefined();
    expect(s.lastError).toEqual({
      at: T + 1,
      kind: 'rejected',
      check: 'rollback',
      message: 'rollback from version 3 to 2',
    });
  });

  it('stages, tracks downloads, then commits and clears the staged manifest', () => {
    const sha = 'a'.repeat(64);
    let s = run([
      booted,
      { type: 'staged', at: T + 1, manifest: v4 },
      {
        type: 'downloads-planned',
        at: T + 1,
        files: [{ sha256: sha, name: `${sha}.mp4`, bytes: 100, needed: true }],
      },
      { type: 'download-progress', at: T + 2, sha256: sha, done: 40 },
    ]);
    expect(s.phase).toBe('downloading');
    expect(s.downloads[sha]).toMatchObject({ done: 40, bytes: 100, attempts: 0, needed: true });
    s = run([{ type: 'download-failed', at: T + 3, sha256: sha, kind: 'hash', message: 'mismatch' }], s);
    expect(s.downloads[sha]).toMatchObject({
      done: 0,
      attempts: 1,
      lastError: { kind: 'hash', message: 'mismatch' },
    });
    expect(s.lastError?.kind).toBe('download');
    s = run(
      [
        { type: 'download-done', at: T + 4, sha256: sha },
        { type: 'committed', at: T + 4, manifest: v4 },
      ],
      s,
    );
    expect(s.downloads).toEqual({});
    expect(s.active).toBe(v4);
    expect(s.staged).toBeUndefined();
  });

  it('counts failed cycles and sets the back-off; a good cycle clears it', () => {
    let s = run([booted, { type: 'cycle-done', at: T, ok: false, delayMs: 7000, retryAfterMs: undefined }]);
    s = run([{ type: 'cycle-done', at: T + 7000, ok: false, delayMs: 120_000, retryAfterMs: 120_000 }], s);
    expect(s).toMatchObject({
      failures: 2,
      backoffUntil: T + 127_000,
      retryAfterUntil: T + 127_000,
      nextPollAt: T + 127_000,
    });
    s = run(
      [{ type: 'cycle-done', at: T + 127_000, ok: true, delayMs: 300_000, retryAfterMs: undefined }],
      s,
    );
    expect(s).toMatchObject({
      failures: 0,
      backoffUntil: undefined,
      retryAfterUntil: undefined,
      phase: 'idle',
    });
  });

  it('says stale from the expiry on, and keeps the manifest', () => {
    const expiry = Date.parse(v3.expires);
    const before = run([booted, { type: 'clock', at: expiry - 1 }]);
    expect(before.stale).toBe(false);
    const after = run([{ type: 'clock', at: expiry }], before);
    expect(after.stale).toBe(true);
    expect(after.active).toBe(v3);
  });

  it('reports a full store', () => {
    const s = run([booted, { type: 'store-failed', at: T, full: true, message: 'ENOSPC' }]);
    expect(s.storeFull).toBe(true);
    expect(s.lastError?.kind).toBe('store-full');
  });

  it('returns the same object when nothing changes', () => {
    const s = run([booted]);
    expect(reduceSync(s, { type: 'clock', at: T })).toBe(s);
  });
});
