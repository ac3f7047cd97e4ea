import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/editor/ccsp-editor-login.ts';
import { formatWait, type CcspEditorLogin, type CcspLoginEvent } from '../../src/editor/ccsp-editor-login.ts';
import { until } from '../player/helpers.ts';
import { apiError, stubApi, type Stub } from './api-stub.ts';

// No server inside web-test-runner: POST /api/editor/login is a STUBBED fetch
// (api-stub.ts). The end-to-end test logs in against the real server.

const USER = { id: 2, login: 'awa', name: 'Awa Houngbo', role: 'redacteur' };

let stub: Stub;
afterEach(() => stub?.restore());

async function login(route: Parameters<typeof stubApi>[0][string]): Promise<CcspEditorLogin> {
  stub = stubApi({ 'POST /api/editor/login': route });
  const el = await fixture<CcspEditorLogin>(html`<ccsp-editor-login></ccsp-editor-login>`);
  await el.updateComplete;
  return el;
}

const active = (el: CcspEditorLogin) => el.shadowRoot!.activeElement as HTMLElement | null;

describe('<ccsp-editor-login>', () => {
  it('is used with the keyboard only: type, Tab, type, Enter', async () => {
    const el = await login(() => ({ user: USER }));
    expect(active(el)?.id, 'the login field has the focus at once').to.equal('login');
    await sendKeys({ type: 'awa' });
    await sendKeys({ press: 'Tab' });
    expect(active(el)?.id).to.equal('password');
    await sendKeys({ type: 'correct horse battery staple' });
    const done = oneEvent(el, 'ccsp-login') as Promise<CcspLoginEvent>;
    await sendKeys({ press: 'Enter' });
    const event = await done;
    expect(event.user).to.deep.equal(USER);
    expect(stub.calls[0]!.body).to.deep.equal({ login: 'awa', password: 'correct horse battery staple' });
    // Tab order: login, password, the button.
    el.shadowRoot!.querySelector<HTMLInputElement>('#password')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(active(el)?.localName).to.equal('button');
  });

  it('says in French that the password is wrong, and keeps the focus on it', async () => {
    const el = await login(() => apiError(401, 'bad-credentials', 'Identifiant ou mot de passe incorrect.'));
    el.shadowRoot!.querySelector<HTMLInputElement>('#login')!.value = 'awa';
    el.shadowRoot!.querySelector<HTMLInputElement>('#password')!.value = 'pas le bon';
    el.shadowRoot!.querySelector('button')!.click();
    const alert = el.shadowRoot!.querySelector('[role=alert]')!;
    await until(() => alert.textContent!.includes('incorrect'), 3000, 'the error');
    expect(alert.textContent!.trim()).to.equal(
      'Identifiant ou mot de passe incorrect. Vérifiez-les, puis réessayez.',
    );
    expect(active(el)?.id).to.equal('password');
    expect(active(el)!.getAttribute('aria-describedby')).to.equal('login-error');
    expect(active(el)!.getAttribute('aria-invalid')).to.equal('true');
  });

  it('says how long to wait after too many tries', async () => {
    const el = await login(
      () =>
        new Response(JSON.stringify({ error: { code: 'rate-limited', message: 'Trop d’essais.' } }), {
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': '600' },
        }),
    );
    el.shadowRoot!.querySelector<HTMLInputElement>('#login')!.value = 'awa';
    el.shadowRoot!.querySelector<HTMLInputElement>('#password')!.value = 'encore faux';
    el.shadowRoot!.querySelector('button')!.click();
    const alert = el.shadowRoot!.querySelector('[role=alert]')!;
    await until(() => alert.textContent!.includes('Trop'), 3000, 'the error');
    expect(alert.textContent!.trim()).to.equal(
      'Trop d’essais manqués. Attendez 10 minutes avant de réessayer.',
    );
  });

  it('asks for what is missing without calling the server', async () => {
    const el = await login(() => ({ user: USER }));
    el.shadowRoot!.querySelector('button')!.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent!.trim()).to.equal(
      'Saisissez votre identifiant.',
    );
    expect(stub.calls).to.have.length(0);
  });

  it('formats Retry-After in French', () => {
    expect(formatWait('1')).to.equal('1 seconde');
    expect(formatWait('45')).to.equal('45 secondes');
    expect(formatWait('60')).to.equal('1 minute');
    expect(formatWait('61')).to.equal('2 minutes');
    expect(formatWait(null)).to.equal(undefined);
  });

  it('is accessible', async () => {
    const el = await login(() => ({ user: USER }));
    el.message = 'Votre session a expiré. Reconnectez-vous.';
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});
