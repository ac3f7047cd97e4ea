import { html, LitElement, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api } from './api.ts';
import { personName, type AuditEntry, type ChannelSummary } from './api-types.ts';
import { auditActionLabel, formatDateTime } from './labels.ts';
import { errorMessage, sessionEnded } from './session-events.ts';
import { editorStyles } from './styles.ts';

const DETAIL_KEYS: Record<string, string> = {
  revision: 'révision',
  items: 'éléments',
  version: 'version',
  ip: 'adresse',
  login: 'identifiant',
  role: 'rôle',
  name: 'nom',
  originalName: 'fichier',
  type: 'type',
  bytes: 'octets',
  comment: 'commentaire',
  disabled: 'désactivé',
  password: 'mot de passe',
};

/** A detail of the journal as text: a string as is, an object as `clé : valeur` pairs in French. */
export function detailText(detail: unknown): string {
  if (detail === undefined || detail === null || detail === '') return '';
  if (typeof detail !== 'object') return String(detail);
  return Object.entries(detail as Record<string, unknown>)
    .map(([k, v]) => {
      const value =
        typeof v === 'boolean' ? (v ? 'oui' : 'non') : typeof v === 'object' ? JSON.stringify(v) : String(v);
      return `${DETAIL_KEYS[k] ?? k} : ${value}`;
    })
    .join(', ');
}

/** The journal (validateur, admin): who did what and when, newest first, by channel. */
@customElement('ccsp-editor-audit')
export class CcspEditorAudit extends LitElement {
  static override styles = [editorStyles];

  @state() private entries: AuditEntry[] | undefined;
  @state() private channels: ChannelSummary[] = [];
  @state() private channel = '';
  @state() private limit = 100;
  @state() private error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    void api<{ channels: ChannelSummary[] }>('GET', 'channels').then(
      (a) => (this.channels = a.channels),
      () => undefined,
    );
  }

  private async load(): Promise<void> {
    const query = new URLSearchParams({ limit: String(this.limit) });
    if (this.channel) query.set('channel', this.channel);
    try {
      this.entries = (await api<{ entries: AuditEntry[] }>('GET', `audit?${query}`)).entries;
      this.error = '';
    } catch (e) {
      if (sessionEnded(this, e)) return;
      this.error = errorMessage(e);
    }
  }

  private onFilter = (e: SubmitEvent) => {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    this.channel = String(data.get('channel') ?? '');
    this.limit = Number(data.get('limit') ?? 100);
    this.entries = undefined;
    void this.load();
  };

  override render() {
    return html`
      <h1>Journal</h1>
      <p class="muted">
        Qui a fait quoi, et quand : connexions, brouillons, validations, publications, comptes.
      </p>
      <form class="card actions" @submit=${this.onFilter}>
        <div class="field">
          <label for="audit-channel">Chaîne</label>
          <select id="audit-channel" name="channel">
            <option value="">Toutes</option>
            ${this.channels.map(
              (c) => html`<option value=${c.id} ?selected=${c.id === this.channel}>${c.name}</option>`,
            )}
          </select>
        </div>
        <div class="field">
          <label for="audit-limit">Nombre de lignes</label>
          <select id="audit-limit" name="limit">
            ${[50, 100, 500].map((n) => html`<option value=${n} ?selected=${n === this.limit}>${n}</option>`)}
          </select>
        </div>
        <button type="submit">Afficher</button>
      </form>
      <div role="status" class="notice bad">${this.error}</div>
      ${
        this.entries === undefined
          ? this.error
            ? nothing
            : html`<p role="status">Chargement du journal…</p>`
          : this.entries.length === 0
            ? html`<p>Aucune entrée.</p>`
            : html`<div class="table-wrap" role="region" aria-label="Entrées du journal" tabindex="0">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Date</th>
                      <th scope="col">Personne</th>
                      <th scope="col">Action</th>
                      <th scope="col">Chaîne</th>
                      <th scope="col">Détail</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${this.entries.map(
                      (e) =>
                        html`<tr>
                          <td>${formatDateTime(e.at)}</td>
                          <td>${personName(e.user)}</td>
                          <td>${auditActionLabel(e.action)}</td>
                          <td>${e.channel ?? ''}</td>
                          <td>${detailText(e.detail)}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-editor-audit': CcspEditorAudit;
  }
}
