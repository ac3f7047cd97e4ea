import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { closureReason, reopeningLine } from '../core/closed-card.ts';
import type { Manifest } from '../core/manifest-schema.ts';
import { ClockController } from './clock-controller.ts';
import { itemStyles, screenStyles } from './styles.ts';

/**
 * What the screen shows while the centre is closed and nothing was written for
 * that time (issue 7, docs/player.md): the centre's name, « Fermé », why (a
 * closure, a public holiday) and when it reopens, in the channel's time zone.
 *
 * Low luminance: black background (an OLED panel's pixels are then off) and grey
 * text; it should be seen from the door at night, not light the room. The manifest
 * has no translation for the player's own words, so the line is French only; the
 * numbers of the time read in any language.
 */
@customElement('ccsp-closed')
export class CcspClosed extends LitElement {
  static override styles = [
    screenStyles,
    itemStyles,
    css`
      :host {
        --ccsp-bg: #000000;
        display: flex;
        flex-direction: column;
        justify-content: center;
        gap: 3vmin;
        padding: var(--ccsp-gap) 6vmin;
        /* #9e9e9e on black: 7.7:1, readable across the room without lighting it. */
        color: #9e9e9e;
      }
      .site {
        --lines: 2;
        font-size: var(--ccsp-body);
      }
      h1 {
        font-size: 12vmin;
        color: #bdbdbd;
      }
      .reason {
        --lines: 1;
      }
      .reopening {
        font-size: var(--ccsp-title);
      }
    `,
  ];

  /** Redraws each minute: « demain » becomes « aujourd’hui » at midnight. */
  private readonly minute = new ClockController(this);

  /** The channel: its name, opening hours, closures and time zone. */
  @property({ attribute: false }) manifest: Manifest | undefined;

  /** Trusted time in ms (the player's clock). */
  @property({ attribute: false }) now: () => number = () => Date.now();

  override render() {
    void this.minute;
    const m = this.manifest;
    const now = this.now();
    const reason = m && closureReason(m, now);
    const reopening = m && reopeningLine(m, now);
    return html`
      <p class="site clamp" lang="fr">${m?.site.name ?? 'Centre Communal de Service Public'}</p>
      <h1 lang="fr">Fermé</h1>
      ${reason ? html`<p class="reason clamp" lang="fr">${reason}</p>` : nothing}
      ${reopening ? html`<p class="reopening" lang="fr">${reopening}</p>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-closed': CcspClosed;
  }
}
