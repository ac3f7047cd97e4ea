import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from './api.ts';
import { personName, type PlaylistDraft, type User, type VersionSummary } from './api-types.ts';
import type { LooseItem } from './draft-edit.ts';
import { formatDateTime, hasRole, KIND_LABELS, scheduleSummary } from './labels.ts';
import { routeHash } from './route.ts';
import { errorMessage, sessionEnded } from './session-events.ts';
import { editorStyles } from './styles.ts';

/** The channel page's history: the published versions, one of them in detail, and "Restaurer comme brouillon". */
@customElement('ccsp-editor-history')
export class CcspEditorHistory extends LitElement {
  static override styles = [
    editorStyles,
    css`
      ol.items {
        padding-left: 1.4rem;
      }
      ol.items li {
        margin: 0 0 0.4rem;
      }
    `,
  ];

  @state() private versions: VersionSummary[] | undefined;
  @state() private shown: { version: number; playlist: PlaylistDraft } | undefined;
  @state() private error = '';
  @state() private busy = false;

  /** The channel's id. */
  @property() channel = '';
  /** The person logged in. */
  @property({ attribute: false }) user: User | undefined;
  /** The version to show in detail; the list when undefined. */
  @property({ attribute: false }) version: number | undefined;
  /** The channel's time zone, for dates. */
  @property({ attribute: false }) timezone: string | undefined;
  /** Whether a draft exists (restoring replaces it). */
  @property({ attribute: false }) hasDraft = false;

  private get base(): string {
    return `channels/${encodeURIComponent(this.channel)}`;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('channel')) void this.loadList();
    if (changed.has('version') || changed.has('channel')) void this.loadVersion();
  }

  private async loadList(): Promise<void> {
    try {
      this.versions = (await api<{ versions: VersionSummary[] }>('GET', `${this.base}/versions`)).versions;
    } catch (e) {
      if (sessionEnded(this, e)) return;
      this.error = errorMessage(e);
    }
  }

  private async loadVersion(): Promise<void> {
    this.shown = undefined;
    if (this.version === undefined) return;
    try {
      this.shown = await api<{ version: number; playlist: PlaylistDraft }>(
        'GET',
        `${this.base}/versions/${this.version}`,
      );
      // The "Voir" link that was followed is gone: the version's heading takes the focus.
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#version-title')?.focus();
    } catch (e) {
      if (sessionEnded(this, e)) return;
      this.error = errorMessage(e);
    }
  }

  private restore = async (version: number) => {
    if (this.hasDraft && !confirm(`Le brouillon actuel sera remplacé par la version ${version}. Continuer ?`))
      return;
    this.busy = true;
    try {
      await api('POST', `${this.base}/versions/${version}/restore`);
      this.dispatchEvent(new Event('ccsp-restored', { bubbles: true, composed: true }));
    } catch (e) {
      if (sessionEnded(this, e)) return;
      this.error = errorMessage(e);
    } finally {
      this.busy = false;
    }
  };

  private itemCount(v: VersionSummary): number {
    return typeof v.items === 'number' ? v.items : v.items.length;
  }

  private renderList() {
    const canRestore = hasRole(this.user?.role, 'redacteur');
    if (!this.versions) return html`<p role="status">Chargement de l’historique…</p>`;
    if (this.versions.length === 0) return html`<p>Aucune version publiée pour l’instant.</p>`;
    return html`<div class="table-wrap" role="region" aria-label="Versions publiées" tabindex="0">
      <table>
        <caption class="visually-hidden">
          Versions publiées, la plus récente d’abord
        </caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Publiée le</th>
            <th scope="col">Rédigée par</th>
            <th scope="col">Approuvée par</th>
            <th scope="col">Éléments</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          ${this.versions.map(
            (v) =>
              html`<tr>
                <th scope="row">${v.version}</th>
                <td>${formatDateTime(v.issued, this.timezone)}</td>
                <td>${personName(v.author)}</td>
                <td>${personName(v.approvedBy)}</td>
                <td>${this.itemCount(v)}</td>
                <td>
                  <div class="actions">
                    <a
                      class="button small"
                      href=${routeHash({ page: 'chaine', channel: this.channel, tab: 'historique', version: v.version })}
                      >Voir<span class="visually-hidden"> la version ${v.version}</span></a
                    >
                    ${
                      canRestore
                        ? html`<button
                            type="button"
                            class="small"
                            ?disabled=${this.busy}
                            @click=${() => this.restore(v.version)}
                          >
                            Restaurer comme brouillon<span class="visually-hidden">
                              (version ${v.version})</span
                            >
                          </button>`
                        : nothing
                    }
                  </div>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private renderVersion(shown: { version: number; playlist: PlaylistDraft }) {
    const items = (shown.playlist.items ?? []) as LooseItem[];
    const summary = this.versions?.find((v) => v.version === shown.version);
    return html`<section aria-labelledby="version-title">
      <h3 id="version-title" tabindex="-1">Version ${shown.version}</h3>
      ${
        summary
          ? html`<p>
              Publiée le ${formatDateTime(summary.issued, this.timezone)}, rédigée par
              ${personName(summary.author)}, approuvée par ${personName(summary.approvedBy)}.
            </p>`
          : nothing
      }
      <p>
        <strong>${shown.playlist.site?.name}</strong>, ${items.length} élément${items.length > 1 ? 's' : ''} :
      </p>
      <ol class="items">
        ${items.map(
          (item) =>
            html`<li>
              <span class="tag">${KIND_LABELS[item.kind ?? 'announcement'] ?? item.kind}</span>
              ${item.priority === 'urgent' ? html`<span class="tag urgent">Urgente</span>` : nothing}
              <strong>${item.title}</strong>
              <span class="muted">— ${scheduleSummary(item)}</span>
              ${item.body ? html`<br />${item.body}` : nothing}
            </li>`,
        )}
      </ol>
      <div class="actions">
        ${
          hasRole(this.user?.role, 'redacteur')
            ? html`<button type="button" ?disabled=${this.busy} @click=${() => this.restore(shown.version)}>
                Restaurer comme brouillon
              </button>`
            : nothing
        }
        <a class="button" href=${routeHash({ page: 'chaine', channel: this.channel, tab: 'historique' })}
          >Retour à l’historique</a
        >
      </div>
    </section>`;
  }

  override render() {
    return html`
      <h2>Historique des publications</h2>
      <div role="status" class="notice bad">${this.error}</div>
      ${
        this.version !== undefined
          ? this.shown
            ? this.renderVersion(this.shown)
            : html`<p role="status">Chargement de la version ${this.version}…</p>`
          : this.renderList()
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-editor-history': CcspEditorHistory;
  }
}
