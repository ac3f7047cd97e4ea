import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { Manifest } from '../core/index.ts';

/**
 * The manifest's short messages, one at a time. Each line stays still for
 * `interval` ms: text that scrolls is hard to read from the back of a room.
 */
@customElement('ccsp-ticker')
export class CcspTicker extends LitElement {
  static override styles = css`
    :host {
      display: block;
      overflow: hidden;
    }
    /* One line on a landscape screen, two on a portrait one; longer is cut with an ellipsis. */
    p {
      margin: 0;
      display: -webkit-box;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 1;
      line-clamp: 1;
      overflow: hidden;
      line-height: 1.4;
      animation: in 0.5s ease-out;
    }
    @media (orientation: portrait) {
      p {
        -webkit-line-clamp: 2;
        line-clamp: 2;
      }
    }
    @keyframes in {
      from {
        opacity: 0;
      }
    }
  `;

  private timer: ReturnType<typeof setInterval> | undefined;

  @state() private index = 0;

  /** The lines to show. */
  @property({ attribute: false }) lines: Manifest['ticker'] = [];

  /** How long each line stays, in milliseconds. */
  @property({ type: Number }) interval = 8000;

  override connectedCallback(): void {
    super.connectedCallback();
    this.restart();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
    this.timer = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('lines')) this.index = 0;
    if ((changed.has('interval') || changed.has('lines')) && this.isConnected) this.restart();
  }

  private restart(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (this.lines.length > 1) this.index = (this.index + 1) % this.lines.length;
    }, this.interval);
  }

  override render() {
    const line = this.lines[this.index % Math.max(1, this.lines.length)];
    if (!line) return nothing;
    // A new element per line restarts the fade-in.
    return keyed(this.index, html`<p lang=${line.lang ?? 'fr'}>${line.text}</p>`);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-ticker': CcspTicker;
  }
}
