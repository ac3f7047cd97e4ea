import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatOpeningHours } from '../core/clock-format.ts';
import { DEFAULT_TIMEZONE, type Manifest } from '../core/manifest-schema.ts';
import './ccsp-clock.ts';
import { itemStyles, screenStyles } from './styles.ts';

/**
 * What the screen shows when there is nothing to play (or nothing loaded yet):
 * a dignified welcome with the centre's name, the time and the opening hours.
 * Never an empty page, an error page or a spinner.
 */
@customElement('ccsp-welcome')
export class CcspWelcome extends LitElement {
  static override styles = [
    screenStyles,
    itemStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        justify-content: center;
        gap: 3vmin;
        padding: var(--ccsp-gap) 6vmin;
      }
      h1 {
        font-size: 9vmin;
        color: var(--ccsp-accent);
      }
      .site {
        font-size: var(--ccsp-title);
        font-weight: 700;
        --lines: 2;
      }
      ccsp-clock {
        font-size: 5.5vmin;
      }
      h2 {
        font-size: 1em;
        color: var(--ccsp-accent);
        margin-top: 2vmin;
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0.5vmin 3vmin;
        margin: 0;
      }
      dd {
        margin: 0;
      }
      @media (orientation: portrait) {
        dl {
          grid-template-columns: 1fr;
        }
        dd {
          margin-bottom: 1.5vmin;
        }
      }
    `,
  ];

  /** Name of the centre, when known. */
  @property() site = '';

  /** The week's opening hours. */
  @property({ attribute: false }) hours: Manifest['hours'] = [];

  /** IANA time zone of the channel. */
  @property({ attribute: 'time-zone' }) timeZone = DEFAULT_TIMEZONE;

  /** The time to show, in ms, instead of the device's (the editor's preview of another instant). */
  @property({ attribute: false }) now: (() => number) | undefined;

  override render() {
    const lines = formatOpeningHours(this.hours);
    return html`
      <h1 lang="fr">Bienvenue</h1>
      <p class="site clamp" lang="fr">${this.site || 'Centre Communal de Service Public'}</p>
      <p lang="fr">Le point focal vous accueille et vous aide dans vos démarches en ligne.</p>
      <ccsp-clock time-zone=${this.timeZone} .now=${this.now}></ccsp-clock>
      ${
        lines.length > 0
          ? html`<h2 lang="fr">Heures d’ouverture</h2>
              <dl lang="fr">
                ${lines.map(
                  (l) =>
                    html`<dt>${l.days}</dt>
                      <dd>${l.times}</dd>`,
                )}
              </dl>`
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-welcome': CcspWelcome;
  }
}
