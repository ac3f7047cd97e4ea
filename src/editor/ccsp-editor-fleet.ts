import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DEFAULT_TIMEZONE } from '../core/manifest-schema.ts';
import { editorStyles } from './editor-styles.ts';
import {
  alarms,
  errorCount,
  errorList,
  formatSkew,
  loadFleet,
  paintingReason,
  POWER_LABELS,
  stateLook,
  timeOf,
  type Fleet,
  type FleetChannel,
  type FleetScreen,
} from './fleet.ts';
import { formatAgo, formatDateTime } from './format.ts';
import { errorMessage } from './media-client.ts';

/**
 * The fleet page: per channel, its screens with their state in French, the
 * version they play against the published one, what is on screen (the item's
 * French title, else its id), when they were last heard of, power and clock. A
 * screen that stopped painting or is down stands out by its text, an icon and
 * its row, not by colour alone, and is named in the summary at the top.
 * Refreshed every 30 s while the page is seen.
 */
@customElement('ccsp-editor-fleet')
export class CcspEditorFleet extends LitElement {
  static override styles = [
    editorStyles,
    css`
      :host {
        display: block;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
      }
      .alarm-box {
        border: 2px solid var(--ed-danger);
        background: var(--ed-danger-bg);
        padding: 0.5rem 0.75rem;
        margin: 0.75rem 0;
      }
      .alarm-box ul {
        margin: 0.25rem 0 0;
      }
      section {
        margin: 1.25rem 0;
      }
      h3 {
        margin: 0 0 0.25rem;
      }
      .table-wrap {
        overflow-x: auto;
      }
      .state {
        display: inline-flex;
        gap: 0.35rem;
        align-items: baseline;
        font-weight: 600;
      }
      .state .icon {
        display: inline-block;
        min-width: 1.2em;
        text-align: center;
      }
      .tone-ok .state {
        color: var(--ed-ok);
      }
      .tone-warn .state {
        color: #7a5a00;
      }
      .tone-quiet .state {
        color: var(--ed-muted);
        font-weight: 400;
      }
      tr.tone-alarm > * {
        background: var(--ed-danger-bg);
      }
      tr.tone-alarm > th {
        border-left: 6px solid var(--ed-danger);
      }
      .tone-alarm .state {
        color: var(--ed-danger);
        text-transform: none;
      }
      .tone-alarm .state .icon {
        font-size: 1.25em;
      }
      .late {
        color: #7a5a00;
        font-weight: 600;
      }
      details summary {
        cursor: pointer;
      }
    `,
  ];

  private timer: ReturnType<typeof setInterval> | undefined;
  private listeners: AbortController | undefined;
  private loading = false;

  @state() private fleet: Fleet | undefined;
  @state() private error = '';
  @state() private loadedAt = 0;

  /** Seconds between two refreshes while the page is visible. */
  @property({ type: Number, attribute: 'refresh-s' }) refreshS = 30;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
    this.timer = setInterval(() => {
      if (document.visibilityState === 'visible') void this.refresh();
    }, this.refreshS * 1000);
    this.listeners = new AbortController();
    // Back on the page after a while: fresh news at once rather than at the next tick.
    document.addEventListener(
      'visibilitychange',
      () => {
        if (document.visibilityState === 'visible' && Date.now() - this.loadedAt > this.refreshS * 1000)
          void this.refresh();
      },
      { signal: this.listeners.signal },
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
    this.timer = undefined;
    this.listeners?.abort();
    this.listeners = undefined;
  }

  /** Asks the server again now. */
  async refresh(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    try {
      this.fleet = await loadFleet();
      this.error = '';
      this.loadedAt = Date.now();
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.loading = false;
    }
  }

  private renderSummary(fleet: Fleet) {
    const screens = fleet.channels.flatMap((c) => c.screens ?? []);
    const bad = alarms(fleet);
    const ok = screens.filter((s) => s.state === 'ok').length;
    return html`
      <p>
        ${
          fleet.tracked
            ? `${screens.length} écran${screens.length > 1 ? 's' : ''}, dont ${ok} en service.`
            : 'Le suivi des écrans n’est pas encore disponible sur ce serveur : seule la version publiée de chaque chaîne est connue.'
        }
      </p>
      <div aria-live="polite">
        ${
          bad.length > 0
            ? html`<div class="alarm-box">
                <strong
                  ><span aria-hidden="true">⚠ </span>${
                    bad.length === 1
                      ? '1 écran demande une intervention :'
                      : `${bad.length} écrans demandent une intervention :`
                  }</strong
                >
                <ul>
                  ${bad.map(
                    ({ channel, screen }) =>
                      html`<li>
                        « ${screen.name || screen.id} » (${channel.name}) : ${stateLook(screen.state).label}
                      </li>`,
                  )}
                </ul>
              </div>`
            : nothing
        }
      </div>
    `;
  }

  private renderScreen(channel: FleetChannel, screen: FleetScreen) {
    const look = stateLook(screen.state);
    const zone = channel.timezone ?? DEFAULT_TIMEZONE;
    const seen = timeOf(screen.lastSeen);
    const published = channel.published?.version;
    const late = screen.version != null && published != null && screen.version < published;
    const reason = screen.state === 'not-painting' ? paintingReason(screen) : '';
    const power = screen.power
      ? (POWER_LABELS[screen.power] ?? { label: screen.power, icon: '' })
      : undefined;
    const errors = errorList(screen);
    const count = errorCount(screen);
    return html`<tr class="tone-${look.tone}" data-screen=${screen.id} data-state=${screen.state}>
      <th scope="row">
        ${screen.name || screen.id}
        ${screen.via ? html`<div class="muted">par le boîtier ${screen.via}</div>` : nothing}
      </th>
      <td>
        <span class="state"><span class="icon" aria-hidden="true">${look.icon}</span>${look.label}</span>
        ${reason ? html`<div>${reason}</div>` : nothing}
      </td>
      <td>
        ${screen.version != null ? `v${screen.version}` : '—'}
        ${late ? html`<div class="late">en retard (publiée : v${published})</div>` : nothing}
      </td>
      <td>${screen.itemTitle || (screen.item ? html`<code>${screen.item}</code>` : '—')}</td>
      <td>
        ${seen !== undefined ? html`<time datetime=${new Date(seen).toISOString()} title=${formatDateTime(seen, zone)}>${formatAgo(seen, Date.now())}</time>` : 'jamais'}
      </td>
      <td>
        ${power ? html`${power.icon ? html`<span aria-hidden="true">${power.icon} </span>` : nothing}${power.label}` : '—'}
      </td>
      <td>${formatSkew(screen.clockSkewS)}</td>
      <td>
        ${
          count === 0
            ? 'aucune'
            : errors.length > 0
              ? html`<details>
                  <summary>${count} erreur${count > 1 ? 's' : ''}</summary>
                  <ul>
                    ${errors.map(
                      (e) =>
                        html`<li>
                          ${e.at && timeOf(e.at) !== undefined ? `${formatDateTime(timeOf(e.at)!, zone)} : ` : ''}${e.message}
                        </li>`,
                    )}
                  </ul>
                </details>`
              : `${count} erreur${count > 1 ? 's' : ''}`
        }
      </td>
    </tr>`;
  }

  private renderChannel(channel: FleetChannel, tracked: boolean) {
    const zone = channel.timezone ?? DEFAULT_TIMEZONE;
    const p = channel.published;
    const issued = p ? timeOf(p.issued) : undefined;
    const screens = channel.screens ?? [];
    return html`<section aria-labelledby=${`ch-${channel.id}`} data-channel=${channel.id}>
      <h3 id=${`ch-${channel.id}`}>${channel.name}</h3>
      <p class="muted">
        ${
          p
            ? html`Version publiée :
              v${p.version}${issued !== undefined ? `, le ${formatDateTime(issued, zone)}` : ''}.`
            : 'Jamais publiée.'
        }
      </p>
      ${
        !tracked
          ? nothing
          : screens.length === 0
            ? html`<p>Aucun écran ne s’est encore signalé pour cette chaîne.</p>`
            : html`<div class="table-wrap">
                <table>
                  <caption class="visually-hidden">
                    Écrans de ${channel.name}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Écran</th>
                      <th scope="col">État</th>
                      <th scope="col">Version jouée</th>
                      <th scope="col">À l’écran</th>
                      <th scope="col">Dernier signe de vie</th>
                      <th scope="col">Alimentation</th>
                      <th scope="col">Horloge</th>
                      <th scope="col">Erreurs</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${screens.map((s) => this.renderScreen(channel, s))}
                  </tbody>
                </table>
              </div>`
      }
    </section>`;
  }

  override render() {
    const fleet = this.fleet;
    return html`
      <div class="head">
        <button type="button" @click=${() => void this.refresh()}>Actualiser</button>
        <span class="muted">
          ${this.loadedAt ? `Mis à jour ${formatAgo(this.loadedAt, Date.now())}, actualisé toutes les ${this.refreshS} s.` : 'Chargement…'}
        </span>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${fleet ? this.renderSummary(fleet) : nothing}
      ${fleet?.channels.length === 0 ? html`<p>Aucune chaîne.</p>` : nothing}
      ${fleet?.channels.map((c) => this.renderChannel(c, fleet.tracked))}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-editor-fleet': CcspEditorFleet;
  }
}
