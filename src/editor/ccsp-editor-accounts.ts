import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from './api.ts';
import type { Account, Role, User } from './api-types.ts';
import { formatDateTime, ROLE_LABELS } from './labels.ts';
import { errorMessage, sessionEnded } from './session-events.ts';
import { editorStyles } from './styles.ts';

const ROLES = Object.keys(ROLE_LABELS) as Role[];
export const MIN_PASSWORD = 12;

/** Accounts (admin): the list, a new account, a role changed, an account disabled or enabled again. */
@customElement('ccsp-editor-accounts')
export class CcspEditorAccounts extends LitElement {
  static override styles = [
    editorStyles,
    css`
      form.create {
        max-width: 40rem;
      }
      td select {
        width: auto;
      }
    `,
  ];

  @state() private accounts: Account[] | undefined;
  @state() private status = '';
  @state() private error = '';
  /** Field errors of the creation form. */
  @state() private fieldErrors: Partial<Record<'login' | 'name' | 'password', string>> = {};

  /** The person logged in. */
  @property({ attribute: false }) user: User | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.accounts = (await api<{ users: Account[] }>('GET', 'users')).users;
    } catch (e) {
      if (sessionEnded(this, e)) return;
      this.error = errorMessage(e);
    }
  }

  private onCreate = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const login = String(data.get('login') ?? '').trim();
    const name = String(data.get('name') ?? '').trim();
    const role = String(data.get('role') ?? 'redacteur') as Role;
    const password = String(data.get('password') ?? '');
    const errors: typeof this.fieldErrors = {};
    if (!login) errors.login = 'Saisissez un identifiant.';
    if (!name) errors.name = 'Saisissez le nom de la personne.';
    if (password.length < MIN_PASSWORD)
      errors.password = `Le mot de passe doit faire au moins ${MIN_PASSWORD} caractères (il en fait ${password.length}).`;
    this.fieldErrors = errors;
    this.status = '';
    this.error = '';
    const first = (['login', 'name', 'password'] as const).find((k) => errors[k]);
    if (first) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>(`#new-${first}`)?.focus();
      return;
    }
    try {
      await api('POST', 'users', { login, name, role, password });
      form.reset();
      this.status = `Compte « ${login} » créé (${ROLE_LABELS[role]}). Donnez-lui son mot de passe de vive voix.`;
      await this.load();
    } catch (err) {
      if (sessionEnded(this, err)) return;
      if (err instanceof ApiError && err.problems.length) {
        const fe: typeof this.fieldErrors = {};
        for (const p of err.problems) {
          const key = p.pointer.replace(/^\//, '') as keyof typeof fe;
          if (key === 'login' || key === 'name' || key === 'password') fe[key] = p.message;
        }
        this.fieldErrors = fe;
      }
      this.error = errorMessage(err);
    }
  };

  private async patch(account: Account, body: Partial<Account>, done: string): Promise<void> {
    this.status = '';
    this.error = '';
    try {
      await api('PATCH', `users/${encodeURIComponent(String(account.id))}`, body);
      this.status = done;
      await this.load();
    } catch (e) {
      if (sessionEnded(this, e)) return;
      this.error = errorMessage(e);
    }
  }

  private onRole = (account: Account) => {
    const select = this.renderRoot.querySelector<HTMLSelectElement>(`#role-${account.id}`)!;
    const role = select.value as Role;
    if (role === account.role) {
      this.status = `${account.name} est déjà ${ROLE_LABELS[role].toLowerCase()}.`;
      return;
    }
    void this.patch(account, { role }, `${account.name} est maintenant ${ROLE_LABELS[role].toLowerCase()}.`);
  };

  private onToggle = (account: Account) => {
    if (
      !account.disabled &&
      !confirm(`Désactiver le compte de ${account.name} ? Il ne pourra plus se connecter.`)
    )
      return;
    void this.patch(
      account,
      { disabled: !account.disabled },
      account.disabled
        ? `Le compte de ${account.name} est réactivé.`
        : `Le compte de ${account.name} est désactivé.`,
    );
  };

  private field(key: 'login' | 'name' | 'password', label: string, hint?: string) {
    const error = this.fieldErrors[key];
    return html`<div class="field">
      <label for=${`new-${key}`}>${label}</label>
      ${hint ? html`<span class="hint" id=${`new-${key}-hint`}>${hint}</span>` : nothing}
      <input
        id=${`new-${key}`}
        name=${key}
        type=${key === 'password' ? 'password' : 'text'}
        autocomplete=${key === 'password' ? 'new-password' : 'off'}
        required
        minlength=${key === 'password' ? MIN_PASSWORD : 1}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${
          [hint ? `new-${key}-hint` : '', error ? `new-${key}-error` : ''].filter(Boolean).join(' ') ||
          nothing
        }
      />
      ${error ? html`<p class="error" id=${`new-${key}-error`}>${error}</p>` : nothing}
    </div>`;
  }

  override render() {
    const me = this.user;
    return html`
      <h1>Comptes</h1>
      <div role="status" aria-live="polite">
        ${this.status ? html`<p class="notice">${this.status}</p>` : nothing}
        ${this.error ? html`<p class="notice bad">${this.error}</p>` : nothing}
      </div>
      <h2>Personnes qui ont un compte</h2>
      ${
        this.accounts
          ? html`<div class="table-wrap" role="region" aria-label="Liste des comptes" tabindex="0">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Nom</th>
                    <th scope="col">Identifiant</th>
                    <th scope="col">Rôle</th>
                    <th scope="col">État</th>
                    <th scope="col">Créé le</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  ${this.accounts.map((a) => {
                    const self = me !== undefined && String(me.id) === String(a.id);
                    return html`<tr>
                      <th scope="row">${a.name}</th>
                      <td>${a.login}</td>
                      <td>
                        <label class="visually-hidden" for=${`role-${a.id}`}>Rôle de ${a.name}</label>
                        <select id=${`role-${a.id}`} ?disabled=${self}>
                          ${ROLES.map((r) => html`<option value=${r} ?selected=${r === a.role}>${ROLE_LABELS[r]}</option>`)}
                        </select>
                        ${
                          self
                            ? nothing
                            : html`<button type="button" class="small" @click=${() => this.onRole(a)}>
                                Changer le rôle<span class="visually-hidden"> de ${a.name}</span>
                              </button>`
                        }
                      </td>
                      <td>${a.disabled ? 'Désactivé' : 'Actif'}</td>
                      <td>${formatDateTime(a.createdAt)}</td>
                      <td>
                        ${
                          self
                            ? html`<span class="muted">Votre compte</span>`
                            : html`<button
                                type="button"
                                class=${a.disabled ? 'small' : 'small danger'}
                                @click=${() => this.onToggle(a)}
                              >
                                ${a.disabled ? 'Réactiver' : 'Désactiver'}<span class="visually-hidden">
                                  ${a.name}</span
                                >
                              </button>`
                        }
                      </td>
                    </tr>`;
                  })}
                </tbody>
              </table>
            </div>`
          : this.error
            ? nothing
            : html`<p role="status">Chargement des comptes…</p>`
      }
      <form class="card create" @submit=${this.onCreate} novalidate>
        <h2>Créer un compte</h2>
        ${this.field('name', 'Nom et prénom')}
        ${this.field('login', 'Identifiant', 'Ce que la personne tape pour se connecter, par exemple « afagla ».')}
        <div class="field">
          <label for="new-role">Rôle</label>
          <select id="new-role" name="role" aria-describedby="new-role-hint">
            ${ROLES.map((r) => html`<option value=${r}>${ROLE_LABELS[r]}</option>`)}
          </select>
          <span class="hint" id="new-role-hint"
            >Rédacteur : écrit et soumet les brouillons. Validateur : approuve et publie aussi. Administrateur
            : gère aussi les comptes et les chaînes.</span
          >
        </div>
        ${this.field('password', 'Mot de passe', `Au moins ${MIN_PASSWORD} caractères.`)}
        <button type="submit" class="primary">Créer le compte</button>
      </form>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-editor-accounts': CcspEditorAccounts;
  }
}
