import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { editorStyles } from './editor-styles.ts';
import { formatBytes } from './format.ts';
import {
  addToSharedMediaList,
  errorMessage,
  FILE_ACCEPT,
  folderName,
  KIND_LABELS,
  KIND_TAGS,
  mediaHref,
  mediaKind,
  sharedMediaList,
  uploadFile,
  uploadHlsFolder,
  type MediaEntry,
  type MediaKind,
} from './media-client.ts';
import { withUploaded } from './with-uploaded.ts';

/** `change` with the chosen library name. */
export type MediaPickerChangeEvent = CustomEvent<{ name: string }>;

const CHOOSE_LABELS: Record<MediaKind, string> = {
  image: 'Choisir une image',
  video: 'Choisir une vidéo',
  captions: 'Choisir un fichier de sous-titres',
  hls: 'Choisir une vidéo HLS',
};

/**
 * A media field of the editor's forms: the chosen file (a thumbnail for an
 * image), a compact chooser from the library filtered by type (native radio
 * buttons: arrows move and choose, a screen reader announces "3 sur 12"), and
 * "Téléverser un fichier" with a progress bar. Fires `change` (bubbles,
 * composed) with `detail: {name}`.
 */
@customElement('ccsp-editor-media-picker')
export class CcspEditorMediaPicker extends LitElement {
  static override styles = [
    editorStyles,
    css`
      :host {
        display: block;
      }
      .chosen {
        display: flex;
        align-items: center;
        gap: 0.75rem;
        flex-wrap: wrap;
      }
      .thumb {
        width: 4.5rem;
        height: 3rem;
        object-fit: contain;
        background: var(--ed-page);
        border: 1px solid var(--ed-line);
        border-radius: 0.25rem;
        flex: none;
      }
      .icon {
        display: inline-grid;
        place-items: center;
        box-sizing: border-box;
        font-size: 0.75rem;
        font-weight: 700;
        color: var(--ed-muted);
      }
      .name {
        overflow-wrap: anywhere;
        min-width: 0;
        flex: 0 1 auto;
      }
      fieldset {
        border: 1px solid var(--ed-line);
        border-radius: 0.35rem;
        margin: 0.5rem 0 0;
        padding: 0.5rem;
        min-width: 0;
      }
      legend {
        font-weight: 600;
        padding: 0 0.25rem;
      }
      .options {
        max-height: 16rem;
        overflow-y: auto;
        margin-top: 0.5rem;
      }
      .option {
        display: flex;
        align-items: center;
        gap: 0.6rem;
        padding: 0.3rem 0.4rem;
        border-radius: 0.25rem;
        cursor: pointer;
      }
      .option:has(input:checked) {
        background: #e3f1e8;
        outline: 1px solid var(--ed-accent);
      }
      .option input {
        width: 1.2rem;
        height: 1.2rem;
        flex: none;
        accent-color: var(--ed-accent);
      }
      .tools {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
        align-items: center;
        margin-top: 0.5rem;
      }
      .upload {
        margin-top: 0.5rem;
      }
    `,
  ];

  private uploading: AbortController | undefined;

  @query('input[type=file]') private fileInput!: HTMLInputElement;

  @state() private media: MediaEntry[] | undefined;
  @state() private listError = '';
  @state() private open = false;
  @state() private filter = '';
  @state() private progress: { file: string; fraction: number } | undefined;
  @state() private uploadError = '';
  @state() private announce = '';

  /** What the field takes: `image`, `video`, `captions` (WebVTT) or `hls` (a rendition folder). */
  @property({ reflect: true }) accept: MediaKind = 'image';

  /** The chosen file's library name (`<sha256>.<ext>`, `hls/<id>/index.m3u8`); empty when none. */
  @property() value = '';

  /** The field's name, read by screen readers before the chooser (default: "Choisir une image"…). */
  @property() label = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.uploading?.abort();
    this.uploading = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('accept') && !(this.accept in CHOOSE_LABELS)) this.accept = 'image';
  }

  private async load(force = false): Promise<void> {
    this.listError = '';
    try {
      this.media = await sharedMediaList(force);
    } catch (e) {
      this.listError = errorMessage(e);
    }
  }

  private get choices(): MediaEntry[] {
    const words = this.filter.trim().toLocaleLowerCase('fr');
    return (this.media ?? []).filter(
      (m) =>
        mediaKind(m) === this.accept && (!words || m.originalName.toLocaleLowerCase('fr').includes(words)),
    );
  }

  private choose(name: string): void {
    if (name === this.value) return;
    this.value = name;
    this.dispatchEvent(
      new CustomEvent('change', {
        detail: { name },
        bubbles: true,
        composed: true,
      }) as MediaPickerChangeEvent,
    );
  }

  private onRadioChange = (e: Event): void => {
    const input = e.target as HTMLInputElement;
    if (input.checked) this.choose(input.value);
  };

  private onToggle = (): void => {
    this.open = !this.open;
    if (this.open && this.listError) void this.load(true);
    if (this.open) {
      // Focus the chosen file (or the first), as a radio group takes the focus.
      void this.updateComplete.then(() => {
        const radios = [...this.renderRoot.querySelectorAll<HTMLInputElement>('input[type=radio]')];
        (radios.find((r) => r.checked) ?? radios[0])?.focus();
      });
    }
  };

  private onFiles = async (e: Event): Promise<void> => {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length === 0) return;
    const label = this.accept === 'hls' ? folderName(files) : files[0]!.name;
    this.uploadError = '';
    this.uploading?.abort();
    const abort = new AbortController();
    this.uploading = abort;
    this.progress = { file: label, fraction: 0 };
    this.announce = `Téléversement de « ${label} » commencé.`;
    const onProgress = (fraction: number) => {
      if (this.uploading === abort) this.progress = { file: label, fraction };
    };
    try {
      const entry =
        this.accept === 'hls'
          ? await uploadHlsFolder(files, onProgress, abort.signal)
          : await uploadFile(files[0]!, onProgress, abort.signal);
      if (this.uploading !== abort) return;
      addToSharedMediaList(entry);
      this.media = withUploaded(this.media ?? [], entry);
      this.announce = `« ${label} » est téléversé et choisi.`;
      this.choose(entry.name);
    } catch (error) {
      if (this.uploading !== abort) return;
      this.uploadError = `« ${label} » n’a pas été téléversé : ${errorMessage(error)}`;
      this.announce = '';
    } finally {
      if (this.uploading === abort) {
        this.uploading = undefined;
        this.progress = undefined;
      }
    }
  };

  private onCancelUpload = (): void => {
    this.uploading?.abort();
  };

  private renderChosen() {
    const entry = this.media?.find((m) => m.name === this.value);
    if (!this.value) return html`<span class="name muted">Aucun fichier choisi.</span>`;
    const text = entry ? `${entry.originalName} (${formatBytes(entry.bytes)})` : this.value;
    return html`
      ${
        this.accept === 'image'
          ? html`<img class="thumb" src=${mediaHref(this.value)} alt="" decoding="async" />`
          : html`<span class="thumb icon" aria-hidden="true">${KIND_TAGS[this.accept]}</span>`
      }
      <span class="name"><span class="visually-hidden">Fichier choisi : </span>${text}</span>
    `;
  }

  private renderOption(m: MediaEntry) {
    return html`
      <label class="option">
        <input
          type="radio"
          name="media"
          .value=${m.name}
          .checked=${m.name === this.value}
          @change=${this.onRadioChange}
        />
        ${
          this.accept === 'image'
            ? html`<img class="thumb" src=${mediaHref(m.name)} alt="" loading="lazy" decoding="async" />`
            : nothing
        }
        <span class="name">${m.originalName} <span class="muted">— ${formatBytes(m.bytes)}</span></span>
      </label>
    `;
  }

  private renderList() {
    if (this.listError) return html`<p class="error" role="alert">${this.listError}</p>`;
    if (!this.media) return html`<p class="muted">Chargement de la médiathèque…</p>`;
    const choices = this.choices;
    const kind = KIND_LABELS[this.accept].toLowerCase();
    return html`
      <fieldset>
        <legend>${this.label || CHOOSE_LABELS[this.accept]}</legend>
        <label>
          Rechercher
          <input
            type="search"
            .value=${this.filter}
            @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)}
          />
        </label>
        <div class="options">
          ${
            choices.length > 0
              ? choices.map((m) => this.renderOption(m))
              : html`<p class="muted">
                  ${this.filter ? 'Aucun fichier ne correspond.' : `Aucun fichier de type ${kind} dans la médiathèque.`}
                </p>`
          }
        </div>
      </fieldset>
    `;
  }

  override render() {
    const folder = this.accept === 'hls';
    return html`
      <div class="chosen">
        ${this.renderChosen()}
        <button type="button" aria-expanded=${this.open ? 'true' : 'false'} @click=${this.onToggle}>
          ${this.open ? 'Fermer la liste' : 'Choisir dans la médiathèque'}
        </button>
      </div>
      ${this.open ? this.renderList() : nothing}
      <div class="tools">
        <button type="button" ?disabled=${!!this.progress} @click=${() => this.fileInput.click()}>
          ${folder ? 'Téléverser un dossier HLS' : 'Téléverser un fichier'}
        </button>
        <input
          type="file"
          hidden
          accept=${FILE_ACCEPT[this.accept] || nothing}
          ?webkitdirectory=${folder}
          @change=${this.onFiles}
        />
      </div>
      ${
        this.progress
          ? html`<div class="upload">
              <label>
                Téléversement de « ${this.progress.file} » : ${Math.round(this.progress.fraction * 100)} %
                <progress max="1" .value=${this.progress.fraction}></progress>
              </label>
              <button type="button" @click=${this.onCancelUpload}>Annuler</button>
            </div>`
          : nothing
      }
      ${this.uploadError ? html`<p class="error" role="alert">${this.uploadError}</p>` : nothing}
      <p class="visually-hidden" role="status" aria-live="polite">${this.announce}</p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-editor-media-picker': CcspEditorMediaPicker;
  }
}
