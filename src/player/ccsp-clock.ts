import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatClock } from '../core/clock-format.ts';
import { DEFAULT_TIMEZONE } from '../core/manifest-schema.ts';
import { ClockController } from './clock-controller.ts';

/** The date and time in the channel's time zone, in French: `jeudi 28 novembre, 10 h 05`. */
@customElement('ccsp-clock')
export class CcspClock extends LitElement {
  static override styles = css`
    :host {
      display: inline-block;
      white-space: nowrap;
    }
  `;

  private readonly clock = new ClockController(this);

  /** IANA time zone of the channel. */
  @property({ attribute: 'time-zone' }) timeZone = DEFAULT_TIMEZONE;

  /** The time to show, in ms, instead of the device's (the editor's preview of another instant). */
  @property({ attribute: false }) now: (() => number) | undefined;

  override render() {
    const now = this.now ? new Date(this.now()) : this.clock.now;
    const text = formatClock(now, this.timeZone);
    return html`<time lang="fr" datetime=${now.toISOString()}>${text}</time>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-clock': CcspClock;
  }
}
