import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from './api.ts';
import { personName, type ChannelSummary, type User } from './api-types.ts';
import { DRAFT_STATE_LABELS, formatDateTime, hasRole, typographic } from './labels.ts';
import { errorMessage, sessionEnded } from './session-events.ts';
import { editorStyles } from './styles.ts';

/** The channels: what each screen shows now (published version) and the draft in progress. */
@customElement('ccsp-editor-channels')
export class CcspEditorChannels extends LitElement {
  static override styles = [
    editorStyles,
    css`
      ul.channels {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 1rem;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr));
      }
      li h2 {
        margin-top: 0;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.25rem 0.75rem;
        margin: 0 0 0.75rem;
      }
      dt {
        font-weight: 600;
      }
      dd {
        margin: 0;
      }
    `,
  ];

  @state() private channels: ChannelSummary[] | undefined;
  @state() private error = '';
  @state() private created = '';
  /** Problems of the creation form by field (`/id`, `/name`). */
  @state() private createProblems: Record<string, string> = {};

  /** The person logged in. */
  @property({ attribute: false }) user: User | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.channels = (await api<{ channels: ChannelSummary[] }>('GET', 'channels')).channels;
      this.error = '';
    } catch (e) {
      if (sessionEnded(this, e)) return;
      this.error = errorMessage(e);
    }
  }

  private onCreate = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const id = String(data.get('id') ?? '').trim();
    const name = String(data.get('name') ?? '').trim();
    this.createProblems = {};
    try {
      await api('POST', 'channels', { id, name });
      this.created = `La chaîne « ${name} » est créée.`;
      form.reset();
      await this.load();
    } catch (err) {
      if (sessionEnded(this, err)) return;
      this.created = '';
      if (err instanceof ApiError && err.problems.length) {
        this.createProblems = Object.fromEntries(
          err.problems.map((p) => [
            p.pointer,
            typographic(p.message.charAt(0).toUpperCase() + p.message.slice(1)),
          ]),
        );
        await this.updateComplete;
        this.renderRoot
          .querySelector<HTMLInputElement>(this.createProblems['/name'] ? '#new-name' : '#new-id')
          ?.focus();
      } else this.error = errorMessage(err);
    }
  };

  private renderChannel(c: ChannelSummary) {
    const zone = c.timezone;
    return html`<li class="card">
      <h2><a href=${`#/chaines/${encodeURIComponent(c.id)}`}>${c.name}</a></h2>
      <dl>
        <dt>Diffusé</dt>
        <dd>
          ${
            c.published
              ? html`version ${c.published.version}, publiée le
                ${formatDateTime(c.published.issued, zone)}${
                  c.published.by ? html` par ${personName(c.published.by)}` : nothing
                }`
              : 'rien de publié'
          }
        </dd>
        <dt>Brouillon</dt>
        <dd>
          ${
            c.draft
              ? html`<span class="tag ${c.draft.state}">${DRAFT_STATE_LABELS[c.draft.state]}</span><br />
                  modifié par ${personName(c.draft.updatedBy ?? c.draft.author)} le
                  ${formatDateTime(c.draft.updatedAt, zone)}`
              : 'aucun'
          }
        </dd>
      </dl>
      <a class="button" href=${`#/chaines/${encodeURIComponent(c.id)}`}
        >Ouvrir<span class="visually-hidden"> ${c.name}</span></a
      >
    </li>`;
  }

  override render() {
    return html`
      <h1>Chaînes</h1>
      <p class="muted">Une chaîne est ce que montrent l’écran et l’enseigne d’un centre.</p>
      <div role="status" class="notice bad">${this.error}</div>
      ${
        this.channels === undefined && !this.error
          ? html`<p role="status">Chargement des chaînes…</p>`
          : nothing
      }
      ${this.channels?.length === 0 ? html`<p>Aucune chaîne pour l’instant.</p>` : nothing}
      ${
        this.channels?.length
          ? html`<ul class="channels">
              ${this.channels.map((c) => this.renderChannel(c))}
            </ul>`
          : nothing
      }
      ${
        hasRole(this.user?.role, 'admin')
          ? html`<form class="card" @submit=${this.onCreate}>
              <h2>Nouvelle chaîne</h2>
              <div class="field">
                <label for="new-name">Nom du centre</label>
                <input id="new-name" name="name" type="text" required maxlength="80" />
              </div>
              <div class="field">
                <label for="new-id">Identifiant</label>
                <span class="hint" id="new-id-hint"
                  >Minuscules, chiffres et tirets, par exemple « ccsp-lokossa ». Il ne change plus
                  ensuite.</span
                >
                <input
                  id="new-id"
                  name="id"
                  type="text"
                  required
                  pattern="[a-z0-9](?:[a-z0-9\\-]{0,62}[a-z0-9])?"
                  aria-describedby="new-id-hint"
                />
              </div>
              <button type="submit">Créer la chaîne</button>
              <p role="status">${this.created}</p>
            </form>`
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-editor-channels': CcspEditorChannels;
  }
}
