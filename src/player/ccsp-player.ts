import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Item, Manifest } from '../core/index.ts';
import { loadChannel, readConfig } from './load-channel.ts';
import { mediaUrl } from './media-url.ts';

export type PlayerState = 'loading' | 'playing' | 'no-content';

/**
 * The root element of the information screen: loads and verifies the channel,
 * then shows its items one after another. Until a verified manifest is there,
 * or when it has nothing to show, it shows a welcome card, never an error page.
 * It reflects `data-state`, `data-item` and `data-manifest-version` for anyone watching.
 */
@customElement('ccsp-player')
export class CcspPlayer extends LitElement {
  static override styles = css`
    :host {
      display: grid;
      grid-template-rows: auto 1fr auto;
      width: 100vw;
      height: 100vh;
      box-sizing: border-box;
      padding: 3vh 4vw;
      gap: 3vh;
      color: #fff;
      background: #0b2a1e;
      font-family: 'Noto Sans', 'DejaVu Sans', system-ui, sans-serif;
      /* 48 px at 1080p, scaling with the screen. */
      font-size: max(4.44vh, 16px);
      line-height: 1.3;
    }
    header {
      display: flex;
      justify-content: space-between;
      font-size: 0.8em;
      color: #fcd116;
    }
    main {
      display: grid;
      grid-template-columns: 1fr auto;
      align-items: center;
      gap: 4vw;
      min-height: 0;
    }
    h1 {
      font-size: 1.6em;
      margin: 0 0 0.5em;
      line-height: 1.15;
    }
    p,
    ol {
      margin: 0;
    }
    img,
    video {
      max-height: 60vh;
      max-width: 45vw;
      border-radius: 1vh;
    }
    video {
      max-width: 90vw;
    }
    .badge {
      display: inline-block;
      background: #fcd116;
      color: #000;
      padding: 0 0.4em;
      border-radius: 0.3em;
      font-size: 0.7em;
      margin-bottom: 0.4em;
    }
    footer {
      font-size: 0.7em;
      border-top: 0.3vh solid #008751;
      padding-top: 1vh;
    }
  `;

  private timer: ReturnType<typeof setTimeout> | undefined;

  @state() private index = 0;

  /** The verified manifest to play; set by the element itself from its origin, or by a host page. */
  @property({ attribute: false }) manifest: Manifest | undefined;

  /** Skip loading from the origin (the editor's preview and tests set `manifest` directly). */
  @property({ type: Boolean, attribute: 'no-fetch' }) noFetch = false;

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.noFetch && !this.manifest) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  private async load(): Promise<void> {
    const config = await readConfig(location.search).catch(() => undefined);
    if (!config) return;
    const result = await loadChannel(config);
    if (result.ok) this.manifest = result.manifest;
    else console.warn('ccsp-player: channel not loaded', result);
  }

  private get items(): Item[] {
    return this.manifest?.items ?? [];
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const item = this.items[this.index];
    if (!item) return;
    const seconds =
      item.kind === 'video' ? Math.min(item.duration, item.maxDuration ?? Infinity) : item.duration;
    this.timer = setTimeout(() => {
      this.index = (this.index + 1) % this.items.length;
    }, seconds * 1000);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('manifest')) this.index = 0;
    const item = this.items[this.index];
    const playerState: PlayerState = this.manifest ? (item ? 'playing' : 'no-content') : 'loading';
    this.dataset.state = playerState;
    if (this.manifest) this.dataset.manifestVersion = String(this.manifest.version);
    if (item) this.dataset.item = item.id;
    else delete this.dataset.item;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('manifest') || changed.has('index' as keyof CcspPlayer)) this.schedule();
  }

  private renderItem(item: Item) {
    switch (item.kind) {
      case 'announcement':
        return html`<div>
            ${item.badge ? html`<span class="badge">${item.badge}</span>` : nothing}
            <h1>${item.title}</h1>
            <p>${item.body}</p>
          </div>
          ${item.image ? html`<img src=${mediaUrl(item.image)} alt="" />` : nothing}`;
      case 'explainer':
        return html`<div>
          <h1>${item.title}</h1>
          <ol>
            ${item.steps.map((s) => html`<li>${s.text}</li>`)}
          </ol>
        </div>`;
      case 'video':
        return html`<video
          muted
          autoplay
          playsinline
          crossorigin="anonymous"
          poster=${item.poster ? mediaUrl(item.poster) : nothing}
          src=${item.file ? mediaUrl(item.file) : nothing}
        >
          ${item.captions.map(
            (c, i) =>
              html`<track
                kind="captions"
                srclang=${c.lang}
                label=${c.label ?? c.lang}
                src=${mediaUrl(c.file)}
                ?default=${i === 0}
              />`,
          )}
        </video>`;
    }
  }

  override render() {
    const m = this.manifest;
    const item = this.items[this.index];
    return html`
      <header>
        <span>${m?.site.name ?? 'Centre Communal de Service Public'}</span>
      </header>
      <main aria-live="polite">
        ${
          item
            ? this.renderItem(item)
            : html`<div>
                <h1>Bienvenue</h1>
                <p>Le point focal vous accueille et vous aide dans vos démarches.</p>
              </div>`
        }
      </main>
      <footer>${m?.ticker.map((t) => t.text).join(' · ') ?? ''}</footer>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-player': CcspPlayer;
  }
}
