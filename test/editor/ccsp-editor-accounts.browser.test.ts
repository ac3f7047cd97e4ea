import { expect, fixture, html } from '@open-wc/testing';
import type { Account, User } from '../../src/editor/api-types.ts';
import '../../src/editor/ccsp-editor-accounts.ts';
import type { CcspEditorAccounts } from '../../src/editor/ccsp-editor-accounts.ts';
import '../../src/editor/ccsp-editor-audit.ts';
import type { CcspEditorAudit } from '../../src/editor/ccsp-editor-audit.ts';
import { until } from '../player/helpers.ts';
import { stubApi, type Stub } from './api-stub.ts';

// No server inside web-test-runner: the API is a STUBBED fetch (api-stub.ts). The
// end-to-end test creates accounts on the real server.

const ADMIN: User = { id: 1, login: 'adjoa', name: 'Adjoa Mensah', role: 'admin' };
const accounts: Account[] = [
  { ...ADMIN, disabled: false, createdAt: '2026-11-01T08:00:00Z' },
  {
    id: 2,
    login: 'awa',
    name: 'Awa Houngbo',
    role: 'redacteur',
    disabled: false,
    createdAt: '2026-11-02T08:00:00Z',
  },
];

let stub: Stub;
afterEach(() => stub.restore());

async function page(): Promise<CcspEditorAccounts> {
  stub = stubApi({
    'GET /api/editor/users': () => ({ users: accounts }),
    'POST /api/editor/users': ({ body }) => new Response(JSON.stringify({ user: body }), { status: 201 }),
    'PATCH /api/editor/users/2': ({ body }) => ({ user: { ...accounts[1], ...(body as object) } }),
  });
  const el = await fixture<CcspEditorAccounts>(
    html`<ccsp-editor-accounts .user=${ADMIN}></ccsp-editor-accounts>`,
  );
  await until(() => Boolean(el.shadowRoot!.querySelector('tbody tr')), 3000, 'the list');
  return el;
}

const input = (el: CcspEditorAccounts, id: string) =>
  el.shadowRoot!.querySelector<HTMLInputElement>(`#${id}`)!;

describe('<ccsp-editor-accounts>', () => {
  it('refuses a password under 12 characters before sending, with the message linked to the field', async () => {
    const el = await page();
    input(el, 'new-name').value = 'Koffi Dossou';
    input(el, 'new-login').value = 'koffi';
    input(el, 'new-password').value = 'court';
    el.shadowRoot!.querySelector<HTMLButtonElement>('form button[type=submit]')!.click();
    await el.updateComplete;
    await until(() => el.shadowRoot!.activeElement === input(el, 'new-password'), 2000, 'the focus');
    const error = el.shadowRoot!.querySelector('#new-password-error')!;
    expect(error.textContent).to.equal('Le mot de passe doit faire au moins 12 caractères (il en fait 5).');
    expect(input(el, 'new-password').getAttribute('aria-describedby')).to.contain('new-password-error');
    expect(stub.calls.filter((c) => c.method === 'POST')).to.have.length(0);
  });

  it('creates an account and changes a role', async () => {
    const el = await page();
    input(el, 'new-name').value = 'Koffi Dossou';
    input(el, 'new-login').value = 'koffi';
    el.shadowRoot!.querySelector<HTMLSelectElement>('#new-role')!.value = 'validateur';
    input(el, 'new-password').value = 'un mot de passe assez long';
    el.shadowRoot!.querySelector<HTMLButtonElement>('form button[type=submit]')!.click();
    await until(() => stub.calls.some((c) => c.method === 'POST'), 2000, 'the POST');
    expect(stub.calls.find((c) => c.method === 'POST')!.body).to.deep.equal({
      login: 'koffi',
      name: 'Koffi Dossou',
      role: 'validateur',
      password: 'un mot de passe assez long',
    });
    el.shadowRoot!.querySelector<HTMLSelectElement>('#role-2')!.value = 'validateur';
    [...el.shadowRoot!.querySelectorAll('button')]
      .find((b) => b.textContent!.includes('Changer le rôle'))!
      .click();
    await until(() => stub.calls.some((c) => c.method === 'PATCH'), 2000, 'the PATCH');
    expect(stub.calls.find((c) => c.method === 'PATCH')!.body).to.deep.equal({ role: 'validateur' });
  });

  it('is accessible', async () => {
    const el = await page();
    await expect(el).to.be.accessible();
  });
});

describe('<ccsp-editor-audit>', () => {
  it('lists the journal in French and is accessible', async () => {
    stub = stubApi({
      'GET /api/editor/audit': () => ({
        entries: [
          {
            at: '2026-11-27T10:00:00Z',
            user: 'koffi',
            action: 'approve',
            channel: 'ccsp-lokossa',
            detail: { version: 2 },
          },
        ],
      }),
      'GET /api/editor/channels': () => ({ channels: [] }),
    });
    const el = await fixture<CcspEditorAudit>(html`<ccsp-editor-audit></ccsp-editor-audit>`);
    await until(() => Boolean(el.shadowRoot!.querySelector('tbody tr')), 3000, 'the journal');
    expect(el.shadowRoot!.querySelector('tbody tr')!.textContent).to.contain('Approuvé et publié');
    await expect(el).to.be.accessible();
  });
});
