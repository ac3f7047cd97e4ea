import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { readAnswer, ApiError } from './api.ts';
import type { User } from './api-types.ts';
import { editorStyles } from './styles.ts';

export class CcspLoginEvent extends Event {
  constructor(readonly user: User) {
    super('ccsp-login', { bubbles: true, composed: true });
  }
}

/** `Retry-After` (seconds or an HTTP date) as a French wait: « 1 minute », « 14 minutes », « 30 secondes ». */
export function formatWait(retryAfter: string | null, now = Date.now()): string | undefined {
  if (!retryAfter) return undefined;
  const seconds = /^\d+$/.test(retryAfter.trim())
    ? Number(retryAfter)
    : Math.ceil((Date.parse(retryAfter) - now) / 1000);
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  if (seconds < 60) return `${seconds} seconde${seconds > 1 ? 's' : ''}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes > 1 ? 's' : ''}`;
}

/** The login page: login and password, French errors (wrong password, too many tries and how long to wait). */
@customElement('ccsp-editor-login')
export class CcspEditorLogin extends LitElement {
  static override styles = [
    editorStyles,
    css`
      :host {
        max-width: 26rem;
        margin: 2rem auto;
        padding: 0 1rem;
      }
      form {
        background: var(--ed-card);
        border: 1px solid var(--ed-line);
        border-top: 6px solid var(--ed-green);
        border-radius: 6px;
        padding: 1.25rem;
      }
      button.primary {
        width: 100%;
        justify-content: center;
      }
    `,
  ];

  @query('#login') private loginInput!: HTMLInputElement;
  @query('#password') private passwordInput!: HTMLInputElement;

  @state() private error = '';
  @state() private busy = false;

  /** Why the login is asked again (a session that expired), shown above the form. */
  @property() message = '';

  override firstUpdated(): void {
    this.loginInput.focus();
  }

  private onSubmit = async (e: SubmitEvent) => {
    e.preventDefault();
    const login = this.loginInput.value.trim();
    const password = this.passwordInput.value;
    if (!login || !password) {
      this.error = !login ? 'Saisissez votre identifiant.' : 'Saisissez votre mot de passe.';
      (!login ? this.loginInput : this.passwordInput).focus();
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const response = await fetch('/api/editor/login', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login, password }),
      }).catch(() => {
        throw new ApiError(0, 'network', 'Le serveur ne répond pas. Vérifiez la connexion, puis réessayez.');
      });
      const wait = response.status === 429 ? formatWait(response.headers.get('retry-after')) : undefined;
      const answer = await readAnswer<{ user: User }>(response).catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 'bad-credentials')
          throw new ApiError(
            401,
            err.code,
            'Identifiant ou mot de passe incorrect. Vérifiez-les, puis réessayez.',
          );
        if (err instanceof ApiError && err.status === 429)
          throw new ApiError(
            429,
            err.code,
            wait
              ? `Trop d’essais manqués. Attendez ${wait} avant de réessayer.`
              : 'Trop d’essais manqués. Attendez quelques minutes avant de réessayer.',
          );
        throw err;
      });
      this.passwordInput.value = '';
      this.dispatchEvent(new CcspLoginEvent(answer.user));
    } catch (err) {
      this.error = err instanceof ApiError ? err.message : 'La connexion a échoué. Réessayez.';
      this.passwordInput.select();
      this.passwordInput.focus();
    } finally {
      this.busy = false;
    }
  };

  override render() {
    return html`
      <form @submit=${this.onSubmit} novalidate aria-labelledby="title">
        <h1 id="title">Se connecter</h1>
        <p class="muted">Éditeur des écrans des Centres Communaux de Service Public.</p>
        ${this.message ? html`<p class="notice warn" role="status">${this.message}</p>` : nothing}
        <div class="field">
          <label for="login">Identifiant</label>
          <input
            id="login"
            type="text"
            name="username"
            autocomplete="username"
            autocapitalize="none"
            spellcheck="false"
            required
            aria-describedby="login-error"
            aria-invalid=${this.error ? 'true' : 'false'}
          />
        </div>
        <div class="field">
          <label for="password">Mot de passe</label>
          <input
            id="password"
            type="password"
            name="password"
            autocomplete="current-password"
            required
            aria-describedby="login-error"
            aria-invalid=${this.error ? 'true' : 'false'}
          />
        </div>
        <p id="login-error" class="status ${this.error ? 'error' : ''}" role="alert">${this.error}</p>
        <button class="primary" type="submit" ?disabled=${this.busy}>
          ${this.busy ? 'Connexion…' : 'Se connecter'}
        </button>
      </form>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-editor-login': CcspEditorLogin;
  }
  interface HTMLElementEventMap {
    'ccsp-login': CcspLoginEvent;
  }
}
