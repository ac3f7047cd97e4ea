/**
 * The screen's side of telemetry (issue 7, docs/telemetry.md): heartbeats to its
 * server and proof of play. A reactive controller of `<ccsp-player>`: it starts
 * when the player connects (only when the player loads its channel itself: an
 * editor preview or a test with `no-fetch` sends nothing) and stops, listeners,
 * timers and requests included, when it disconnects. The player imports it after
 * its first item is painted and tells it what happened before (`shown(…, at)`,
 * `earlierErrors`).
 *
 * - Player id `p-` + 16 hex digits, created once and kept (telemetry-store.ts);
 *   the name from the URL (`?name=`), else /config.json's `name`, else the kept one.
 * - Heartbeats: at once when the channel is known, then every `intervalS` (the
 *   answer sets it), one request at a time, a failure retried at the next interval
 *   (core/telemetry/loop.ts). Durations follow the player's `time-scale`.
 * - Proof of play: the player tells `shown(el, play)` and `left()`; each showing
 *   becomes a record in the durable queue (core/telemetry/queue.ts), sent in
 *   batches with the heartbeats and deleted only when an answer acks its batch.
 * - The answer's `power` sets the player's `power`; its `serverTime` corrects the clock.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Subscription } from 'rxjs';
import type { Manifest, PowerState, SyncState } from '../../core/index.ts';
import type { Play } from '../../core/sequence.ts';
import {
  acknowledge,
  buildHeartbeat,
  DEFAULT_QUEUE_CAP,
  EMPTY_QUEUE,
  enqueue,
  heartbeatLoop,
  MAX_BODY_BYTES,
  MIN_INTERVAL_S,
  minimalHeartbeat,
  parseHeartbeatAnswer,
  pushError,
  queueLength,
  roundShown,
  takeBatch,
  type HeartbeatAnswer,
  type HeartbeatResult,
  type MinimalHeartbeat,
  type PlayerStateName,
  type PlayQueue,
  type PlayRecord,
  type PlaysBody,
  type SkipReason,
  type TelemetryError,
} from '../../core/telemetry/index.ts';
import { CcspPlayEvent, type CcspItemErrorEvent, type ItemErrorReason } from '../events.ts';
import { PaintingMonitor } from './painting.ts';
import { randomId, TelemetryStore } from './telemetry-store.ts';

export const HEARTBEAT_URL = '/api/telemetry/v1/heartbeat';
/** A heartbeat that has no answer by then has failed (it is retried at the next interval). */
const REQUEST_TIMEOUT_MS = 30_000;
/** Names longer than this are cut (the server keeps 80 characters). */
const MAX_NAME = 80;
/** When this tab last sent a heartbeat (sessionStorage outlives a reload, not the tab). */
const LAST_SENT_KEY = 'ccsp-telemetry-last-sent';

function lastSent(): number | undefined {
  try {
    const t = Number(sessionStorage.getItem(LAST_SENT_KEY));
    return t > 0 ? t : undefined;
  } catch {
    return undefined; // storage refused: no memory across reloads
  }
}

function markSent(at: number): void {
  try {
    sessionStorage.setItem(LAST_SENT_KEY, String(at));
  } catch {
    // as above
  }
}

/** What `<ccsp-player>` offers the controller. */
export interface TelemetryHost extends ReactiveControllerHost, HTMLElement {
  readonly noFetch: boolean;
  readonly timeScale: number;
  readonly manifest: Manifest | undefined;
  readonly syncState: SyncState | undefined;
  power: PowerState;
}

export interface TelemetryOptions {
  /** Trusted time and its distance from the device clock, in milliseconds. */
  clock: () => { now: number; skewMs: number };
  /** The server's time from an answer, to correct the trusted clock. */
  observeServerTime: (ms: number) => void;
  /** IndexedDB database (tests use their own). */
  database?: string;
}

/** What the status overlay shows. */
export interface TelemetryStatus {
  player: string | undefined;
  /** Trusted times, ms. */
  lastSentAt: number | undefined;
  lastAckAt: number | undefined;
  lastError: string | undefined;
  /** Records and counts waiting for an ack. */
  queued: number;
  answer: HeartbeatAnswer | undefined;
}

const SKIP_REASONS: Record<ItemErrorReason, SkipReason> = {
  'media-missing': 'error',
  'media-undecodable': 'error',
  'video-error': 'error',
  'video-start-timeout': 'watchdog',
  'video-stalled': 'stalled',
  'hls-error': 'error',
  'unknown-kind': 'error',
  'prepare-timeout': 'watchdog',
};

/** When and how an item went on screen, taken by the player at that moment. */
export interface Showing {
  /** Trusted time it went on screen. */
  start: number;
  /** performance.now() then: the time shown does not jump with clock corrections. */
  t0: number;
  power: PowerState;
  /** Version of the manifest playing. */
  version: number;
}

interface OnScreen extends Showing {
  el: HTMLElement;
  play: Play;
  reason?: SkipReason;
}

export class TelemetryController implements ReactiveController {
  status: TelemetryStatus = {
    player: undefined,
    lastSentAt: undefined,
    lastAckAt: undefined,
    lastError: undefined,
    queued: 0,
    answer: undefined,
  };

  private readonly painting = new PaintingMonitor();
  private store: TelemetryStore | undefined;
  private life: AbortController | undefined;
  private loop: Subscription | undefined;
  private queue: PlayQueue | undefined;
  /** Plays that ended before the kept queue was read. */
  private early: PlayRecord[] = [];
  private playerId: string | undefined;
  private name: string | undefined;
  private cap = DEFAULT_QUEUE_CAP;
  private errors: TelemetryError[] = [];
  private lastSyncError: number | undefined;
  private onScreen: OnScreen | undefined;
  /**
   * Heartbeats refused in a row (400). A refused body is never dropped; the next one
   * is smaller: the required fields and the plays, then the required fields alone, so
   * that a field the server does not take cannot hold back the plays, nor a play the
   * screen's state. A success goes back to the full heartbeat.
   */
  private refusals = 0;

  constructor(
    private readonly host: TelemetryHost,
    private readonly options: TelemetryOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (this.host.noFetch || this.life) return;
    const life = new AbortController();
    this.life = life;
    this.store ??= new TelemetryStore(this.options.database);
    this.painting.start();
    this.host.addEventListener('ccsp-item-error', this.onItemError, { signal: life.signal });
    void this.init(life.signal);
  }

  hostUpdated(): void {
    if (!this.life) return;
    const e = this.host.syncState?.lastError;
    if (e && e.at !== this.lastSyncError) {
      this.lastSyncError = e.at;
      this.errors = pushError(this.errors, e.at, `sync ${e.kind}: ${e.message}`);
    }
    this.startLoop();
  }

  hostDisconnected(): void {
    this.life?.abort();
    this.life = undefined;
    this.loop?.unsubscribe();
    this.loop = undefined;
    this.painting.stop();
    // A play cut by the player stopping (reload, page closed) is not recorded: the
    // contract has no reason for it, and a closing page could not write it anyway.
    this.onScreen = undefined;
  }

  /**
   * The player put this item element on screen for this play (at `at`, when it tells
   * later: the player loads this controller after its first item is painted).
   */
  shown(el: HTMLElement, play: Play, at?: Showing): void {
    if (!this.life) return;
    this.close();
    this.onScreen = {
      el,
      play,
      version: at?.version ?? this.host.manifest?.version ?? 0,
      start: at?.start ?? this.options.clock().now,
      t0: at?.t0 ?? performance.now(),
      power: at?.power ?? this.host.power,
    };
    this.painting.watch(el);
  }

  /** Item errors the player saw before this controller existed, for the heartbeat's list. */
  earlierErrors(events: readonly CcspItemErrorEvent[]): void {
    if (!this.life) return;
    for (const e of events) this.noteError(e);
  }

  /** The player covered the item on screen with a card (welcome, closed). */
  left(): void {
    if (!this.life) return;
    this.close();
    this.painting.watch(undefined);
  }

  private async init(signal: AbortSignal): Promise<void> {
    const params = new URLSearchParams(location.search);
    const cap = Number(params.get('telemetry-cap'));
    if (Number.isInteger(cap) && cap > 0) this.cap = cap;
    const store = this.store!;
    let kept: [string, PlayQueue, string | undefined] | undefined;
    try {
      kept = await Promise.all([store.playerId(), store.load(), store.name()]);
    } catch (e) {
      // Storage broken or full: heartbeats still go, with what this run keeps in memory.
      this.fail(`telemetry store: ${(e as Error).message}`);
    }
    if (signal.aborted) return;
    const [id, queue, name] = kept ?? [randomId('p'), EMPTY_QUEUE, undefined];
    this.playerId = id;
    this.status = { ...this.status, player: id };
    this.name = params.get('name')?.slice(0, MAX_NAME) || name;
    this.queue = queue;
    const early = this.early;
    this.early = [];
    for (const r of early) this.add(r);
    this.changed();
    if (!params.get('name')) void this.readName(signal);
    this.startLoop();
  }

  /** The name the server's /config.json gives this screen, if any. */
  private async readName(signal: AbortSignal): Promise<void> {
    const response = await fetch('/config.json', {
      cache: 'no-store',
      signal: AbortSignal.any([signal, AbortSignal.timeout(3000)]),
    }).catch(() => undefined);
    const config = (await response?.json().catch(() => undefined)) as { name?: unknown } | undefined;
    if (signal.aborted || typeof config?.name !== 'string' || !config.name) return;
    this.name = config.name.slice(0, MAX_NAME);
    await this.store?.setName(this.name).catch(() => undefined);
  }

  private channel(): string | undefined {
    return this.host.manifest?.channel ?? this.host.syncState?.channel;
  }

  /** Heartbeats start once the queue is read and the channel known (the server files screens by channel). */
  private startLoop(): void {
    if (this.loop || !this.life || !this.queue || !this.channel()) return;
    const scale = () => (this.host.timeScale > 0 ? this.host.timeScale : 1);
    // At once after a reload, unless the page reloads in a loop: 10 s at least between two.
    const floor = MIN_INTERVAL_S * 1000 * scale();
    const last = lastSent();
    const firstDelayMs = last === undefined ? 0 : Math.min(floor, Math.max(0, last + floor - Date.now()));
    this.loop = heartbeatLoop({ send: () => this.beat(), scale, firstDelayMs }).subscribe((r) => {
      if (!r.ok) this.fail(r.error);
      this.changed();
    });
  }

  private async beat(): Promise<HeartbeatResult> {
    const life = this.life;
    if (!life || !this.queue || !this.playerId) return { ok: false, error: 'telemetry stopped' };
    const painting = await this.painting.check();
    const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
    const time = this.options.clock();
    const manifest = this.host.manifest;
    const full = buildHeartbeat({
      player: this.playerId,
      name: this.name,
      channel: this.channel(),
      now: time.now,
      uptimeMs: performance.now(),
      state: (this.host.dataset.state ?? 'loading') as PlayerStateName,
      manifest: manifest && { version: manifest.version, issued: manifest.issued },
      item: this.host.dataset.item,
      skewMs: time.skewMs,
      cache:
        estimate?.usage !== undefined && estimate.quota !== undefined
          ? { usage: estimate.usage, quota: estimate.quota }
          : undefined,
      painting,
      power: this.host.power,
      errors: this.errors,
    });
    const level = Math.min(this.refusals, 2);
    const body: MinimalHeartbeat = level === 0 ? full : minimalHeartbeat(full);
    let plays: PlaysBody | undefined;
    if (level < 2) {
      // The batch gets what the rest of the body leaves of the 64 KiB, with room for its own brackets.
      const rest = new TextEncoder().encode(JSON.stringify(body)).length;
      const taken = takeBatch(this.queue, () => randomId('b'), { maxBytes: MAX_BODY_BYTES - rest - 512 });
      plays = taken.plays;
      if (plays) {
        this.queue = taken.queue;
        try {
          // The server may keep what it is sent: marked sent on disk before it leaves, so that
          // no later merge can fold it into a count (docs/telemetry.md, ids stored once).
          await this.store!.save(this.queue);
          body.plays = plays;
        } catch (e) {
          // Not on disk: the batch waits for a heartbeat that can write it; this one reports the screen.
          this.fail(`telemetry store: ${(e as Error).message}`);
          plays = undefined;
        }
      }
    }
    this.status = { ...this.status, lastSentAt: time.now };
    markSent(Date.now());
    const response = await fetch(HEARTBEAT_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      cache: 'no-store',
      signal: AbortSignal.any([life.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      if (response.status === 400) this.refusals++;
      throw new Error(`heartbeat refused: HTTP ${response.status} ${text.slice(0, 200)}`);
    }
    this.refusals = 0;
    const answer = parseHeartbeatAnswer(await response.json().catch(() => undefined));
    if (!answer) throw new Error('heartbeat: the answer is not the one of docs/telemetry.md');
    if (life.signal.aborted) return { ok: true, answer, more: false };
    let more = false;
    if (plays && answer.ack === plays.batch) {
      const ids = [...plays.records.map((r) => r.id), ...plays.counts.map((c) => c.id)];
      this.queue = acknowledge(this.queue, plays.batch, ids);
      this.status = { ...this.status, lastAckAt: this.options.clock().now };
      more = queueLength(this.queue) > 0;
      void this.store!.save(this.queue).catch((e: unknown) =>
        this.fail(`telemetry store: ${(e as Error).message}`),
      );
    }
    if (answer.serverTime !== undefined) this.options.observeServerTime(answer.serverTime);
    if (answer.power && answer.power !== this.host.power) this.host.power = answer.power;
    this.status = { ...this.status, answer, lastError: undefined };
    return { ok: true, answer, more };
  }

  private noteError(e: CcspItemErrorEvent): void {
    const { itemId, reason, message } = e.detail;
    // timeStamp: when the event was made, on performance.now()'s clock.
    const at = this.options.clock().now - Math.max(0, performance.now() - e.timeStamp);
    this.errors = pushError(this.errors, at, `item ${itemId} ${reason}: ${message}`);
  }

  private onItemError = (e: CcspItemErrorEvent): void => {
    const { reason } = e.detail;
    this.noteError(e);
    // The item on screen failed: its showing ends now (the player moves on).
    const s = this.onScreen;
    if (s && e.composedPath().includes(s.el)) this.close(SKIP_REASONS[reason]);
  };

  /** Ends the showing on screen and records it. */
  private close(reason?: SkipReason): void {
    const s = this.onScreen;
    if (!s) return;
    this.onScreen = undefined;
    const scale = this.host.timeScale > 0 ? this.host.timeScale : 1;
    const { startedAt, duration } = s.play;
    // The sequence model ended it (its timer runs on Date.now()), or something cut it short.
    const natural = Date.now() >= startedAt + duration - Math.min(20, duration * 0.05);
    const why = reason ?? (natural ? undefined : this.host.power !== s.power ? 'power' : 'schedule');
    const record: PlayRecord = {
      id: randomId('r'),
      item: s.play.item.id,
      version: s.version,
      start: new Date(s.start).toISOString(),
      shownS: roundShown((performance.now() - s.t0) / 1000 / scale),
      outcome: why ? 'skipped' : 'completed',
      ...(why ? { reason: why } : {}),
    };
    this.host.dispatchEvent(new CcspPlayEvent(record));
    if (!this.queue) this.early.push(record);
    else this.add(record);
    this.changed();
  }

  private add(record: PlayRecord): void {
    this.queue = enqueue(this.queue ?? EMPTY_QUEUE, record, { cap: this.cap, newId: () => randomId('c') });
    this.store?.save(this.queue).catch((e: unknown) => this.fail(`telemetry store: ${(e as Error).message}`));
  }

  private fail(message: string): void {
    this.errors = pushError(this.errors, this.options.clock().now, message);
    this.status = { ...this.status, lastError: message };
  }

  private changed(): void {
    const queued = this.queue ? queueLength(this.queue) : this.early.length;
    if (queued !== this.status.queued) this.status = { ...this.status, queued };
    this.host.requestUpdate();
  }
}
