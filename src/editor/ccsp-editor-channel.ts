import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Subscription } from 'rxjs';
import type { SourcePlaylist } from '../core/index.ts';
import { api, ApiError } from './api.ts';
import { isSamePerson, personName, type ChannelDetail, type DraftInfo, type User } from './api-types.ts';
import {
  duplicateItem,
  moveInList,
  newItem,
  removeFromList,
  setAt,
  tidySchedule,
  updateList,
  type LooseItem,
} from './draft-edit.ts';
import { checkDraft, type DraftCheck, type DraftModel, type DraftModelState } from './draft-model.ts';
import { fieldId, type FormContext } from './form-fields.ts';
import { itemForm } from './item-form.ts';
import { DRAFT_STATE_LABELS, formatDateTime, hasRole, KIND_LABELS, type Kind } from './labels.ts';
import {
  fieldLabel,
  fieldPointers,
  itemIndexOf,
  mergeProblems,
  nearestField,
  placeProblems,
  type ShownProblem,
} from './problems.ts';
import { routeHash, type ChannelTab } from './route.ts';
import { scheduleSummary } from './labels.ts';
import { errorMessage, sessionEnded } from './session-events.ts';
import { settingsForm } from './settings-form.ts';
import { editorStyles } from './styles.ts';
import './ccsp-editor-history.ts';
import './ccsp-editor-preview.ts';

const TAB_LABELS: Record<ChannelTab, string> = {
  elements: 'Éléments',
  reglages: 'Réglages du centre',
  apercu: 'Aperçu',
  historique: 'Historique',
};

/** What a status line says, and how. */
interface Status {
  text: string;
  tone: 'ok' | 'bad' | 'warn';
}

/**
 * A channel: its draft edited through forms (items, settings), checked as staff
 * type (core validation in the browser) and by the server (422 problems), each
 * problem beside its field and in a summary whose links focus it; saving with
 * the revision (409: someone else saved), the workflow (submit, withdraw,
 * approve and publish, send back with a comment), the preview and the history.
 */
@customElement('ccsp-editor-channel')
export class CcspEditorChannel extends LitElement {
  static override styles = [
    editorStyles,
    css`
      .meta {
        display: grid;
        gap: 0.25rem 1rem;
        grid-template-columns: max-content 1fr;
        margin: 0 0 0.75rem;
      }
      .meta dt {
        font-weight: 600;
      }
      .meta dd {
        margin: 0;
      }
      .workflow {
        margin-bottom: 0.5rem;
      }
      .workflow .notice {
        margin: 0.5rem 0 0;
      }
      .action-bar {
        background: var(--ed-bg);
        padding: 0.25rem 0;
      }
      .action-bar .actions {
        margin: 0;
      }
      .action-bar .status {
        min-height: 0;
      }
      .action-bar .notice {
        margin: 0.4rem 0 0;
      }
      /* On a large screen the buttons and their result stay in view while the form scrolls;
         a phone needs its height for the form. */
      @media (min-width: 62rem) and (min-height: 40rem) {
        .action-bar {
          position: sticky;
          top: 0;
          z-index: 2;
          border-bottom: 1px solid var(--ed-line);
        }
      }
      nav.tabs ul {
        list-style: none;
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
        padding: 0;
        margin: 1rem 0;
        border-bottom: 2px solid var(--ed-line);
      }
      nav.tabs a {
        display: block;
        padding: 0.5rem 0.9rem;
        font-weight: 600;
        text-decoration: none;
        color: var(--ed-fg);
        border: 2px solid transparent;
        border-bottom: none;
        border-radius: 4px 4px 0 0;
      }
      nav.tabs a[aria-current='page'] {
        border-color: var(--ed-line);
        background: var(--ed-card);
        color: var(--ed-green);
        margin-bottom: -2px;
        border-bottom: 2px solid var(--ed-card);
      }
      .summary {
        border: 3px solid var(--ed-red);
        background: var(--ed-card);
        padding: 0.75rem 1rem;
        margin: 0 0 1rem;
      }
      .summary h2 {
        margin-top: 0;
        color: var(--ed-red);
      }
      .summary ul {
        margin: 0;
        padding-left: 1.2rem;
      }
      .layout {
        display: grid;
        gap: 1rem;
      }
      @media (min-width: 62rem) {
        .layout {
          grid-template-columns: minmax(16rem, 22rem) minmax(0, 1fr);
          align-items: start;
        }
      }
      ol.items {
        list-style: none;
        padding: 0;
        margin: 0 0 1rem;
      }
      ol.items > li {
        border: 1px solid var(--ed-line);
        border-left: 5px solid var(--ed-line);
        border-radius: 4px;
        background: var(--ed-card);
        padding: 0.5rem 0.6rem;
        margin: 0 0 0.5rem;
      }
      ol.items > li.selected {
        border-left-color: var(--ed-green);
        background: var(--ed-green-light);
      }
      ol.items > li.has-problems {
        border-left-color: var(--ed-red);
      }
      .item-title {
        font-weight: 700;
        overflow-wrap: anywhere;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0 1rem;
        align-items: end;
      }
      textarea {
        min-height: 5rem;
      }
      label.inline {
        font-weight: 400;
      }
      details > summary {
        cursor: pointer;
        font-weight: 600;
        margin: 0.5rem 0;
      }
      .reject textarea {
        max-width: 40rem;
      }
    `,
  ];

  private subscription: Subscription | undefined;

  @state() private modelState: DraftModelState | undefined;
  @state() private check: DraftCheck = { problems: [], warnings: [] };
  @state() private selected: number | undefined;
  @state() private status: Status | undefined;
  @state() private busy = false;
  @state() private loadError = '';
  /** A save refused with 409: the server's draft changed under us. */
  @state() private conflict = false;
  @state() private rejecting = false;
  /** Announced by the list's live region (moves, additions, removals). */
  @state() private listAnnouncement = '';

  /** The person logged in. */
  @property({ attribute: false }) user: User | undefined;

  /** The draft model of this channel, kept by the shell for the whole visit. */
  @property({ attribute: false }) model!: DraftModel;

  /** The channel's id. */
  @property() channel = '';

  /** The part of the page shown. */
  @property() tab: ChannelTab = 'elements';

  /** With tab `historique`: the published version shown. */
  @property({ attribute: false }) version: number | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    // Back in the page (moved, or shown again): listen to the model again.
    if (this.model && !this.subscription) this.subscribe();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('model') && this.model) {
      this.selected = undefined;
      this.status = undefined;
      this.conflict = false;
      this.subscribe();
      void this.load();
    }
  }

  private subscribe(): void {
    this.subscription?.unsubscribe();
    const sub = this.model.state$.subscribe((s) => (this.modelState = s));
    sub.add(this.model.check$.subscribe((c) => (this.check = c)));
    this.subscription = sub;
  }

  // ------------------------------------------------------------- server

  private get base(): string {
    return `channels/${encodeURIComponent(this.channel)}`;
  }

  private async load(reset = false): Promise<void> {
    try {
      const detail = await api<ChannelDetail>('GET', this.base);
      this.model.dispatch({ type: reset ? 'reset' : 'loaded', detail });
      this.loadError = '';
      if (this.modelState?.dirty && !reset)
        this.setStatus('Vos modifications non enregistrées ont été gardées.', 'warn');
    } catch (e) {
      if (sessionEnded(this, e)) return;
      this.loadError = errorMessage(e);
    }
  }

  private setStatus(text: string, tone: Status['tone'] = 'ok'): void {
    this.status = { text, tone };
  }

  /** Saves the draft; true when the server has it. */
  private async save(): Promise<boolean> {
    const s = this.model.state;
    if (!s.playlist) return false;
    // The check as of now (the one on screen may lag the last keystroke); the server's own
    // problems do not block: it may accept now (a file uploaded meanwhile).
    const check = checkDraft(s.playlist);
    if (check.problems.length > 0) {
      this.check = check;
      this.setStatus('Le brouillon n’est pas enregistré : corrigez d’abord les points signalés.', 'bad');
      await this.focusSummary();
      return false;
    }
    this.busy = true;
    try {
      const answer = await api<{ draft: DraftInfo & { playlist?: typeof s.playlist } }>(
        'PUT',
        `${this.base}/draft`,
        {
          playlist: s.playlist,
          revision: s.revision,
        },
      );
      this.model.dispatch({ type: 'saved', draft: answer.draft });
      this.conflict = false;
      this.setStatus(
        `Brouillon enregistré à ${new Date().toLocaleTimeString('fr-FR', { timeStyle: 'short' })}.`,
      );
      return true;
    } catch (e) {
      if (sessionEnded(this, e)) return false;
      if (e instanceof ApiError && e.status === 409) {
        this.conflict = true;
        this.setStatus(
          'Quelqu’un d’autre a enregistré ce brouillon pendant que vous travailliez. Votre version n’est pas enregistrée.',
          'bad',
        );
      } else if (e instanceof ApiError && e.problems.length > 0) {
        this.model.dispatch({ type: 'refused', problems: e.problems });
        this.setStatus(`${e.message} Corrigez les points signalés.`, 'bad');
        await this.focusSummary();
      } else this.setStatus(errorMessage(e), 'bad');
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Runs a workflow request, then shows the server's new view. */
  private async act(
    method: 'POST',
    path: string,
    body: unknown,
    done: (answer: unknown) => string,
  ): Promise<boolean> {
    this.busy = true;
    try {
      const answer = await api<unknown>(method, `${this.base}/${path}`, body);
      await this.load(true);
      this.setStatus(done(answer));
      return true;
    } catch (e) {
      if (sessionEnded(this, e)) return false;
      if (e instanceof ApiError && e.problems.length > 0) {
        this.model.dispatch({ type: 'refused', problems: e.problems });
        await this.focusSummary();
      }
      if (e instanceof ApiError && e.status === 409) await this.load(true);
      this.setStatus(errorMessage(e), 'bad');
      return false;
    } finally {
      this.busy = false;
    }
  }

  private onSave = () => void this.save();

  private onSubmitForReview = async () => {
    if (this.model.state.dirty && !(await this.save())) return;
    await this.act(
      'POST',
      'submit',
      { revision: this.model.state.revision },
      () => 'Brouillon soumis pour validation. Un validateur doit maintenant l’approuver.',
    );
  };

  private onWithdraw = () =>
    void this.act(
      'POST',
      'withdraw',
      {},
      () => 'Soumission retirée : le brouillon est de nouveau en rédaction.',
    );

  private onApprove = async () => {
    if (this.model.state.dirty) {
      this.setStatus(
        'Vous avez modifié ce brouillon sans l’enregistrer : enregistrez-le (un autre validateur devra alors l’approuver) ou rechargez-le.',
        'bad',
      );
      return;
    }
    await this.act('POST', 'approve', { revision: this.model.state.revision }, (answer) => {
      const version = (answer as { version?: number } | undefined)?.version;
      return `Version ${version ?? ''} publiée. Les écrans la recevront à leur prochaine connexion.`.replace(
        'Version  ',
        'Version ',
      );
    });
  };

  private onReject = async (e: SubmitEvent) => {
    e.preventDefault();
    const textarea = this.renderRoot.querySelector<HTMLTextAreaElement>('#reject-comment')!;
    const comment = textarea.value.trim();
    if (!comment) {
      this.setStatus('Écrivez un commentaire pour expliquer ce qu’il faut changer.', 'bad');
      textarea.focus();
      return;
    }
    if (
      await this.act(
        'POST',
        'reject',
        { comment },
        () => 'Brouillon renvoyé au rédacteur avec votre commentaire.',
      )
    )
      this.rejecting = false;
  };

  private onReload = async () => {
    this.conflict = false;
    await this.load(true);
    this.setStatus('Brouillon rechargé : vous voyez la dernière version enregistrée.');
  };

  /** Keeps my version: saves it over the one on the server (after a 409). */
  private onOverwrite = async () => {
    try {
      const detail = await api<ChannelDetail>('GET', this.base);
      this.model.dispatch({ type: 'rebased', detail });
      await this.save();
    } catch (e) {
      if (sessionEnded(this, e)) return;
      this.setStatus(errorMessage(e), 'bad');
    }
  };

  private onRestored = async () => {
    await this.load(true);
    location.hash = routeHash({ page: 'chaine', channel: this.channel, tab: 'elements' });
    this.setStatus(
      'La version choisie est maintenant le brouillon. Vérifiez-la, puis soumettez-la pour validation.',
    );
  };

  // ------------------------------------------------------------- edits

  private edit(playlist: SourcePlaylist | DraftModelState['playlist'], pointer?: string): void {
    this.model.dispatch(
      pointer === undefined
        ? { type: 'edited', playlist: playlist! }
        : { type: 'edited', playlist: playlist!, pointer },
    );
  }

  private readonly formContext = (s: DraftModelState, problems: ShownProblem[]): FormContext => {
    const fields = fieldPointers(s.playlist);
    const placed = placeProblems(problems, fields);
    const warnings = placeProblems(this.check.warnings, fields);
    return {
      playlist: s.playlist!,
      problems: placed,
      warnings,
      set: (pointer, value) => {
        let next = setAt(this.model.state.playlist!, pointer, value);
        const index = itemIndexOf(pointer);
        if (index !== undefined) next = tidySchedule(next, index);
        this.edit(next, pointer);
      },
      list: (pointer, change, dropEmpty) => {
        this.edit(updateList(this.model.state.playlist!, pointer, change, dropEmpty));
      },
    };
  };

  private get items(): LooseItem[] {
    return (this.modelState?.playlist?.items ?? []) as LooseItem[];
  }

  private setItems(items: LooseItem[]): void {
    const playlist = this.model.state.playlist!;
    this.edit({ ...playlist, items: items as typeof playlist.items });
  }

  private async focusById(id: string): Promise<void> {
    await this.updateComplete;
    const el = this.renderRoot.querySelector<HTMLElement>(`[id="${CSS.escape(id)}"]`);
    el?.focus();
  }

  private onAdd = async (kind: Kind) => {
    const item = newItem(kind, this.items);
    this.setItems([...this.items, item]);
    this.selected = this.items.length - 1;
    this.listAnnouncement = `${KIND_LABELS[kind]} ajoutée en position ${this.items.length}.`;
    await this.focusById(fieldId(`/items/${this.selected}/title`));
  };

  private onMove = async (index: number, to: number, which: 'up' | 'down') => {
    const items = this.items;
    this.setItems(moveInList(items, index, to));
    if (this.selected === index) this.selected = to;
    else if (this.selected === to) this.selected = index;
    this.listAnnouncement = `« ${items[index]?.title || items[index]?.id} » est maintenant en position ${to + 1} sur ${items.length}.`;
    await this.updateComplete;
    // Focus follows the item; at an end of the list its button is disabled, so the other one takes it.
    const id = `${which === 'up' ? 'up' : 'down'}-${to}`;
    const button = this.renderRoot.querySelector<HTMLButtonElement>(`#${id}`);
    if (button && !button.disabled) button.focus();
    else
      this.renderRoot.querySelector<HTMLButtonElement>(`#${which === 'up' ? 'down' : 'up'}-${to}`)?.focus();
  };

  private onDuplicate = async (index: number) => {
    this.edit(duplicateItem(this.model.state.playlist!, index));
    this.selected = index + 1;
    this.listAnnouncement = `Copie ajoutée en position ${index + 2}.`;
    await this.focusById(fieldId(`/items/${index + 1}/title`));
  };

  private onRemove = async (index: number) => {
    const item = this.items[index];
    if (!confirm(`Supprimer « ${item?.title || item?.id} » du brouillon ?`)) return;
    this.setItems(removeFromList(this.items, index));
    if (this.selected === index) this.selected = undefined;
    else if (this.selected !== undefined && this.selected > index) this.selected--;
    this.listAnnouncement = `« ${item?.title || item?.id} » supprimé du brouillon.`;
    await this.updateComplete;
    const next = Math.min(index, this.items.length - 1);
    if (next >= 0) await this.focusById(`edit-${next}`);
    else await this.focusById('add-announcement');
  };

  private onSelect = async (index: number) => {
    this.selected = index;
    await this.focusById('item-form-title');
  };

  // ------------------------------------------------------------- problems

  private liveProblems(s: DraftModelState): ShownProblem[] {
    return mergeProblems(this.check.problems, s.serverProblems);
  }

  private async focusSummary(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#summary-title')?.focus();
  }

  /** Shows the field of a problem (switching tab or item as needed) and moves focus into it. */
  async focusProblem(pointer: string): Promise<void> {
    const index = itemIndexOf(pointer);
    const tab: ChannelTab = pointer.startsWith('/items') ? 'elements' : 'reglages';
    if (tab !== this.tab) {
      this.tab = tab;
      location.hash = routeHash({ page: 'chaine', channel: this.channel, tab });
    }
    if (index !== undefined) this.selected = index;
    await this.updateComplete;
    const fields = fieldPointers(this.modelState?.playlist);
    const target = this.renderRoot.querySelector<HTMLElement>(
      `[id="${CSS.escape(fieldId(nearestField(pointer, fields)))}"]`,
    );
    if (!target) return;
    const details = target.closest('details');
    if (details) details.open = true;
    target.scrollIntoView({ block: 'center' });
    target.focus();
    // A custom control that does not take the focus itself: its first focusable part does.
    if (this.shadowRoot!.activeElement !== target && target.shadowRoot) {
      target.shadowRoot.querySelector<HTMLElement>('button, input, select, textarea, a[href]')?.focus();
    }
  }

  // ------------------------------------------------------------- render

  private renderSummary(s: DraftModelState, problems: ShownProblem[]) {
    if (problems.length === 0) return nothing;
    return html`<section class="summary" aria-labelledby="summary-title">
      <h2 id="summary-title" tabindex="-1">
        ${problems.length === 1 ? '1 point à corriger' : `${problems.length} points à corriger`}
      </h2>
      <ul>
        ${problems.map(
          (p) =>
            html`<li>
              <a
                href=${`#${fieldId(p.pointer)}`}
                @click=${(e: Event) => {
                  e.preventDefault();
                  void this.focusProblem(p.pointer);
                }}
                >${fieldLabel(p.pointer, s.playlist)}</a
              >
              : ${p.message}
            </li>`,
        )}
      </ul>
    </section>`;
  }

  private renderWorkflow(s: DraftModelState) {
    const detail = s.detail;
    const draft = detail?.draft;
    const user = this.user;
    const zone = detail?.timezone;
    const canWrite = hasRole(user?.role, 'redacteur');
    const canValidate = hasRole(user?.role, 'validateur');
    const submitted = draft?.state === 'submitted';
    const ownDraft = Boolean(draft) && isSamePerson(draft?.author ?? draft?.updatedBy, user);
    return html`<section class="card workflow" aria-labelledby="workflow-title">
        <h2 id="workflow-title" class="visually-hidden">État et actions</h2>
        <dl class="meta">
          <dt>Diffusé</dt>
          <dd>
            ${
              detail?.published
                ? html`version ${detail.published.version}, publiée le
                  ${formatDateTime(detail.published.issued, zone)}${
                    detail.published.by ? html` (approuvée par ${personName(detail.published.by)})` : nothing
                  }`
                : 'rien de publié pour l’instant'
            }
          </dd>
          <dt>Brouillon</dt>
          <dd>
            ${
              draft
                ? html`<span class="tag ${draft.state}">${DRAFT_STATE_LABELS[draft.state]}</span> — rédigé par
                    ${personName(draft.author)}, modifié le ${formatDateTime(draft.updatedAt, zone)} par
                    ${personName(draft.updatedBy ?? draft.author)}${
                      submitted && draft.submittedAt
                        ? html`, soumis le ${formatDateTime(draft.submittedAt, zone)}`
                        : nothing
                    }`
                : s.dirty
                  ? 'nouveau, pas encore enregistré'
                  : 'aucun : vos modifications en créeront un'
            }
            ${s.dirty ? html`<br /><strong>Modifications non enregistrées.</strong>` : nothing}
          </dd>
        </dl>
        ${
          draft?.comment && !submitted
            ? html`<p class="notice warn">Commentaire du validateur : « ${draft.comment} »</p>`
            : nothing
        }
        ${
          submitted && canWrite && s.dirty
            ? html`<p class="notice warn">
                Ce brouillon est soumis pour validation : l’enregistrer le remettra en rédaction.
              </p>`
            : nothing
        }
        ${
          canValidate && submitted && ownDraft
            ? html`<p id="own-draft" class="muted">
                Vous avez écrit ce brouillon : un autre validateur doit l’approuver.
              </p>`
            : nothing
        }
        ${
          this.rejecting && canValidate && submitted && !ownDraft
            ? html`<form class="reject" @submit=${this.onReject}>
                <div class="field">
                  <label for="reject-comment">Commentaire pour le rédacteur</label>
                  <span class="hint" id="reject-hint">Dites ce qu’il faut changer avant publication.</span>
                  <textarea id="reject-comment" aria-describedby="reject-hint" maxlength="1000"></textarea>
                </div>
                <div class="actions">
                  <button type="submit" ?disabled=${this.busy}>Renvoyer au rédacteur</button>
                  <button type="button" @click=${() => (this.rejecting = false)}>Annuler</button>
                </div>
              </form>`
            : nothing
        }
        ${
          this.conflict
            ? html`<div class="notice bad">
                <p>
                  Quelqu’un d’autre a enregistré ce brouillon pendant que vous travailliez. Rechargez-le pour
                  voir sa version (vos modifications seront perdues), ou enregistrez la vôtre par-dessus.
                </p>
                <div class="actions">
                  <button type="button" @click=${this.onReload}>Recharger le brouillon</button>
                  <button type="button" class="danger" @click=${this.onOverwrite}>
                    Enregistrer ma version par-dessus
                  </button>
                </div>
              </div>`
            : nothing
        }
      </section>
      <div class="action-bar">
        <div class="actions">
          ${
            canWrite
              ? html`<button
                  type="button"
                  class="primary"
                  ?disabled=${this.busy || !s.dirty}
                  @click=${this.onSave}
                >
                  Enregistrer le brouillon
                </button>`
              : nothing
          }
          ${
            canWrite && !submitted
              ? html`<button
                  type="button"
                  ?disabled=${this.busy || (!draft && !s.dirty)}
                  @click=${this.onSubmitForReview}
                >
                  Soumettre pour validation
                </button>`
              : nothing
          }
          ${
            canWrite && submitted && !s.dirty
              ? html`<button type="button" ?disabled=${this.busy} @click=${this.onWithdraw}>
                  Retirer de la validation
                </button>`
              : nothing
          }
          ${
            canValidate && submitted
              ? html`<button
                    type="button"
                    class="primary"
                    ?disabled=${this.busy || ownDraft}
                    aria-describedby=${ownDraft ? 'own-draft' : nothing}
                    @click=${this.onApprove}
                  >
                    Approuver et publier
                  </button>
                  <button
                    type="button"
                    ?disabled=${this.busy || ownDraft}
                    aria-describedby=${ownDraft ? 'own-draft' : nothing}
                    aria-expanded=${this.rejecting ? 'true' : 'false'}
                    @click=${async () => {
                      this.rejecting = !this.rejecting;
                      if (this.rejecting) await this.focusById('reject-comment');
                    }}
                  >
                    Renvoyer avec un commentaire
                  </button>`
              : nothing
          }
        </div>
        <div role="status" aria-live="polite" class="status">
          ${
            this.status
              ? html`<p
                  class="notice ${this.status.tone === 'bad' ? 'bad' : this.status.tone === 'warn' ? 'warn' : ''}"
                >
                  ${this.status.text}
                </p>`
              : nothing
          }
        </div>
      </div>`;
  }

  private renderTabs() {
    return html`<nav class="tabs" aria-label="Parties de la chaîne">
      <ul>
        ${(Object.keys(TAB_LABELS) as ChannelTab[]).map(
          (tab) =>
            html`<li>
              <a
                href=${routeHash({ page: 'chaine', channel: this.channel, tab })}
                aria-current=${tab === this.tab ? 'page' : nothing}
                >${TAB_LABELS[tab]}</a
              >
            </li>`,
        )}
      </ul>
    </nav>`;
  }

  private renderItemList(ctx: FormContext, problems: ShownProblem[]) {
    const items = this.items;
    const countFor = (i: number) => problems.filter((p) => itemIndexOf(p.pointer) === i).length;
    return html`<section aria-labelledby="items-title">
      <h2 id="items-title">Éléments diffusés (${items.length})</h2>
      <p class="muted">Ils passent à l’écran dans cet ordre, chacun selon sa programmation.</p>
      ${items.length === 0 ? html`<p>Aucun élément. Ajoutez une annonce, une démarche ou une vidéo.</p>` : nothing}
      <ol class="items">
        ${items.map((item, i) => {
          const what = `« ${item.title?.trim() || item.id} »`;
          const count = countFor(i);
          return html`<li
            class=${[i === this.selected ? 'selected' : '', count ? 'has-problems' : ''].join(' ')}
          >
            <div>
              <span class="tag">${KIND_LABELS[item.kind ?? 'announcement'] ?? item.kind}</span>
              ${item.priority === 'urgent' ? html`<span class="tag urgent">Urgente</span>` : nothing}
            </div>
            <div class="item-title">${i + 1}. ${item.title?.trim() || html`<em>Sans titre</em>`}</div>
            <div class="muted">${scheduleSummary(item)}</div>
            ${
              count
                ? html`<div class="error">
                    ${count === 1 ? '1 point à corriger' : `${count} points à corriger`}
                  </div>`
                : nothing
            }
            <div class="actions">
              <button
                id=${`edit-${i}`}
                type="button"
                class="small"
                aria-pressed=${i === this.selected ? 'true' : 'false'}
                @click=${() => this.onSelect(i)}
              >
                Modifier<span class="visually-hidden"> ${what}</span>
              </button>
              <button
                id=${`up-${i}`}
                type="button"
                class="small"
                ?disabled=${i === 0}
                @click=${() => this.onMove(i, i - 1, 'up')}
              >
                Monter<span class="visually-hidden"> ${what}</span>
              </button>
              <button
                id=${`down-${i}`}
                type="button"
                class="small"
                ?disabled=${i === items.length - 1}
                @click=${() => this.onMove(i, i + 1, 'down')}
              >
                Descendre<span class="visually-hidden"> ${what}</span>
              </button>
              <button type="button" class="small" @click=${() => this.onDuplicate(i)}>
                Dupliquer<span class="visually-hidden"> ${what}</span>
              </button>
              <button type="button" class="small danger" @click=${() => this.onRemove(i)}>
                Supprimer<span class="visually-hidden"> ${what}</span>
              </button>
            </div>
          </li>`;
        })}
      </ol>
      <div class="actions">
        <button id="add-announcement" type="button" @click=${() => this.onAdd('announcement')}>
          Ajouter une annonce
        </button>
        <button type="button" @click=${() => this.onAdd('explainer')}>Ajouter une démarche</button>
        <button type="button" @click=${() => this.onAdd('video')}>Ajouter une vidéo</button>
      </div>
      ${ctx.problems.get('/items')?.map((p) => html`<p class="error">${p.message}</p>`)}
      <p class="visually-hidden" role="status">${this.listAnnouncement}</p>
    </section>`;
  }

  private renderTab(s: DraftModelState, ctx: FormContext, problems: ShownProblem[]) {
    switch (this.tab) {
      case 'elements':
        return html`<div class="layout">
          <div>${this.renderItemList(ctx, problems)}</div>
          <div>
            ${
              this.selected !== undefined && this.selected < this.items.length
                ? itemForm(ctx, this.selected)
                : html`<p class="card muted">
                    Choisissez « Modifier » sur un élément pour le voir et le changer.
                  </p>`
            }
          </div>
        </div>`;
      case 'reglages':
        return html`<section aria-labelledby="settings-title">
          <h2 id="settings-title">Réglages du centre</h2>
          ${settingsForm(ctx)}
        </section>`;
      case 'apercu':
        return html`<section aria-labelledby="preview-title">
          <h2 id="preview-title">Aperçu du brouillon</h2>
          <p class="muted">
            L’écran et l’enseigne tels qu’ils montreront ce brouillon, modifications non enregistrées
            comprises.
          </p>
          <ccsp-editor-preview
            .playlist=${s.playlist as SourcePlaylist}
            channel=${this.channel}
          ></ccsp-editor-preview>
        </section>`;
      case 'historique':
        return html`<ccsp-editor-history
          channel=${this.channel}
          .user=${this.user}
          .version=${this.version}
          .timezone=${s.detail?.timezone}
          .hasDraft=${Boolean(s.detail?.draft) || s.dirty}
          @ccsp-restored=${this.onRestored}
        ></ccsp-editor-history>`;
    }
  }

  override render() {
    const s = this.modelState;
    const name = s?.detail?.name ?? this.channel;
    if (this.loadError && !s?.playlist)
      return html`<h1>${name}</h1>
        <p class="notice bad" role="alert">${this.loadError}</p>
        <button type="button" @click=${() => this.load()}>Réessayer</button>`;
    if (!s?.playlist)
      return html`<h1>${name}</h1>
        <p role="status">Chargement de la chaîne…</p>`;
    const problems = this.liveProblems(s);
    const ctx = this.formContext(s, problems);
    return html`
      <p><a href="#/chaines">← Toutes les chaînes</a></p>
      <h1>${name}</h1>
      ${this.renderWorkflow(s)} ${this.renderTabs()}
      <p class="visually-hidden" role="status">
        ${problems.length ? `${problems.length} point${problems.length > 1 ? 's' : ''} à corriger.` : ''}
      </p>
      ${this.tab === 'elements' || this.tab === 'reglages' ? this.renderSummary(s, problems) : nothing}
      ${this.renderTab(s, ctx, problems)}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-editor-channel': CcspEditorChannel;
  }
}
