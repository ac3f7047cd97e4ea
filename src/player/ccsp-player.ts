import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { BehaviorSubject, combineLatest, map, of, tap, type Observable, type Subscription } from 'rxjs';
import { DEFAULT_TIMEZONE, type Item, type Manifest } from '../core/manifest-schema.ts';
import { isPowerState, screenPlan } from '../core/power.ts';
import { scheduleTicks } from '../core/schedule/stream.ts';
import { serverTimeFromHeaders, TrustedClock } from '../core/schedule/trusted-clock.ts';
import type { PowerState } from '../core/sign/status.ts';
import type { startSync, SyncHandle } from '../core/sync/engine.ts';
import type { SyncState } from '../core/sync/state.ts';
import type { TrustRoot } from '../core/trust.ts';
import { itemDurationMs, SequenceModel, type Play, type Playback } from '../core/sequence.ts';
import './ccsp-announcement.ts';
import './ccsp-clock.ts';
import './ccsp-closed.ts';
import './ccsp-explainer.ts';
import './ccsp-ticker.ts';
import './ccsp-video.ts';
import './ccsp-welcome.ts';
import type { CcspAnnouncement } from './ccsp-announcement.ts';
import type { CcspClosed } from './ccsp-closed.ts';
import type { CcspExplainer } from './ccsp-explainer.ts';
import type { CcspVideo } from './ccsp-video.ts';
import type { CcspWelcome } from './ccsp-welcome.ts';
import { CcspItemErrorEvent, CcspItemStartEvent } from './events.ts';
import type { CcspItemBase } from './item-base.ts';
import { BrowserStore, requestPersistence } from './browser-store.ts';
import { loadChannel, openChannel, readKeptManifest, windowFetcher } from './load-channel.ts';
import { mediaUrl, type MediaResolver } from './media-url.ts';
import { screenStyles } from './styles.ts';
import type { Showing, TelemetryController } from './telemetry/telemetry-controller.ts';

/** Item errors kept for telemetry until its code is loaded (core/telemetry's MAX_ERRORS). */
const MAX_EARLY_ERRORS = 10;

export type PlayerState = 'loading' | 'playing' | 'stale' | 'no-content';

/** One element on the stage: an item (or the welcome card), absolutely positioned, opaque. */
type ItemElement = CcspAnnouncement | CcspExplainer | CcspVideo;

interface Layer {
  el: ItemElement | CcspWelcome | CcspClosed;
  /** Item id, or '' for the welcome card. */
  key: string;
  /** Resolves true when the layer can be shown at once, false when its item failed. */
  ready: Promise<boolean>;
}

/**
 * The root element of the information screen. It loads and verifies the channel
 * (or takes `manifest` from a host page), feeds its items to the core sequence
 * model and renders what the model says: the item on screen, the next one
 * prepared underneath, a cross-fade between them. Around the items: the centre's
 * name, the clock, a progress bar and the ticker. When nothing can be played it
 * shows the welcome card, never an empty page, an error page or a spinner.
 *
 * Loading itself, it starts at once from the last manifest the sync engine kept
 * in the browser (issue 5: IndexedDB and the Cache API, browser-store.ts), then
 * syncs with the origin; the service worker (sw.ts) serves media from that cache.
 *
 * It reflects `data-state` (`loading`, `playing`, `stale`, `no-content`),
 * `data-item` (id of the item on screen), `data-manifest-version`, and the sync
 * engine's `data-sync` (phase) and `data-sync-error` (kind of the last error);
 * for power (issue 7) `data-power`, and `data-dim` and `data-closed` when set.
 * Events: `ccsp-item-start`, `ccsp-item-error` (see events.ts). docs/player.md.
 */
@customElement('ccsp-player')
export class CcspPlayer extends LitElement {
  static override styles = [
    screenStyles,
    css`
      :host {
        display: grid;
        grid-template-rows: auto minmax(0, 1fr) auto auto;
        width: 100vw;
        height: 100vh;
        box-sizing: border-box;
        overflow: hidden;
        background: var(--ccsp-bg);
      }
      header {
        display: flex;
        justify-content: space-between;
        align-items: baseline;
        gap: 4vmin;
        padding: 1.8vmin 4vmin;
        border-bottom: 0.5vmin solid var(--ccsp-line);
        color: var(--ccsp-accent);
        font-weight: 700;
        min-width: 0;
      }
      .site {
        min-width: 0;
        line-height: 1.5;
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .stage {
        position: relative;
        overflow: hidden;
        min-height: 0;
      }
      .stage > * {
        position: absolute;
        inset: 0;
      }
      .progress {
        height: 0.7vmin;
        background: rgba(255, 255, 255, 0.15);
      }
      .bar {
        height: 100%;
        background: var(--ccsp-accent);
        transform-origin: left;
        transform: scaleX(0);
      }
      footer {
        padding: 1.5vmin 4vmin;
        min-width: 0;
      }
      /* Saving power, or closed (issue 7): darker pixels draw less on OLED panels; an LCD's
         backlight is the display commands' business (docs/deployment.md). The closed card
         sets its own low luminance. */
      :host([data-dim]) header,
      :host([data-dim]) footer,
      :host([data-dim]) .progress,
      :host([data-dim]) .stage > :not(ccsp-closed) {
        filter: brightness(0.6);
      }
      :host([data-closed]) {
        background: #000000;
      }
      @media (orientation: portrait) {
        header {
          flex-direction: column;
          gap: 0.5vmin;
        }
      }
    `,
  ];

  private model: SequenceModel | undefined;
  private subscription: Subscription | undefined;
  private layers: Layer[] = [];
  private shown: Layer | undefined;
  private prepared: Layer | undefined;
  private currentPlay: Play | undefined;
  private z = 1;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private prepareTimer: ReturnType<typeof setTimeout> | undefined;
  private firstPainted = false;
  /** Resolves once the first item is painted: what the screen does not need before that waits for it. */
  private readonly painted = new Promise<void>((resolve) => (this.onPainted = resolve));
  private onPainted!: () => void;
  /** max(device clock, signed time), corrected by the server's Date header. */
  private readonly clock = new TrustedClock();
  /**
   * Heartbeats and proof of play (issue 7, docs/telemetry.md), when the player loads its
   * channel itself. Its code is loaded once the first item is painted; until then the
   * player keeps the showing on screen and the item errors, with their times, for it.
   */
  private telemetry: TelemetryController | undefined;
  private beforeTelemetry: {
    showing: (Showing & { el: HTMLElement; play: Play }) | undefined;
    errors: CcspItemErrorEvent[];
  } = {
    showing: undefined,
    errors: [],
  };
  private sync: SyncHandle | undefined;
  private syncSubscriptions: Subscription[] = [];
  private listeners: AbortController | undefined;
  /** The power state as a stream, so that a change re-plans without restarting the loop. */
  private readonly power$ = new BehaviorSubject<PowerState>('ok');
  /** Whether videos that have a poster are shown as that still (eco and crit power). */
  private stills = false;
  /** Whether the centre is closed now: then the closed card replaces the welcome card. */
  private closedNow = false;

  @query('.stage') private stage!: HTMLDivElement;
  @query('.bar') private bar!: HTMLDivElement;

  @state() private playerState: PlayerState = 'loading';
  /** What the status overlay shows (`<ccsp-status>`): the engine's state and the clock skew. */
  @state() private status: { sync: SyncState | undefined; skewMs: number | undefined } = {
    sync: undefined,
    skewMs: undefined,
  };

  /** The verified manifest to play; set by the element itself from its origin, or by a host page. */
  @property({ attribute: false }) manifest: Manifest | undefined;

  /** The items eligible now, in loop order; all items of the manifest when not set (the schedule engine feeds it). */
  @property({ attribute: false }) items: Observable<readonly Item[]> | undefined;

  /** Skip loading from the origin (the editor's preview and tests set `manifest` directly). */
  @property({ type: Boolean, attribute: 'no-fetch' }) noFetch = false;

  /** Play every item in turn, whatever the schedule says (the editor's item preview, layout tests). */
  @property({ type: Boolean, attribute: 'no-schedule' }) noSchedule = false;

  /** Where media files are loaded from (by default /media/<sha256>.<ext> on the origin). */
  @property({ attribute: false }) resolveMedia: MediaResolver = mediaUrl;

  /**
   * The time to schedule by, in ms since the epoch, instead of the trusted clock: the editor's
   * preview shows what the screen would show at a chosen instant. Unset on a real screen.
   */
  @property({ attribute: false }) now: (() => number) | undefined;

  /** The centre's power state: `eco` shows videos as their poster and dims, `crit` plays only essential items. */
  @property({ attribute: false }) power: PowerState = 'ok';

  /** Cross-fade length in milliseconds. */
  @property({ type: Number, attribute: 'fade-ms' }) fadeMs = 600;

  /** Prepare the next item this long before the current one ends, in milliseconds. */
  @property({ type: Number, attribute: 'prepare-lead-ms' }) prepareLeadMs = 5000;

  /** Watchdog for media loading, start and stalls, in milliseconds. */
  @property({ type: Number, attribute: 'watchdog-ms' }) watchdogMs = 5000;

  /** Multiplies every duration (tests and benchmarks run the loop fast). */
  @property({ type: Number, attribute: 'time-scale' }) timeScale = 1;

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.noFetch && !this.manifest) void this.load();
    // What the first item does not need waits for it to be painted, or for `watchdog-ms` when
    // none comes (closed, nothing playable): the staff's overlay, unless asked for now, and telemetry.
    const afterFirst = Promise.race([this.painted, new Promise<void>((r) => this.later(r, this.watchdogMs))]);
    const overlay =
      new URLSearchParams(location.search).get('status') === '1' ? Promise.resolve() : afterFirst;
    overlay
      .then(() => import('./ccsp-status.ts'))
      .catch((e: unknown) => console.warn('ccsp-player: status overlay not loaded', e));
    if (!this.noFetch) void afterFirst.then(() => this.loadTelemetry());
    if (this.hasUpdated) this.subscribe();
    // A short grace before the welcome card, so that a fast load goes straight to the first item.
    this.later(() => {
      if (!this.shown) this.showWelcome();
    }, 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.stopSync();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    clearTimeout(this.prepareTimer);
    for (const layer of [...this.layers]) this.removeLayer(layer);
    this.shown = this.prepared = this.currentPlay = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (
      changed.has('manifest') ||
      changed.has('items') ||
      changed.has('timeScale') ||
      changed.has('noSchedule') ||
      changed.has('now')
    ) {
      this.model = undefined;
    }
    this.dataset.state = this.playerState;
    this.dataset.power = this.power;
    if (this.power$.value !== this.power) this.power$.next(this.power);
    if (this.manifest) this.dataset.manifestVersion = String(this.manifest.version);
  }

  protected override updated(): void {
    if (!this.model && this.manifest) this.subscribe();
  }

  private async load(): Promise<void> {
    // The server's Date header corrects a device clock that booted in 1970 (DESIGN.md "Time").
    const config = await fetch('/config.json', {
      cache: 'no-store',
      signal: AbortSignal.timeout(3000),
    }).catch(() => undefined);
    const serverTime = config && serverTimeFromHeaders(config.headers);
    if (serverTime !== undefined) this.clock.observeServer(serverTime);
    // The centre's power state at boot (issue 7); heartbeat answers keep it up to date.
    const power = ((await config?.json().catch(() => undefined)) as { power?: unknown } | undefined)?.power;
    if (isPowerState(power)) this.power = power;
    const store = new BrowserStore();
    void requestPersistence();
    const opened = await openChannel(location.search, store);
    if (!this.isConnected || this.manifest || this.sync) return;
    if (!opened.ok) {
      console.warn('ccsp-player: channel not loaded, retrying in 30 s', opened);
      this.showWelcome();
      this.later(() => void this.load(), 30_000);
      return;
    }
    const { channel } = opened.config;
    // Play at once from the copy kept in the store (issue 5 "At boot"), its signature checked again.
    const kept = await readKeptManifest(store, channel, opened.root, this.clock.now().now);
    if (!this.isConnected || this.sync) return;
    if (kept.ok) this.adopt(kept.manifest);
    else if (kept.reason === 'rejected')
      console.warn(`ccsp-player sync: the stored manifest was refused: ${kept.error.message}`);
    if (!this.manifest) {
      // First start: nothing kept yet. Play from the network while the engine fills the store;
      // if that fails too, the engine's first commit brings the channel.
      const result = await loadChannel(opened.config);
      if (result.ok) this.adopt(result.manifest);
      else console.warn('ccsp-player: channel not loaded, waiting for the sync engine', result);
    }
    // The sync engine is not needed for the first item (docs/offline.md "The screen's side"): its
    // code loads once an item is painted (or the watchdog's time after a manifest came, when
    // nothing plays), so that the screen's initial JavaScript stays small.
    if (this.manifest) await Promise.race([this.painted, new Promise((r) => setTimeout(r, this.watchdogMs))]);
    await this.loadEngine(channel, opened.root, store);
  }

  /** Imports the telemetry controller and hands it what happened before (the first showing, item errors). */
  private async loadTelemetry(): Promise<void> {
    if (this.telemetry) return;
    let Controller: typeof TelemetryController;
    try {
      ({ TelemetryController: Controller } = await import('./telemetry/telemetry-controller.ts'));
    } catch (e) {
      console.warn('ccsp-player: telemetry not loaded, retrying in 30 s', e);
      this.later(() => void this.loadTelemetry(), 30_000);
      return;
    }
    if (this.telemetry) return;
    const { showing, errors } = this.beforeTelemetry;
    this.beforeTelemetry = { showing: undefined, errors: [] };
    // Added to a connected host, the controller starts at once (hostConnected).
    this.telemetry = new Controller(this, {
      clock: () => this.clock.now(),
      observeServerTime: (ms) => this.clock.observeServer(ms),
    });
    this.telemetry.earlierErrors(errors);
    if (showing?.el.isConnected) this.telemetry.shown(showing.el, showing.play, showing);
  }

  /** Imports the sync engine and starts it; a chunk that cannot be fetched is asked for again later. */
  private async loadEngine(channel: string, root: TrustRoot, store: BrowserStore): Promise<void> {
    let start: typeof startSync;
    try {
      ({ startSync: start } = await import('../core/sync/engine.ts'));
    } catch (e) {
      // No service worker to serve it (an insecure origin) and no link: the screen plays on.
      console.warn('ccsp-player: sync engine not loaded, retrying in 30 s', e);
      this.later(() => void this.loadEngine(channel, root, store), 30_000);
      return;
    }
    if (!this.isConnected || this.sync) return;
    this.startSync(start, channel, root, store);
  }

  /** The engine plays from the store at once, then polls the origin (issue 5, docs/offline.md). */
  private startSync(
    start: typeof startSync,
    channel: string,
    root: TrustRoot,
    store: BrowserStore,
  ): SyncHandle {
    const sync = start({
      channel,
      baseUrl: `${location.origin}/`,
      root,
      fetcher: windowFetcher,
      store,
      log: (e) => (e.level === 'info' ? undefined : console.warn(`ccsp-player sync: ${e.message}`)),
    });
    this.sync = sync;
    this.syncSubscriptions = [
      sync.manifest$.subscribe((m) => {
        if (m) this.adopt(m);
      }),
      sync.state$.subscribe((s) => {
        this.dataset.sync = s.phase;
        if (s.lastError) this.dataset.syncError = s.lastError.kind;
        else delete this.dataset.syncError;
        this.status = { sync: s, skewMs: this.clock.now().skewMs };
      }),
    ];
    this.listeners = new AbortController();
    window.addEventListener('online', () => sync.pollNow(), { signal: this.listeners.signal });
    return sync;
  }

  private stopSync(): void {
    this.listeners?.abort();
    this.listeners = undefined;
    this.syncSubscriptions.forEach((s) => s.unsubscribe());
    this.syncSubscriptions = [];
    void this.sync?.stop();
    this.sync = undefined;
  }

  /** A newer manifest replaces the one playing; the same version again changes nothing. */
  private adopt(manifest: Manifest): void {
    if (!this.manifest || manifest.version > this.manifest.version) this.manifest = manifest;
  }

  private subscribe(): void {
    this.subscription?.unsubscribe();
    const manifest = this.manifest;
    if (!manifest || !this.isConnected) return;
    const scale = this.timeScale;
    this.model ??= new SequenceModel(
      this.items ??
        this.onScreen(
          this.noSchedule ? of({ eligible: manifest.items, open: true }) : this.scheduled(manifest),
        ),
      {
        durationOf: (item) => itemDurationMs(item) * scale,
        // The turns follow the schedule's `every`/`share` rules, as the editor's timeline does.
        channel: this.items || this.noSchedule ? undefined : manifest,
      },
    );
    this.currentPlay = undefined;
    this.subscription = this.model.playback$.subscribe((p) => this.onPlayback(p));
  }

  /**
   * The items the schedule engine allows now, re-evaluated exactly when that changes
   * (issue 4): opening hours, closures, validity, urgent items that interrupt.
   */
  private scheduled(manifest: Manifest): Observable<{ eligible: Item[]; open: boolean }> {
    this.clock.observeSigned(Date.parse(manifest.issued));
    return scheduleTicks(of(manifest), () => this.trustedNow());
  }

  /**
   * What plays on this power state and opening state (issue 7, core/power.ts): only
   * essential items on critical power, videos as stills and a dimmed screen when
   * saving; while closed, what the schedule allows, dimmed, and the closed card when
   * that is nothing.
   */
  private onScreen(ticks: Observable<{ eligible: Item[]; open: boolean }>): Observable<readonly Item[]> {
    return combineLatest([ticks, this.power$]).pipe(
      map(([tick, power]) => screenPlan(tick.eligible, { open: tick.open, power })),
      tap((plan) => {
        this.stills = plan.stills;
        this.toggleAttribute('data-dim', plan.dim);
        this.toggleAttribute('data-closed', plan.closed);
        if (plan.closed === this.closedNow) return;
        this.closedNow = plan.closed;
        // Nothing playing: the card changes now (the sequence model stays idle and says nothing).
        queueMicrotask(() => {
          if (!this.currentPlay && this.shown?.key === '') this.showWelcome();
        });
      }),
      map((plan) => plan.items),
    );
  }

  /** Trusted time, with the clock skew reflected for anyone watching (`data-clock-skew`, seconds). */
  private trustedNow(): number {
    if (this.now) return this.now();
    const t = this.clock.now();
    this.dataset.clockSkew = String(Math.round(t.skewMs / 1000));
    if (t.implausible) this.dataset.clock = 'implausible';
    else delete this.dataset.clock;
    return t.now;
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  // ------------------------------------------------------------ playback

  private onPlayback(p: Playback): void {
    if (p.status === 'idle') {
      this.currentPlay = undefined;
      this.dropPrepared();
      this.setState('no-content');
      this.showWelcome();
      return;
    }
    if (p.current !== this.currentPlay) {
      this.currentPlay = p.current;
      const take = this.prepared?.key === p.current.item.id ? this.prepared : undefined;
      if (take) this.prepared = undefined;
      const layer = take ?? this.createLayer(p.current.item);
      if (layer) void this.showWhenReady(layer, p.current);
    }
    this.schedulePrepare(p);
  }

  private setState(s: PlayerState): void {
    this.playerState = s;
    this.dataset.state = s;
  }

  private schedulePrepare(p: Extract<Playback, { status: 'playing' }>): void {
    clearTimeout(this.prepareTimer);
    const next = p.next;
    if (this.prepared && this.prepared.key !== next?.id) this.dropPrepared();
    if (!next || this.prepared) return;
    const end = p.current.startedAt + p.current.duration;
    const delay = Math.max(0, end - this.prepareLeadMs - Date.now());
    this.prepareTimer = setTimeout(() => {
      if (this.currentPlay === p.current && !this.prepared) this.prepared = this.createLayer(next);
    }, delay);
  }

  private dropPrepared(): void {
    if (this.prepared) this.removeLayer(this.prepared);
    this.prepared = undefined;
  }

  /** Creates the item's element underneath everything and starts preparing it. */
  private createLayer(item: Item): Layer | undefined {
    const el = this.createItemElement(item);
    if (!el) {
      const message = `unknown item kind "${(item as { kind: string }).kind}"; update the player`;
      this.dispatchEvent(new CcspItemErrorEvent({ itemId: item.id, reason: 'unknown-kind', message }));
      this.reportFailure(item.id, 'unknown-kind', message);
      return undefined;
    }
    (el as CcspItemBase<Item>).item = item;
    el.resolveMedia = this.resolveMedia;
    el.watchdogMs = this.watchdogMs;
    if (item.kind === 'video') (el as CcspVideo).still = this.stills;
    el.style.zIndex = '0';
    this.stage.prepend(el);
    const layer: Layer = {
      el,
      key: item.id,
      ready: el.prepare().then(
        () => true,
        () => false,
      ),
    };
    this.layers.push(layer);
    return layer;
  }

  private createItemElement(item: Item): ItemElement | undefined {
    switch (item.kind) {
      case 'announcement':
        return document.createElement('ccsp-announcement');
      case 'explainer':
        return document.createElement('ccsp-explainer');
      case 'video':
        return document.createElement('ccsp-video');
      default:
        // A manifest from a newer publisher: skip what this player cannot show.
        return undefined;
    }
  }

  private async showWhenReady(layer: Layer, play: Play): Promise<void> {
    const ok = await layer.ready;
    if (!this.layers.includes(layer)) return;
    if (this.currentPlay !== play || !ok) {
      if (layer !== this.prepared) this.removeLayer(layer);
      return;
    }
    const el = layer.el as ItemElement;
    el.duration = play.duration;
    this.bringOnTop(layer);
    el.start();
    const version = this.manifest?.version ?? 0;
    const showing = { start: this.clock.now().now, t0: performance.now(), power: this.power, version };
    if (this.telemetry) this.telemetry.shown(el, play, showing);
    else this.beforeTelemetry.showing = { ...showing, el, play };
    this.dataset.item = play.item.id;
    // Playing (or stale: an expired manifest keeps playing, DESIGN.md) once an item is on screen.
    const expired = this.manifest && Date.parse(this.manifest.expires) <= this.trustedNow();
    this.setState(expired ? 'stale' : 'playing');
    this.restartProgress(Math.max(0, play.startedAt + play.duration - Date.now()));
    this.dispatchEvent(
      new CcspItemStartEvent({ itemId: play.item.id, duration: play.duration, play: play.play }),
    );
    if (!this.firstPainted) {
      this.firstPainted = true;
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          performance.mark('ccsp-first-item');
          this.onPainted();
        }),
      );
    }
  }

  private showWelcome(): void {
    const m = this.manifest;
    const tag = this.closedNow && m ? 'ccsp-closed' : 'ccsp-welcome';
    if (this.shown?.key === '' && this.shown.el.localName === tag) return;
    let el: CcspWelcome | CcspClosed;
    if (tag === 'ccsp-closed') {
      // Closed, with nothing written for that time: the dark closed card (issue 7).
      el = document.createElement('ccsp-closed');
      el.manifest = m;
      el.now = () => this.trustedNow();
    } else {
      el = document.createElement('ccsp-welcome');
      el.site = m?.site.name ?? '';
      el.hours = m?.hours ?? [];
      el.timeZone = m?.timezone ?? DEFAULT_TIMEZONE;
      el.now = this.now;
    }
    this.stage.prepend(el);
    const layer: Layer = { el, key: '', ready: Promise.resolve(true) };
    this.layers.push(layer);
    delete this.dataset.item;
    if (this.telemetry) this.telemetry.left();
    else this.beforeTelemetry.showing = undefined;
    this.bar?.getAnimations().forEach((a) => a.cancel());
    this.bringOnTop(layer);
  }

  /**
   * Puts the layer above all others and fades it in. The layers below stay fully
   * opaque during the fade and are removed only when it is over, so there is no
   * frame in which neither is visible.
   */
  private bringOnTop(layer: Layer): void {
    const previous = this.shown;
    this.shown = layer;
    layer.el.style.zIndex = String(++this.z);
    const done = () => {
      for (const other of [...this.layers]) {
        if (other !== this.shown && other !== this.prepared) this.removeLayer(other);
      }
    };
    // The welcome card gives way at once: it is a still, and a fade would only delay the item.
    if (!previous || previous.key === '' || this.fadeMs <= 0) {
      done();
      return;
    }
    const fade = layer.el.animate([{ opacity: 0 }, { opacity: 1 }], {
      duration: this.fadeMs,
      easing: 'ease-out',
    });
    fade.finished.then(
      () => {
        if (this.shown === layer) done();
      },
      () => undefined,
    );
  }

  private removeLayer(layer: Layer): void {
    this.layers = this.layers.filter((l) => l !== layer);
    layer.el.getAnimations().forEach((a) => a.cancel());
    layer.el.remove();
    if (this.shown === layer) this.shown = undefined;
  }

  private restartProgress(ms: number): void {
    const bar = this.bar;
    if (!bar) return;
    bar.getAnimations().forEach((a) => a.cancel());
    bar.animate([{ transform: 'scaleX(0)' }, { transform: 'scaleX(1)' }], {
      duration: ms,
      easing: 'linear',
      fill: 'forwards',
    });
  }

  private reportFailure(itemId: string, reason: string, message: string): void {
    console.warn(`ccsp-player: skipped item "${itemId}" (${reason}): ${message}`);
    // After the current dispatch: the model answers synchronously, and this may run inside onPlayback.
    queueMicrotask(() => this.model?.itemFailed(itemId));
  }

  private onItemError = (e: CcspItemErrorEvent): void => {
    if (!this.telemetry && !this.noFetch) {
      // The last few only (the heartbeat keeps as many): the code may be long in coming (no link).
      this.beforeTelemetry.errors = [...this.beforeTelemetry.errors.slice(1 - MAX_EARLY_ERRORS), e];
      // The item on screen failed: its showing ends unrecorded (the code to record it is not there yet).
      if (this.beforeTelemetry.showing?.el === e.target) this.beforeTelemetry.showing = undefined;
    }
    const layer = this.layers.find((l) => l.el === e.target);
    if (!layer) return;
    if (layer === this.prepared) this.dropPrepared();
    this.reportFailure(e.detail.itemId, e.detail.reason, e.detail.message);
  };

  /** The sync engine's state when the player loads its channel itself (status overlay, heartbeat). */
  get syncState(): SyncState | undefined {
    return this.sync?.state;
  }

  /** Shows this item now (editor preview, tests), then continues the loop after it. */
  jump(itemId: string): void {
    this.model?.jump(itemId);
  }

  override render() {
    const m = this.manifest;
    const idle = this.playerState !== 'playing' && this.playerState !== 'stale';
    return html`
      <header>
        <span class="site" lang="fr">${m?.site.name ?? 'Centre Communal de Service Public'}</span>
        ${idle ? nothing : html`<ccsp-clock time-zone=${m?.timezone ?? DEFAULT_TIMEZONE} .now=${this.now}></ccsp-clock>`}
      </header>
      <div class="stage" @ccsp-item-error=${this.onItemError}></div>
      <div class="progress" aria-hidden="true"><div class="bar"></div></div>
      <footer><ccsp-ticker .lines=${m?.ticker ?? []}></ccsp-ticker></footer>
      <ccsp-status
        .state=${this.status.sync}
        .skewMs=${this.status.skewMs}
        .telemetry=${this.telemetry?.status}
      ></ccsp-status>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-player': CcspPlayer;
  }
}
