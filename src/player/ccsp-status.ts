import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { manifestAge, type SyncError, type SyncState } from '../core/sync/state.ts';
import { screenStyles } from './styles.ts';
import type { TelemetryStatus } from './telemetry/telemetry-controller.ts';

/** How many errors the overlay remembers (the engine's state holds only the last one). */
const KEPT_ERRORS = 5;
/** Ages and the storage estimate are refreshed this often while the overlay is open. */
const REFRESH_MS = 1000;
const ESTIMATE_EVERY = 10;

const number = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const relative = new Intl.RelativeTimeFormat('fr', { numeric: 'always' });

/** "12,3 Mo": decimal units, as the staff's file managers show them. */
export function formatBytes(n: number): string {
  const units = ['o', 'ko', 'Mo', 'Go', 'To'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${number.format(n)} ${units[i]}`;
}

/** A duration in words, rounded to its largest unit: "3 minutes", "2 jours". */
function parts(ms: number): [number, Intl.RelativeTimeFormatUnit] {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return [s, 'second'];
  if (s < 3600) return [Math.round(s / 60), 'minute'];
  if (s < 86_400) return [Math.round(s / 3600), 'hour'];
  return [Math.round(s / 86_400), 'day'];
}

/** "il y a 3 minutes" for a time `ms` before now. */
export function formatAgo(ms: number): string {
  const [n, unit] = parts(ms);
  return relative.format(-n, unit);
}

/** "+2 s", "−5 min", "aucun" under a second: how far the device clock is from trusted time. */
export function formatSkew(ms: number): string {
  if (Math.abs(ms) < 1000) return 'aucun';
  const sign = ms > 0 ? '+' : '−';
  const [n, unit] = parts(ms);
  const short = { second: 's', minute: 'min', hour: 'h', day: 'j' }[unit as string] ?? unit;
  return `${sign}${n} ${short}`;
}

const errorKinds: Record<SyncError['kind'], string> = {
  network: 'réseau',
  http: 'serveur',
  'too-large': 'manifeste trop gros',
  rejected: 'manifeste refusé',
  boot: 'démarrage',
  download: 'téléchargement',
  'store-full': 'stockage plein',
  store: 'stockage',
};

/**
 * The staff's status overlay (issue 5, "Visible state"): what the sync engine
 * knows, in French. Hidden by default; shown with `?status=1` in the page's URL,
 * toggled by the key `s` or F2. `<ccsp-player>` renders it and passes it the
 * engine's state and the clock skew; it only shows them. docs/player.md.
 */
@customElement('ccsp-status')
export class CcspStatus extends LitElement {
  static override styles = [
    screenStyles,
    css`
      :host {
        position: fixed;
        inset: 2vmin 2vmin auto auto;
        z-index: 1000;
        max-width: min(60vw, 900px);
        max-height: calc(100vh - 4vmin);
        overflow: auto;
        box-sizing: border-box;
        padding: 1.5vmin 2vmin;
        background: rgb(0 0 0 / 0.88);
        color: #ffffff;
        font-size: max(14px, 1.8vmin);
        line-height: 1.4;
        border-radius: 0.5em;
      }
      :host(:not([open])) {
        display: none;
      }
      h2 {
        font-size: 1.2em;
        margin: 0 0 0.5em;
        color: #fcd116;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.3em 1.2em;
        margin: 0;
      }
      dt {
        font-weight: 700;
      }
      dd,
      ul {
        margin: 0;
        padding: 0;
        list-style: none;
      }
      progress {
        width: 10em;
        vertical-align: middle;
        margin-right: 0.5em;
      }
      .name {
        overflow-wrap: anywhere;
      }
    `,
  ];

  private timer: ReturnType<typeof setInterval> | undefined;
  private ticks = 0;
  private listeners: AbortController | undefined;

  @state() private now = Date.now();
  @state() private storage: { usage: number; quota: number } | undefined;
  @state() private errors: SyncError[] = [];

  /** Shown (reflected as the `open` attribute); `?status=1` opens it at start. */
  @property({ type: Boolean, reflect: true }) open = false;

  /** The sync engine's state (`<ccsp-player>`'s `syncState`); undefined when the player does not sync. */
  @property({ attribute: false }) state: SyncState | undefined;

  /** Trusted time minus the device clock, in milliseconds. */
  @property({ attribute: false }) skewMs: number | undefined;

  /** Heartbeats and the proof-of-play queue (issue 7); undefined when the player sends none. */
  @property({ attribute: false }) telemetry: TelemetryStatus | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    if (new URLSearchParams(location.search).get('status') === '1') this.open = true;
    this.listeners = new AbortController();
    window.addEventListener('keydown', this.onKey, { signal: this.listeners.signal });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.listeners?.abort();
    this.listeners = undefined;
    this.stopTimer();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const e = this.state?.lastError;
    if (changed.has('state') && e && !this.errors.some((k) => k.at === e.at && k.message === e.message)) {
      this.errors = [e, ...this.errors].slice(0, KEPT_ERRORS);
    }
    if (changed.has('open')) {
      if (this.open) this.startTimer();
      else this.stopTimer();
    }
  }

  private startTimer(): void {
    this.stopTimer();
    this.now = Date.now();
    this.ticks = 0;
    void this.estimate();
    this.timer = setInterval(() => {
      this.now = Date.now();
      if (++this.ticks % ESTIMATE_EVERY === 0) void this.estimate();
    }, REFRESH_MS);
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async estimate(): Promise<void> {
    const e = await navigator.storage?.estimate?.().catch(() => undefined);
    if (e?.usage !== undefined && e.quota !== undefined) this.storage = { usage: e.usage, quota: e.quota };
  }

  private onKey = (e: KeyboardEvent): void => {
    if (e.ctrlKey || e.altKey || e.metaKey || e.repeat) return;
    if (e.key !== 's' && e.key !== 'S' && e.key !== 'F2') return;
    // Typing an "s" in a field (the editor's preview sits beside its form) is not a toggle.
    const target = e.composedPath()[0];
    if (
      target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
    ) {
      return;
    }
    this.open = !this.open;
  };

  private renderVersion(s: SyncState, now: number) {
    const a = s.active;
    if (!a) return 'aucune';
    const age = manifestAge(a, now) ?? 0;
    return html`${a.version}, publiée
    ${formatAgo(age)}${s.stale ? ' (expirée, lecture continue)' : ''}${
      s.staged ? html`; version ${s.staged.version} en préparation` : nothing
    }`;
  }

  private renderDownloads(s: SyncState) {
    const list = Object.values(s.downloads);
    if (list.length === 0) return 'aucun en cours';
    return html`<ul>
      ${list.map(
        (d) =>
          html`<li>
            <progress
              max=${Math.max(1, d.bytes)}
              .value=${d.done}
              aria-label=${`Téléchargement de ${d.name}`}
            ></progress>
            <span class="name">${d.name}</span> : ${formatBytes(d.done)} /
            ${formatBytes(d.bytes)}${
              d.lastError ? html` (${d.attempts} échec${d.attempts > 1 ? 's' : ''})` : nothing
            }
          </li>`,
      )}
    </ul>`;
  }

  private renderStorage(s: SyncState | undefined) {
    const full = s?.storeFull ? ' — stockage plein' : '';
    const st = this.storage;
    if (!st) return `inconnu${full}`;
    const pct = st.quota > 0 ? Math.round((st.usage / st.quota) * 100) : 0;
    return `${formatBytes(st.usage)} sur ${formatBytes(st.quota)} (${pct} %)${full}`;
  }

  private renderTelemetry(t: TelemetryStatus | undefined, now: number) {
    if (!t?.player) return 'inactive';
    const sent = t.lastSentAt !== undefined ? `envoyé ${formatAgo(now - t.lastSentAt)}` : 'rien envoyé';
    const acked = t.lastAckAt !== undefined ? `, accusé ${formatAgo(now - t.lastAckAt)}` : '';
    const queued = `${t.queued} diffusion${t.queued > 1 ? 's' : ''} en attente`;
    return html`${sent}${acked};
    ${queued}${t.lastError ? html` ; erreur : <span lang="en">${t.lastError}</span>` : nothing}`;
  }

  override render() {
    if (!this.open) return nothing;
    const s = this.state;
    const skew = this.skewMs ?? 0;
    const now = this.now + skew;
    return html`
      <section lang="fr" aria-labelledby="title">
        <h2 id="title">État de l’écran${s ? html` — ${s.channel}` : nothing}</h2>
        <dl>
          <dt>Version du contenu</dt>
          <dd class="version">${s ? this.renderVersion(s, now) : 'pas de synchronisation'}</dd>
          <dt>Dernière synchronisation</dt>
          <dd class="last-success">
            ${s?.lastSuccess !== undefined ? formatAgo(now - s.lastSuccess) : 'jamais'}${
              s?.nextPollAt !== undefined && s.nextPollAt > now
                ? html`; prochaine ${relative.format(...parts(s.nextPollAt - now))}`
                : nothing
            }
          </dd>
          <dt>Téléchargements</dt>
          <dd class="downloads">${s ? this.renderDownloads(s) : 'aucun en cours'}</dd>
          <dt>Espace utilisé</dt>
          <dd class="storage">${this.renderStorage(s)}</dd>
          <dt>Décalage d’horloge</dt>
          <dd class="skew">${this.skewMs === undefined ? 'inconnu' : formatSkew(skew)}</dd>
          <dt>Télémétrie</dt>
          <dd class="telemetry">${this.renderTelemetry(this.telemetry, now)}</dd>
          <dt>Dernières erreurs</dt>
          <dd class="errors">
            ${
              this.errors.length === 0
                ? 'aucune'
                : html`<ul>
                    ${this.errors.map(
                      (e) =>
                        html`<li>
                          ${formatAgo(now - e.at)}, ${errorKinds[e.kind]} :
                          <span lang="en">${e.message}</span>
                        </li>`,
                    )}
                  </ul>`
            }
          </dd>
        </dl>
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-status': CcspStatus;
  }
}
