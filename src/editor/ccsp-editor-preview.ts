import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { catchError, concat, debounceTime, from, map, of, Subject, switchMap, type Subscription } from 'rxjs';
import { DEFAULT_TIMEZONE, type Manifest, type SourcePlaylist } from '../core/manifest-schema.ts';
import { mediaFileName, type MediaFile } from '../core/media.ts';
import type { CcspPlayer } from '../player/ccsp-player.ts';
import type { CcspSign } from '../player/ccsp-sign.ts';
import { api, ApiError, type ApiProblem } from './api.ts';
import { closureOf, dayProgramme, frenchTitle, kindName, type ProgrammePeriod } from './day-programme.ts';
import { editorStyles } from './editor-styles.ts';
import { mediaHref } from './media-client.ts';
import { dayBounds, formatHour, formatLength, formatLongDay, fromLocal, toLocal } from './format.ts';

/** Screen sizes in CSS pixels: the player lays out for this viewport (see preview-frame.ts). */
const SCREENS = {
  landscape: { width: 1920, height: 1080, label: 'Paysage (16:9)' },
  portrait: { width: 1080, height: 1920, label: 'Portrait (9:16)' },
} as const;
export type PreviewOrientation = keyof typeof SCREENS;

/** What the preview request gives, as state (errors never kill the stream). */
type PreviewState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ok'; manifest: Manifest; warnings: readonly ApiProblem[] }
  | { kind: 'error'; message: string; problems: readonly ApiProblem[] };

/**
 * Where the preview's media are served (docs/editor-api.md, preview): the server
 * adds each reference's library `name` (an HLS rendition's files live under
 * `hls/<id>/`, not by hash); without one, the content-addressed name.
 */
export const previewMedia = (file: MediaFile & { name?: string }): string =>
  mediaHref(file.name ?? mediaFileName(file));

/**
 * The preview of a channel's draft: the real player (`<ccsp-player no-fetch>`)
 * on the manifest the server makes of the draft, at the screen's size and
 * orientation, at a chosen date and time in the channel's time zone; the sign's
 * LED page beside it; and the programme of that day as a table.
 */
@customElement('ccsp-editor-preview')
export class CcspEditorPreview extends LitElement {
  static override styles = [
    editorStyles,
    css`
      :host {
        display: block;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem 1.5rem;
        align-items: end;
      }
      fieldset {
        border: 1px solid var(--ed-line);
        border-radius: 0.35rem;
        padding: 0.3rem 0.75rem 0.5rem;
        margin: 0;
      }
      fieldset label {
        margin-right: 1rem;
        white-space: nowrap;
      }
      .when {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        align-items: center;
      }
      .status {
        min-height: 1.5em;
        margin: 0.5rem 0;
      }
      .warning {
        background: var(--ed-warn-bg);
        border-left: 4px solid #8a6d00;
        padding: 0.25rem 0.75rem;
        margin: 0.5rem 0;
      }
      .warning p,
      .warning ul {
        margin: 0.25rem 0;
      }
      .views {
        display: flex;
        flex-wrap: wrap;
        gap: 1rem;
        align-items: flex-start;
      }
      .screen {
        flex: 0 0 auto;
        margin: 0;
      }
      .slot {
        position: relative;
        overflow: hidden;
        background: #0b2a1e;
        border: 1px solid var(--ed-line);
        box-sizing: content-box;
      }
      .slot iframe {
        position: absolute;
        top: 0;
        left: 0;
        border: 0;
        transform-origin: 0 0;
      }
      .waiting {
        position: absolute;
        inset: 0;
        display: grid;
        place-items: center;
        color: #fff;
      }
      .sign {
        flex: 1 1 12rem;
        max-width: 20rem;
        margin: 0;
      }
      .sign iframe {
        display: block;
        width: 100%;
        aspect-ratio: 4 / 1;
        border: 0;
        background: #000;
      }
      figcaption {
        margin-top: 0.35rem;
      }
      .bar {
        position: relative;
        display: flex;
        height: 1.6rem;
        margin: 0.5rem 0 0.25rem;
        border: 1px solid var(--ed-muted);
      }
      .bar span {
        height: 100%;
      }
      .bar .closed {
        background: repeating-linear-gradient(45deg, #b9bfbb 0 6px, #dfe3e0 6px 12px);
      }
      .bar .open {
        background: #3d8a5e;
      }
      .bar .urgent {
        background: var(--ed-danger);
      }
      .bar .empty {
        background: #f0f2f0;
      }
      .bar .cursor {
        position: absolute;
        top: -0.3rem;
        bottom: -0.3rem;
        width: 3px;
        background: var(--ed-focus);
      }
      .ticks {
        display: flex;
        justify-content: space-between;
        font-size: 0.85rem;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 1rem;
        font-size: 0.9rem;
        margin: 0.25rem 0 0.75rem;
      }
      .legend i {
        display: inline-block;
        width: 1rem;
        height: 0.8rem;
        vertical-align: middle;
        margin-right: 0.3rem;
        border: 1px solid var(--ed-muted);
      }
      .badge {
        display: inline-block;
        font-size: 0.8rem;
        font-weight: 700;
        padding: 0 0.4rem;
        border-radius: 0.25rem;
        margin-right: 0.3rem;
      }
      .badge.urgent {
        background: var(--ed-danger);
        color: #fff;
      }
      .badge.closed {
        background: #4a524d;
        color: #fff;
      }
      tr.urgent th,
      tr.urgent td {
        background: var(--ed-danger-bg);
      }
      td ul {
        margin: 0;
        padding-left: 1.1rem;
      }
    `,
  ];

  private readonly requests = new Subject<{ channel: string; playlist: SourcePlaylist }>();
  private subscription: Subscription | undefined;
  private resize: ResizeObserver | undefined;
  private observers: MutationObserver[] = [];
  /** The chosen instant, and when it was chosen: the preview's clock runs on from there. */
  private chosen: { at: number; setAt: number } | undefined;
  private nowFn: () => number = () => Date.now();
  private programmeKey: unknown[] = [];
  private programmeCache: ProgrammePeriod[] = [];

  @query('.views') private views!: HTMLDivElement;
  @query('iframe.screen-frame') private screenFrame!: HTMLIFrameElement;
  @query('iframe.sign-frame') private signFrame!: HTMLIFrameElement;

  @state() private preview: PreviewState = { kind: 'idle' };
  /** The last manifest the server made: kept on screen while a newer draft is refused. */
  @state() private manifest: Manifest | undefined;
  @state() private slotWidth = 0;
  @state() private local = { date: '', time: '' };
  @state() private framesReady = { screen: false, sign: false };
  @state() private onScreen = '';
  @state() private onSign = '';

  /** The draft to preview (a source playlist whose media are library names). */
  @property({ attribute: false }) playlist: SourcePlaylist | undefined;

  /** The channel's id (`POST /api/editor/channels/:id/preview`). */
  @property() channel = '';

  /** Screen orientation: `landscape` (16:9) or `portrait` (9:16). */
  @property({ reflect: true }) orientation: PreviewOrientation = 'landscape';

  /** Wait this long after the last change of the draft before asking the server, in ms. */
  @property({ type: Number, attribute: 'debounce-ms' }) debounceMs = 700;

  /** The page that hosts the screen in a frame of its size (editor/preview-frame.html). */
  @property({ attribute: 'frame-src' }) frameSrc = '/editor/preview-frame.html';

  override connectedCallback(): void {
    super.connectedCallback();
    this.subscription = this.requests
      .pipe(
        debounceTime(this.debounceMs),
        switchMap(({ channel, playlist }) =>
          concat(
            of<PreviewState>({ kind: 'loading' }),
            from(
              api<{ manifest: Manifest; warnings?: ApiProblem[] }>(
                'POST',
                `channels/${encodeURIComponent(channel)}/preview`,
                {
                  playlist,
                },
              ),
            ).pipe(
              map((a): PreviewState => ({ kind: 'ok', manifest: a.manifest, warnings: a.warnings ?? [] })),
              catchError((e: unknown) =>
                of<PreviewState>({
                  kind: 'error',
                  message:
                    e instanceof ApiError
                      ? e.message
                      : 'L’aperçu n’a pas pu être préparé. Réessayez dans un instant.',
                  problems: e instanceof ApiError ? e.problems : [],
                }),
              ),
            ),
          ),
        ),
      )
      .subscribe((s) => {
        this.preview = s;
        if (s.kind === 'ok') this.manifest = s.manifest;
      });
    if (this.hasUpdated) this.request();
    // Measured in the next frame: the new scale changes the figure's height, which this
    // observer sees, and a change within its own callback's frame is a ResizeObserver loop.
    this.resize = new ResizeObserver(() => requestAnimationFrame(() => this.measure()));
    if (this.views) this.resize.observe(this.views);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.resize?.disconnect();
    this.resize = undefined;
    this.observers.forEach((o) => o.disconnect());
    this.observers = [];
    this.framesReady = { screen: false, sign: false };
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('playlist') || changed.has('channel')) this.request();
    if (!this.local.date) this.local = toLocal(Date.now(), this.timeZone);
  }

  protected override firstUpdated(): void {
    // The row, whose width does not depend on the frame's scale (a ResizeObserver reports
    // once at once: the first measure).
    this.resize?.observe(this.views);
  }

  protected override updated(): void {
    this.syncFrames();
  }

  private get timeZone(): string {
    return this.manifest?.timezone ?? this.playlist?.timezone ?? DEFAULT_TIMEZONE;
  }

  private request(): void {
    if (this.playlist && this.channel) this.requests.next({ channel: this.channel, playlist: this.playlist });
  }

  /** The screen's room: the row, less the sign beside it when the row is wide enough for both. */
  private measure(): void {
    const row = this.views?.clientWidth ?? 0;
    const rem = parseFloat(getComputedStyle(this).fontSize) || 16;
    const beside = row >= 40 * rem ? 13 * rem : 0;
    const width = Math.max(0, Math.floor(row - beside - 2));
    if (width !== this.slotWidth) this.slotWidth = width;
  }

  /** Scale of the screen's frame: the slot's width, and at most 70 % of the window's height. */
  private get scale(): number {
    const screen = SCREENS[this.orientation];
    const byWidth = this.slotWidth / screen.width;
    const byHeight = (window.innerHeight * 0.7) / screen.height;
    return Math.max(0.05, Math.min(byWidth || 0.25, byHeight));
  }

  /** The player inside the screen's frame, once the preview has a manifest. */
  get player(): CcspPlayer | null {
    return this.screenFrame?.contentDocument?.querySelector('ccsp-player') ?? null;
  }

  /** The sign's LED page inside its frame. */
  get sign(): CcspSign | null {
    return this.signFrame?.contentDocument?.querySelector('ccsp-sign') ?? null;
  }

  /** The instant the preview shows, in ms (it runs on from the chosen one). */
  get previewNow(): number {
    return this.nowFn();
  }

  /** Shows the screen as it would be at this instant (ms); `undefined`: now. */
  showAt(at: number | undefined): void {
    if (at === undefined) {
      this.chosen = undefined;
      this.nowFn = () => Date.now();
    } else {
      const chosen = { at, setAt: Date.now() };
      this.chosen = chosen;
      this.nowFn = () => chosen.at + (Date.now() - chosen.setAt);
    }
    this.local = toLocal(this.nowFn(), this.timeZone);
  }

  private onFrameLoad = async (e: Event): Promise<void> => {
    const frame = e.target as HTMLIFrameElement;
    const win = frame.contentWindow as (Window & typeof globalThis) | null;
    const doc = frame.contentDocument;
    if (!win || !doc || doc.URL === 'about:blank') return;
    const tag = frame.classList.contains('sign-frame') ? 'ccsp-sign' : 'ccsp-player';
    await win.customElements.whenDefined(tag);
    copyFontFaces(document, doc);
    this.framesReady = { ...this.framesReady, [tag === 'ccsp-sign' ? 'sign' : 'screen']: true };
  };

  /** Creates the player and the sign in their frames, and passes them the manifest and the time. */
  private syncFrames(): void {
    const manifest = this.manifest;
    if (!manifest) return;
    const screenDoc = this.framesReady.screen ? this.screenFrame?.contentDocument : undefined;
    if (screenDoc) {
      let player = screenDoc.querySelector('ccsp-player');
      if (!player) {
        player = screenDoc.createElement('ccsp-player');
        player.noFetch = true;
        player.resolveMedia = previewMedia;
        player.manifest = manifest;
        player.now = this.nowFn;
        screenDoc.body.append(player);
        this.watch(player, ['data-item', 'data-state'], () => this.describeScreen());
      }
      if (player.manifest !== manifest) player.manifest = manifest;
      if (player.now !== this.nowFn) player.now = this.nowFn;
    }
    const signDoc = this.framesReady.sign ? this.signFrame?.contentDocument : undefined;
    if (signDoc) {
      let sign = signDoc.querySelector('ccsp-sign');
      if (!sign) {
        sign = signDoc.createElement('ccsp-sign');
        // Set before it is connected: without a manifest it would load one from its origin.
        sign.manifest = manifest;
        sign.now = this.nowFn;
        signDoc.body.append(sign);
        this.watch(sign, ['data-mode', 'data-text'], () => this.describeSign());
      }
      if (sign.manifest !== manifest) sign.manifest = manifest;
      if (sign.now !== this.nowFn) sign.now = this.nowFn;
    }
  }

  private watch(el: Element, attributes: string[], fn: () => void): void {
    const observer = new MutationObserver(fn);
    observer.observe(el, { attributes: true, attributeFilter: attributes });
    this.observers.push(observer);
    // Not during this update (called from updated()): as the next one.
    queueMicrotask(fn);
  }

  private describeScreen(): void {
    const player = this.player;
    if (!player) return;
    const id = player.dataset.item;
    const item = id ? this.manifest?.items.find((i) => i.id === id) : undefined;
    this.onScreen = item
      ? `${kindName(item)} « ${frenchTitle(item)} »${item.priority === 'urgent' ? ' (urgent)' : ''}`
      : player.dataset.state === 'loading'
        ? 'préparation…'
        : 'l’écran d’accueil (rien à diffuser à ce moment)';
  }

  private describeSign(): void {
    const sign = this.sign;
    if (!sign?.dataset.mode) return;
    const mode = { open: 'ouvert', closed: 'fermé' }[sign.dataset.mode] ?? 'information';
    this.onSign = `${mode}, « ${sign.dataset.text ?? ''} »`;
  }

  private onOrientation = (e: Event): void => {
    this.orientation = (e.target as HTMLInputElement).value as PreviewOrientation;
  };

  private onWhen = (): void => {
    const date = this.renderRoot.querySelector<HTMLInputElement>('#when-date')!.value;
    const time = this.renderRoot.querySelector<HTMLInputElement>('#when-time')!.value;
    const at = fromLocal({ date, time }, this.timeZone);
    if (Number.isNaN(at)) {
      this.local = { date, time };
      return;
    }
    this.showAt(at);
  };

  private get programme(): ProgrammePeriod[] {
    const m = this.manifest;
    if (!m) return [];
    const key = [m, this.local.date];
    if (key.every((k, i) => k === this.programmeKey[i])) return this.programmeCache;
    const [start, end] = dayBounds(this.local.date, m.timezone);
    this.programmeKey = key;
    this.programmeCache = dayProgramme(m, start, end);
    return this.programmeCache;
  }

  private renderStatus() {
    const p = this.preview;
    if (!this.channel || !this.playlist)
      return html`<span class="muted">Aucun brouillon à prévisualiser.</span>`;
    if (p.kind === 'loading' || p.kind === 'idle') return html`Mise à jour de l’aperçu…`;
    if (p.kind === 'ok') return html`Aperçu à jour.`;
    return nothing;
  }

  private renderError() {
    const p = this.preview;
    if (p.kind === 'ok' && p.warnings.length > 0) {
      return html`<div class="warning">
        <p>À vérifier (le brouillon peut être publié) :</p>
        <ul>
          ${p.warnings.map((w) => html`<li>${w.message}</li>`)}
        </ul>
      </div>`;
    }
    if (p.kind !== 'error') return nothing;
    return html`<div class="error" role="alert">
      <p>
        ${p.message} ${this.manifest ? ' L’aperçu montre la dernière version correcte du brouillon.' : ''}
      </p>
      ${
        p.problems.length > 0
          ? html`<ul>
              ${p.problems.map((x) => html`<li>${x.message}</li>`)}
            </ul>`
          : nothing
      }
    </div>`;
  }

  private renderScreen() {
    const screen = SCREENS[this.orientation];
    const k = this.scale;
    return html`
      <figure class="screen" style="width:${Math.round(screen.width * k) + 2}px">
        <div
          class="slot"
          style="width:${Math.round(screen.width * k)}px;height:${Math.round(screen.height * k)}px"
        >
          <iframe
            class="screen-frame"
            title="Aperçu de l’écran d’information"
            tabindex="-1"
            src=${this.frameSrc}
            width=${screen.width}
            height=${screen.height}
            style="transform:scale(${k})"
            @load=${this.onFrameLoad}
          ></iframe>
          ${this.manifest ? nothing : html`<div class="waiting" aria-hidden="true">Préparation de l’aperçu…</div>`}
        </div>
        <figcaption aria-live="polite">
          Écran ${screen.label.toLowerCase()} : ${this.onScreen ? html`à l’écran, ${this.onScreen}.` : '…'}
        </figcaption>
      </figure>
    `;
  }

  private renderSign() {
    return html`
      <figure class="sign">
        <iframe
          class="sign-frame"
          title="Aperçu de l’enseigne lumineuse"
          tabindex="-1"
          src=${this.frameSrc}
          @load=${this.onFrameLoad}
        ></iframe>
        <figcaption aria-live="polite">Enseigne lumineuse : ${this.onSign || '…'}</figcaption>
      </figure>
    `;
  }

  private renderProgramme() {
    const m = this.manifest;
    if (!m || !this.local.date) return nothing;
    const periods = this.programme;
    const closure = closureOf(m, this.local.date);
    const [dayStart, dayEnd] = dayBounds(this.local.date, m.timezone);
    const span = dayEnd - dayStart;
    const hour = (t: number) => formatHour(t, m.timezone, dayEnd);
    const now = this.nowFn();
    const cursor = now >= dayStart && now < dayEnd ? ((now - dayStart) / span) * 100 : undefined;
    return html`
      <section aria-labelledby="programme-title">
        <h3 id="programme-title">Programme du ${formatLongDay(this.local.date)}</h3>
        <p class="muted">Heures du centre (${m.timezone}).</p>
        ${closure ? html`<p><strong>Centre fermé toute la journée :</strong> ${closure}.</p>` : nothing}
        <div class="bar" aria-hidden="true">
          ${periods.map(
            (p) =>
              html`<span
                class=${p.urgent ? 'urgent' : !p.open ? 'closed' : p.lines.length ? 'open' : 'empty'}
                style="width:${((p.end - p.start) / span) * 100}%"
                title="${hour(p.start)} – ${hour(p.end)}"
              ></span>`,
          )}
          ${cursor === undefined ? nothing : html`<span class="cursor" style="left:${cursor}%"></span>`}
        </div>
        <div class="ticks" aria-hidden="true">
          <span>0 h</span><span>6 h</span><span>12 h</span><span>18 h</span><span>24 h</span>
        </div>
        <div class="legend" aria-hidden="true">
          <span><i class="open" style="background:#3d8a5e"></i>ouvert</span>
          <span><i style="background:var(--ed-danger)"></i>annonce urgente</span>
          <span
            ><i style="background:repeating-linear-gradient(45deg,#b9bfbb 0 4px,#dfe3e0 4px 8px)"></i>centre
            fermé</span
          >
          <span><i style="background:#f0f2f0"></i>écran d’accueil</span>
          <span><i style="background:var(--ed-focus)"></i>moment affiché</span>
        </div>
        <table>
          <caption class="visually-hidden">
            Ce que l’écran diffuse le ${formatLongDay(this.local.date)}, période par période
          </caption>
          <thead>
            <tr>
              <th scope="col">Période</th>
              <th scope="col">Centre</th>
              <th scope="col">À l’écran</th>
              <th scope="col"><span class="visually-hidden">Voir</span></th>
            </tr>
          </thead>
          <tbody>
            ${periods.map(
              (p) =>
                html`<tr class=${p.urgent ? 'urgent' : ''} data-start=${p.start} data-end=${p.end}>
                  <th scope="row">${hour(p.start)} – ${hour(p.end)}</th>
                  <td>${p.open ? 'Ouvert' : html`<span class="badge closed">Fermé</span>`}</td>
                  <td>
                    ${
                      p.lines.length === 0
                        ? html`<span class="muted">Écran d’accueil (rien à diffuser)</span>`
                        : html`<ul>
                            ${p.lines.map(
                              (l) =>
                                html`<li data-item=${l.item.id}>
                                  ${l.item.priority === 'urgent' ? html`<span class="badge urgent">URGENT</span>` : nothing}
                                  ${kindName(l.item)} « ${frenchTitle(l.item)} »
                                  <span class="muted"
                                    >— ${l.plays} passage${l.plays > 1 ? 's' : ''},
                                    ${formatLength(l.ms)}</span
                                  >
                                </li>`,
                            )}
                          </ul>`
                    }
                  </td>
                  <td>
                    <button type="button" @click=${() => this.showAt(p.start)}>
                      Voir à ${hour(p.start)}<span class="visually-hidden">
                        le ${formatLongDay(this.local.date)}</span
                      >
                    </button>
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>
    `;
  }

  override render() {
    return html`
      <div class="controls">
        <fieldset>
          <legend>Format de l’écran</legend>
          ${(Object.keys(SCREENS) as PreviewOrientation[]).map(
            (o) =>
              html`<label>
                <input
                  type="radio"
                  name="orientation"
                  value=${o}
                  .checked=${this.orientation === o}
                  @change=${this.onOrientation}
                />
                ${SCREENS[o].label}
              </label>`,
          )}
        </fieldset>
        <div class="when">
          <label for="when-date">Voir l’écran le</label>
          <input id="when-date" type="date" required .value=${this.local.date} @change=${this.onWhen} />
          <label for="when-time">à<span class="visually-hidden"> l’heure</span></label>
          <input
            id="when-time"
            type="time"
            required
            step="60"
            .value=${this.local.time}
            @change=${this.onWhen}
          />
          <button
            type="button"
            @click=${() => this.showAt(undefined)}
            aria-pressed=${this.chosen ? 'false' : 'true'}
          >
            Maintenant
          </button>
          <span class="muted">heure du centre (${this.timeZone})</span>
        </div>
      </div>
      <p class="status" role="status">${this.renderStatus()}</p>
      ${this.renderError()}
      <div class="views">${this.renderScreen()} ${this.renderSign()}</div>
      ${this.renderProgramme()}
    `;
  }
}

/**
 * The fonts of the editor's page (Noto Sans, src/player/fonts.css, with the URLs
 * the build gave them) in the frame too, so the preview uses the screen's font.
 */
function copyFontFaces(from: Document, to: Document): void {
  if (to.getElementById('ccsp-fonts')) return;
  const rules: string[] = [];
  for (const sheet of Array.from(from.styleSheets)) {
    let list: CSSRuleList;
    try {
      list = sheet.cssRules;
    } catch {
      continue; // another origin's sheet
    }
    for (const rule of Array.from(list)) if (rule instanceof CSSFontFaceRule) rules.push(rule.cssText);
  }
  const style = to.createElement('style');
  style.id = 'ccsp-fonts';
  style.textContent = rules.join('\n');
  to.head.append(style);
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-editor-preview': CcspEditorPreview;
  }
}
