import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { DEFAULT_TIMEZONE } from '../core/manifest-schema.ts';
import { api } from './api.ts';
import { editorStyles } from './editor-styles.ts';
import { formatAgo, formatBytes, formatDateTime } from './format.ts';
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
  uploadedAtMs,
  uploadFile,
  uploadHlsFolder,
  uploadHlsZip,
  type MediaEntry,
  type MediaKind,
} from './media-client.ts';
import { withUploaded } from './with-uploaded.ts';

interface Upload {
  id: number;
  label: string;
  fraction: number;
  status: 'waiting' | 'sending' | 'done' | 'error';
  message: string;
}

type Filter = MediaKind | 'all' | 'unused';

const FILTERS: { value: Filter; label: string }[] = [
  { value: 'all', label: 'Tous les fichiers' },
  { value: 'image', label: 'Images' },
  { value: 'video', label: 'Vidéos' },
  { value: 'hls', label: 'Vidéos HLS' },
  { value: 'captions', label: 'Sous-titres' },
  { value: 'unused', label: 'Inutilisés' },
];

/**
 * The Médiathèque page: every file of the library (a thumbnail for images, the
 * type, the size in Ko/Mo, the original name, who added it and when, the
 * channels and items that use it), uploads of files with a progress bar each,
 * and HLS renditions as a folder or a .zip. The server's refusals (too large, a
 * file that is not what its name says) are shown in its own French words.
 */
@customElement('ccsp-editor-media-library')
export class CcspEditorMediaLibrary extends LitElement {
  static override styles = [
    editorStyles,
    css`
      :host {
        display: block;
      }
      .add {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
        margin-bottom: 0.75rem;
      }
      .uploads {
        list-style: none;
        padding: 0;
        margin: 0 0 1rem;
      }
      .uploads li {
        padding: 0.35rem 0;
        border-bottom: 1px solid var(--ed-line);
      }
      .uploads .done {
        color: var(--ed-ok);
      }
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: end;
        margin: 0.5rem 0;
      }
      .filters label {
        display: flex;
        flex-direction: column;
      }
      select {
        min-height: 2.3rem;
      }
      .thumb {
        width: 5rem;
        height: 3.4rem;
        object-fit: contain;
        background: var(--ed-page);
        border: 1px solid var(--ed-line);
      }
      .kind-tag {
        display: inline-grid;
        place-items: center;
        box-sizing: border-box;
        font-size: 0.75rem;
        font-weight: 700;
        color: var(--ed-muted);
      }
      .file-name {
        overflow-wrap: anywhere;
      }
      .library-name {
        font-size: 0.8rem;
        color: var(--ed-muted);
        overflow-wrap: anywhere;
      }
      td ul {
        margin: 0;
        padding-left: 1rem;
      }
      .table-wrap {
        overflow-x: auto;
      }
    `,
  ];

  private nextUpload = 1;
  private queue: Promise<void> = Promise.resolve();
  private aborts = new Set<AbortController>();

  @state() private media: MediaEntry[] | undefined;
  @state() private channelNames = new Map<string, string>();
  @state() private listError = '';
  @state() private uploads: Upload[] = [];
  @state() private filter: Filter = 'all';
  @state() private search = '';
  @state() private announce = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.aborts.forEach((a) => a.abort());
    this.aborts.clear();
  }

  /** Reads the library (and the channels' names for "Utilisé par") again. */
  async load(): Promise<void> {
    this.listError = '';
    try {
      this.media = await sharedMediaList(true);
    } catch (e) {
      this.listError = errorMessage(e);
    }
    api<{ channels: { id: string; name: string }[] }>('GET', 'channels').then(
      (a) => (this.channelNames = new Map(a.channels.map((c) => [c.id, c.name]))),
      () => undefined, // Ids stand in for names.
    );
  }

  private setUpload(id: number, change: Partial<Upload>): void {
    this.uploads = this.uploads.map((u) => (u.id === id ? { ...u, ...change } : u));
  }

  /** Uploads one after the other: on a slow link, one file at full speed is done soonest. */
  private enqueue(
    label: string,
    send: (progress: (f: number) => void, signal: AbortSignal) => Promise<MediaEntry>,
  ) {
    const id = this.nextUpload++;
    this.uploads = [...this.uploads, { id, label, fraction: 0, status: 'waiting', message: '' }];
    this.queue = this.queue.then(async () => {
      if (!this.isConnected) return;
      const abort = new AbortController();
      this.aborts.add(abort);
      this.setUpload(id, { status: 'sending' });
      this.announce = `Téléversement de « ${label} » commencé.`;
      try {
        const entry = await send((fraction) => this.setUpload(id, { fraction }), abort.signal);
        addToSharedMediaList(entry);
        this.media = withUploaded(this.media ?? [], entry);
        this.setUpload(id, { status: 'done', fraction: 1, message: 'ajouté à la médiathèque.' });
        this.announce = `« ${label} » est ajouté à la médiathèque.`;
      } catch (e) {
        const message = errorMessage(e);
        this.setUpload(id, { status: 'error', message });
        this.announce = `« ${label} » n’a pas été téléversé : ${message}`;
      } finally {
        this.aborts.delete(abort);
      }
    });
  }

  private onFiles = (e: Event): void => {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    for (const file of files) this.enqueue(file.name, (p, s) => uploadFile(file, p, s));
  };

  private onFolder = (e: Event): void => {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length > 0) this.enqueue(folderName(files), (p, s) => uploadHlsFolder(files, p, s));
  };

  private onZip = (e: Event): void => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) this.enqueue(file.name, (p, s) => uploadHlsZip(file, p, s));
  };

  private pick(selector: string): void {
    this.renderRoot.querySelector<HTMLInputElement>(selector)?.click();
  }

  private get shown(): MediaEntry[] {
    const words = this.search.trim().toLocaleLowerCase('fr');
    return (this.media ?? []).filter((m) => {
      if (
        this.filter === 'unused'
          ? (m.usedBy ?? []).length > 0
          : this.filter !== 'all' && mediaKind(m) !== this.filter
      )
        return false;
      return !words || `${m.originalName} ${m.uploadedBy ?? ''}`.toLocaleLowerCase('fr').includes(words);
    });
  }

  private renderUploads() {
    if (this.uploads.length === 0) return nothing;
    return html`<ul class="uploads" aria-label="Téléversements">
      ${this.uploads.map(
        (u) =>
          html`<li data-upload=${u.status}>
            ${
              u.status === 'sending' || u.status === 'waiting'
                ? html`<label>
                    « ${u.label} » :
                    ${u.status === 'waiting' ? 'en attente' : `${Math.round(u.fraction * 100)} %`}
                    <progress max="1" .value=${u.fraction}></progress>
                  </label>`
                : u.status === 'done'
                  ? html`<span class="done"
                      ><span aria-hidden="true">✓ </span>« ${u.label} » ${u.message}</span
                    >`
                  : html`<div class="error">
                      <span aria-hidden="true">✕ </span>« ${u.label} » n’a pas été téléversé : ${u.message}
                    </div>`
            }
          </li>`,
      )}
    </ul>`;
  }

  private renderUses(m: MediaEntry) {
    const uses = m.usedBy ?? [];
    if (uses.length === 0) return html`<span class="muted">Aucune utilisation</span>`;
    return html`<ul>
      ${uses.map(
        (u) =>
          html`<li>
            ${this.channelNames.get(u.channel) ?? u.channel} — <code>${u.item}</code>
            (${u.where === 'published' ? 'publié' : 'brouillon'})
          </li>`,
      )}
    </ul>`;
  }

  private renderRow(m: MediaEntry, now: number) {
    const kind = mediaKind(m);
    const at = uploadedAtMs(m);
    return html`<tr data-name=${m.name}>
      <td>
        ${
          kind === 'image'
            ? html`<img class="thumb" src=${mediaHref(m.name)} alt="" loading="lazy" decoding="async" />`
            : html`<span class="thumb kind-tag" aria-hidden="true">${KIND_TAGS[kind]}</span>`
        }
      </td>
      <th scope="row">
        <div class="file-name">${m.originalName}</div>
        <div class="library-name">${m.name}</div>
      </th>
      <td>${KIND_LABELS[kind]}</td>
      <td>${formatBytes(m.bytes)}</td>
      <td>
        ${m.uploadedBy ? html`${m.uploadedBy}<br />` : nothing}
        ${Number.isNaN(at) ? nothing : html`<time datetime=${new Date(at).toISOString()} title=${formatDateTime(at, DEFAULT_TIMEZONE)}>${formatAgo(at, now)}</time>`}
      </td>
      <td>${this.renderUses(m)}</td>
    </tr>`;
  }

  private renderList() {
    if (this.listError)
      return html`<div class="error" role="alert">
        ${this.listError} <button type="button" @click=${() => void this.load()}>Réessayer</button>
      </div>`;
    if (!this.media) return html`<p class="muted">Chargement de la médiathèque…</p>`;
    const shown = this.shown;
    const now = Date.now();
    return html`
      <div class="filters">
        <label>
          Afficher
          <select @change=${(e: Event) => (this.filter = (e.target as HTMLSelectElement).value as Filter)}>
            ${FILTERS.map((f) => html`<option value=${f.value} ?selected=${f.value === this.filter}>${f.label}</option>`)}
          </select>
        </label>
        <label>
          Rechercher un nom
          <input
            type="search"
            .value=${this.search}
            @input=${(e: Event) => (this.search = (e.target as HTMLInputElement).value)}
          />
        </label>
        <span class="muted"
          >${shown.length} fichier${shown.length > 1 ? 's' : ''} sur ${this.media.length}</span
        >
      </div>
      ${
        shown.length === 0
          ? html`<p>
              Aucun fichier
              ${this.media.length === 0 ? 'dans la médiathèque pour l’instant' : 'ne correspond'}.
            </p>`
          : html`<div class="table-wrap">
              <table>
                <caption class="visually-hidden">
                  Fichiers de la médiathèque
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Aperçu</th>
                    <th scope="col">Fichier</th>
                    <th scope="col">Type</th>
                    <th scope="col">Taille</th>
                    <th scope="col">Ajouté</th>
                    <th scope="col">Utilisé par</th>
                  </tr>
                </thead>
                <tbody>
                  ${shown.map((m) => this.renderRow(m, now))}
                </tbody>
              </table>
            </div>`
      }
    `;
  }

  override render() {
    const files = [FILE_ACCEPT.image, FILE_ACCEPT.video, FILE_ACCEPT.captions].join(',');
    return html`
      <section aria-labelledby="add-title">
        <h3 id="add-title">Ajouter des fichiers</h3>
        <p class="muted">
          Images (PNG, JPEG, WebP, SVG), vidéos (MP4, WebM), sous-titres (WebVTT). Une vidéo HLS est un
          dossier (ou son archive .zip) contenant le fichier .m3u8 et ses segments.
        </p>
        <div class="add">
          <button type="button" class="primary" @click=${() => this.pick('#files')}>
            Téléverser des fichiers
          </button>
          <button type="button" @click=${() => this.pick('#folder')}>Téléverser un dossier HLS</button>
          <button type="button" @click=${() => this.pick('#zip')}>Téléverser une archive .zip HLS</button>
          <input id="files" type="file" multiple hidden accept=${files} @change=${this.onFiles} />
          <input id="folder" type="file" hidden webkitdirectory @change=${this.onFolder} />
          <input id="zip" type="file" hidden accept=".zip,application/zip" @change=${this.onZip} />
        </div>
        ${this.renderUploads()}
        <p class="visually-hidden" role="status" aria-live="polite">${this.announce}</p>
      </section>
      <section aria-labelledby="list-title">
        <h3 id="list-title">Fichiers</h3>
        ${this.renderList()}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-editor-media-library': CcspEditorMediaLibrary;
  }
}
