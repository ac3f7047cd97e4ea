import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, ApiError } from './api.ts';
import type { User } from './api-types.ts';
import { DraftModel } from './draft-model.ts';
import { hasRole, ROLE_LABELS } from './labels.ts';
import { parseRoute, type Route } from './route.ts';
import type { CcspSessionExpiredEvent } from './session-events.ts';
import { editorStyles } from './styles.ts';
import './ccsp-editor-login.ts';
import type { CcspLoginEvent } from './ccsp-editor-login.ts';
import './ccsp-editor-channels.ts';
import './ccsp-editor-channel.ts';
import './ccsp-editor-accounts.ts';
import './ccsp-editor-audit.ts';
import './ccsp-editor-media-library.ts';
import './ccsp-editor-fleet.ts';

interface NavEntry {
  page: Route['page'];
  label: string;
  hash: string;
}

const PAGE_TITLES: Record<Route['page'], string> = {
  chaines: 'Chaînes',
  chaine: 'Chaîne',
  mediatheque: 'Médiathèque',
  parc: 'Parc d’écrans',
  comptes: 'Comptes',
  journal: 'Journal',
};

/**
 * The editor's shell: checks the session (`GET me`), shows the login page when
 * there is none, the navigation for the user's role, and the page of the URL's
 * hash. It keeps one draft model per channel for the whole visit, so unsaved work
 * survives leaving its page and an expired session.
 */
@customElement('ccsp-editor')
export class CcspEditor extends LitElement {
  static override styles = [
    editorStyles,
    css`
      :host {
        min-height: 100vh;
        background: var(--ed-bg);
      }
      .skip {
        position: absolute;
        left: 0.5rem;
        top: -4rem;
        background: #fff;
        padding: 0.5rem 0.75rem;
        z-index: 10;
      }
      .skip:focus {
        top: 0.5rem;
      }
      header {
        background: var(--ed-green);
        color: #fff;
        border-bottom: 5px solid #fcd116;
      }
      .bar {
        max-width: 76rem;
        margin: 0 auto;
        padding: 0.6rem 1rem;
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1.5rem;
        align-items: center;
        justify-content: space-between;
      }
      .brand {
        font-weight: 700;
        font-size: 1.1rem;
        color: #fff;
        text-decoration: none;
      }
      .who {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 0.75rem;
        align-items: center;
      }
      header button {
        border-color: #fff;
        color: #fff;
        background: transparent;
        min-height: 2.25rem;
      }
      nav {
        background: #fff;
        border-bottom: 1px solid var(--ed-line);
      }
      nav ul {
        list-style: none;
        margin: 0 auto;
        padding: 0 0.5rem;
        max-width: 76rem;
        display: flex;
        flex-wrap: wrap;
      }
      nav a {
        display: block;
        padding: 0.7rem 0.75rem;
        color: var(--ed-fg);
        text-decoration: none;
        font-weight: 600;
        border-bottom: 4px solid transparent;
      }
      nav a:hover {
        text-decoration: underline;
      }
      nav a[aria-current='page'] {
        border-bottom-color: var(--ed-green);
        color: var(--ed-green);
      }
      main {
        max-width: 76rem;
        margin: 0 auto;
        padding: 1rem;
      }
      main:focus {
        outline: none;
      }
      .checking {
        padding: 2rem 1rem;
        text-align: center;
      }
    `,
  ];

  /** Per channel, for the whole visit (a logout forgets them). */
  private readonly models = new Map<string, DraftModel>();
  private readonly listeners = new AbortController();
  private lastRouteKey = '';

  @state() private user: User | undefined;
  /** Until `GET me` has answered. */
  @state() private checking = true;
  @state() private route: Route = parseRoute(location.hash);
  @state() private loginMessage = '';

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', () => (this.route = parseRoute(location.hash)), {
      signal: this.listeners.signal,
    });
    this.addEventListener('ccsp-session-expired', this.onSessionExpired, { signal: this.listeners.signal });
    this.addEventListener('ccsp-login', this.onLogin, { signal: this.listeners.signal });
    // Closing the tab or reloading with unsaved changes in any channel asks first.
    window.addEventListener(
      'beforeunload',
      (e) => {
        if ([...this.models.values()].some((m) => m.state.dirty)) e.preventDefault();
      },
      { signal: this.listeners.signal },
    );
    void this.checkSession();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.listeners.abort();
  }

  protected override updated(changed: PropertyValues): void {
    if (!changed.has('route') && !changed.has('user')) return;
    // A new page, not a new tab of the same channel: the channel page moves focus itself (to a problem's field).
    const r = this.route;
    const key = !this.user ? 'login' : r.page === 'chaine' ? `chaine/${r.channel}` : r.page;
    if (key === this.lastRouteKey) return;
    const first = this.lastRouteKey === '';
    this.lastRouteKey = key;
    document.title = `${this.user ? PAGE_TITLES[this.route.page] : 'Connexion'} — éditeur des écrans CCSP`;
    // A new page: move focus to its heading so that a screen reader announces it (not at first load).
    if (!first && this.user) void this.focusPageHeading();
  }

  private async focusPageHeading(): Promise<void> {
    const page = this.renderRoot.querySelector('main > *') as LitElement | null;
    await page?.updateComplete;
    const heading = page?.shadowRoot?.querySelector('h1');
    if (!heading) return;
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }

  private async checkSession(): Promise<void> {
    try {
      const { user } = await api<{ user: User }>('GET', 'me');
      this.user = user;
      this.lastUser = user.login;
    } catch (e) {
      this.user = undefined;
      if (e instanceof ApiError && e.code === 'session-expired')
        this.loginMessage = 'Votre session a expiré. Reconnectez-vous.';
      else if (e instanceof ApiError && e.status !== 401) this.loginMessage = e.message;
    } finally {
      this.checking = false;
    }
  }

  private onLogin = (e: CcspLoginEvent) => {
    // Another person on this browser does not inherit the previous one's unsaved drafts.
    if (this.lastUser && this.lastUser !== e.user.login) this.models.clear();
    this.lastUser = e.user.login;
    this.user = e.user;
    this.loginMessage = '';
  };

  /** Who was logged in before the session ended (their drafts are kept for them only). */
  private lastUser: string | undefined;

  private onSessionExpired = (e: CcspSessionExpiredEvent) => {
    if (!this.user) return;
    this.lastUser = this.user.login;
    this.user = undefined;
    this.loginMessage = e.message;
  };

  private onLogout = async () => {
    const unsaved = [...this.models.values()].filter((m) => m.state.dirty);
    if (
      unsaved.length > 0 &&
      !confirm('Des modifications ne sont pas enregistrées. Se déconnecter quand même et les perdre ?')
    )
      return;
    try {
      await api('POST', 'logout');
    } catch {
      // Logged out on the server or not, this browser forgets the session.
    }
    this.models.clear();
    this.user = undefined;
    this.lastUser = undefined;
    this.loginMessage = 'Vous êtes déconnecté.';
  };

  /** The draft model of a channel, created on first visit. */
  modelFor(channel: string): DraftModel {
    let model = this.models.get(channel);
    if (!model) {
      model = new DraftModel(channel);
      this.models.set(channel, model);
    }
    return model;
  }

  private nav(): NavEntry[] {
    const role = this.user?.role;
    const entries: NavEntry[] = [
      { page: 'chaines', label: 'Chaînes', hash: '#/chaines' },
      { page: 'mediatheque', label: 'Médiathèque', hash: '#/mediatheque' },
      { page: 'parc', label: 'Parc d’écrans', hash: '#/parc' },
    ];
    if (hasRole(role, 'admin')) entries.push({ page: 'comptes', label: 'Comptes', hash: '#/comptes' });
    if (hasRole(role, 'validateur')) entries.push({ page: 'journal', label: 'Journal', hash: '#/journal' });
    return entries;
  }

  private renderPage(user: User) {
    const route = this.route;
    switch (route.page) {
      case 'chaines':
        return html`<ccsp-editor-channels .user=${user}></ccsp-editor-channels>`;
      case 'chaine':
        return html`<ccsp-editor-channel
          .user=${user}
          .model=${this.modelFor(route.channel)}
          channel=${route.channel}
          tab=${route.tab}
          .version=${route.version}
        ></ccsp-editor-channel>`;
      case 'mediatheque':
        return html`<ccsp-editor-media-library></ccsp-editor-media-library>`;
      case 'parc':
        return html`<ccsp-editor-fleet></ccsp-editor-fleet>`;
      case 'comptes':
        return hasRole(user.role, 'admin')
          ? html`<ccsp-editor-accounts .user=${user}></ccsp-editor-accounts>`
          : this.renderForbidden('Seuls les administrateurs gèrent les comptes.');
      case 'journal':
        return hasRole(user.role, 'validateur')
          ? html`<ccsp-editor-audit></ccsp-editor-audit>`
          : this.renderForbidden('Le journal est réservé aux validateurs et aux administrateurs.');
    }
  }

  private renderForbidden(why: string) {
    return html`<section>
      <h1>Accès réservé</h1>
      <p>${why}</p>
      <p><a href="#/chaines">Retour aux chaînes</a></p>
    </section>`;
  }

  override render() {
    if (this.checking) return html`<p class="checking" role="status">Vérification de la session…</p>`;
    const user = this.user;
    const current = this.route.page === 'chaine' ? 'chaines' : this.route.page;
    return html`
      <button type="button" class="skip" @click=${this.skipToContent}>Aller au contenu</button>
      <header>
        <div class="bar">
          <a class="brand" href="#/chaines">Écrans des CCSP — éditeur</a>
          ${
            user
              ? html`<div class="who">
                  <span>${user.name} <span class="visually-hidden">,</span>(${ROLE_LABELS[user.role]})</span>
                  <button type="button" @click=${this.onLogout}>Se déconnecter</button>
                </div>`
              : nothing
          }
        </div>
      </header>
      ${
        user
          ? html`<nav aria-label="Menu principal">
              <ul>
                ${this.nav().map(
                  (n) =>
                    html`<li>
                      <a href=${n.hash} aria-current=${n.page === current ? 'page' : nothing}>${n.label}</a>
                    </li>`,
                )}
              </ul>
            </nav>`
          : nothing
      }
      <main id="contenu" tabindex="-1">
        ${
          user
            ? this.renderPage(user)
            : html`<ccsp-editor-login .message=${this.loginMessage}></ccsp-editor-login>`
        }
      </main>
    `;
  }

  /** A button, not a link: the hash is the router's. */
  private skipToContent = () => {
    (this.renderRoot.querySelector('main') as HTMLElement).focus();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-editor': CcspEditor;
  }
}
