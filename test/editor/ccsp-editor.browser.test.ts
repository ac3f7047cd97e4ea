import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { SourcePlaylistInput } from '../../src/core/index.ts';
import type { ChannelDetail, User } from '../../src/editor/api-types.ts';
import '../../src/editor/ccsp-editor.ts';
import type { CcspEditor } from '../../src/editor/ccsp-editor.ts';
import { forgetSharedMediaList } from '../../src/editor/media-client.ts';
import { until } from '../player/helpers.ts';
import { apiError, stubApi, type Stub } from './api-stub.ts';

// No server inside web-test-runner: the API is a STUBBED fetch (api-stub.ts), with
// a session that can be made to expire. The end-to-end test uses the real server.

const ADMIN: User = { id: 1, login: 'adjoa', name: 'Adjoa Mensah', role: 'admin' };
const REDACTEUR: User = { id: 2, login: 'awa', name: 'Awa Houngbo', role: 'redacteur' };

const playlist = {
  channel: 'ccsp-lokossa',
  site: { name: 'CCSP de Lokossa', commune: 'Lokossa', department: 'Mono' },
  hours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '08:00', close: '12:30' }],
  items: [
    {
      id: 'bienvenue',
      kind: 'announcement',
      lang: 'fr',
      title: 'Bienvenue au CCSP',
      body: 'Le point focal vous aide.',
      duration: 12,
      schedule: { until: '2027-12-31' },
    },
  ],
  sign: { open: 'OUVERT', closed: 'FERMÉ' },
} as SourcePlaylistInput;

const detail: ChannelDetail = {
  id: 'ccsp-lokossa',
  name: 'CCSP de Lokossa',
  published: { version: 1, issued: '2026-11-20T09:00:00Z', by: 'import' },
  draft: null,
  publishedPlaylist: playlist,
};

/** A fake session: `user` is logged in until `expire()`. */
function server(initial: User | undefined) {
  let user = initial;
  const stub = stubApi({
    'GET /api/editor/me': () => (user ? { user } : apiError(401, 'not-logged-in', 'Connectez-vous.')),
    'POST /api/editor/login': ({ body }) => {
      const login = (body as { login: string }).login;
      user = [ADMIN, REDACTEUR].find((u) => u.login === login);
      return user ? { user } : apiError(401, 'bad-credentials', 'Identifiant ou mot de passe incorrect.');
    },
    'POST /api/editor/logout': () => {
      user = undefined;
      return new Response(null, { status: 204 });
    },
    'GET /api/editor/channels': () => ({ channels: [{ ...detail, draft: null }] }),
    'GET /api/editor/channels/ccsp-lokossa': () =>
      user ? detail : apiError(401, 'session-expired', 'Votre session a expiré.'),
    'GET /api/editor/media': () => ({ media: [] }),
  });
  return { stub, expire: () => (user = undefined) };
}

let stub: Stub | undefined;
afterEach(() => {
  stub?.restore();
  location.hash = '';
});
beforeEach(() => forgetSharedMediaList());

const root = (el: CcspEditor) => el.shadowRoot!;
const loginForm = (el: CcspEditor) => root(el).querySelector('ccsp-editor-login');
const navLabels = (el: CcspEditor) =>
  [...root(el).querySelectorAll('nav[aria-label="Menu principal"] a')].map((a) => a.textContent!.trim());

describe('<ccsp-editor>', () => {
  it('asks to log in, then shows the menu of the role; keyboard only', async () => {
    const s = server(undefined);
    stub = s.stub;
    location.hash = '#/chaines';
    const el = await fixture<CcspEditor>(html`<ccsp-editor></ccsp-editor>`);
    await until(() => Boolean(loginForm(el)), 3000, 'the login page');
    await loginForm(el)!.updateComplete;
    await sendKeys({ type: 'awa' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'un mot de passe assez long' });
    await sendKeys({ press: 'Enter' });
    await until(() => navLabels(el).length > 0, 3000, 'the menu');
    expect(navLabels(el)).to.deep.equal(['Chaînes', 'Médiathèque', 'Parc d’écrans']);
    expect(root(el).querySelector('[aria-current=page]')!.textContent!.trim()).to.equal('Chaînes');
    expect(root(el).querySelector('header')!.textContent).to.contain('Awa Houngbo');
    expect(root(el).querySelector('header')!.textContent).to.contain('(Rédacteur)');
  });

  it('shows Comptes and Journal to an admin, and follows the hash', async () => {
    stub = server(ADMIN).stub;
    const el = await fixture<CcspEditor>(html`<ccsp-editor></ccsp-editor>`);
    await until(() => navLabels(el).length > 0, 3000, 'the menu');
    expect(navLabels(el)).to.deep.equal(['Chaînes', 'Médiathèque', 'Parc d’écrans', 'Comptes', 'Journal']);
    location.hash = '#/chaines/ccsp-lokossa';
    await until(() => Boolean(root(el).querySelector('ccsp-editor-channel')), 3000, 'the channel page');
    expect(document.title).to.equal('Chaîne — éditeur des écrans CCSP');
  });

  it('keeps the unsaved draft through an expired session', async () => {
    const s = server(REDACTEUR);
    stub = s.stub;
    location.hash = '#/chaines/ccsp-lokossa';
    const el = await fixture<CcspEditor>(html`<ccsp-editor></ccsp-editor>`);
    const page = () => root(el).querySelector('ccsp-editor-channel')!;
    await until(() => Boolean(page()?.shadowRoot?.querySelector('ol.items')), 3000, 'the channel page');
    const model = el.modelFor('ccsp-lokossa');
    model.dispatch({
      type: 'edited',
      playlist: { ...model.state.playlist!, sign: { open: 'OUVERT — Bienvenue', closed: 'FERMÉ' } },
      pointer: '/sign/open',
    });
    // The session ends on the server; the next request finds out.
    s.expire();
    location.hash = '#/chaines';
    await until(() => Boolean(root(el).querySelector('ccsp-editor-channels')), 3000, 'the list');
    location.hash = '#/chaines/ccsp-lokossa';
    await until(() => Boolean(loginForm(el)), 3000, 'the login page');
    expect(loginForm(el)!.shadowRoot!.textContent).to.contain('Votre session a expiré');
    expect(loginForm(el)!.shadowRoot!.textContent).to.contain(
      'vos modifications non enregistrées sont gardées',
    );
    const form = loginForm(el)!.shadowRoot!;
    form.querySelector<HTMLInputElement>('#login')!.value = 'awa';
    form.querySelector<HTMLInputElement>('#password')!.value = 'un mot de passe assez long';
    form.querySelector('button')!.click();
    await until(() => Boolean(page()?.shadowRoot?.querySelector('ol.items')), 3000, 'the channel page again');
    expect(el.modelFor('ccsp-lokossa').state.dirty).to.equal(true);
    expect(el.modelFor('ccsp-lokossa').state.playlist!.sign.open).to.equal('OUVERT — Bienvenue');
    expect(page().shadowRoot!.textContent).to.contain('Modifications non enregistrées');
  });

  it('is accessible', async () => {
    stub = server(ADMIN).stub;
    location.hash = '#/chaines';
    const el = await fixture<CcspEditor>(html`<ccsp-editor></ccsp-editor>`);
    await until(
      () => Boolean(root(el).querySelector('ccsp-editor-channels')?.shadowRoot?.querySelector('ul')),
      3000,
      'the list',
    );
    await expect(el).to.be.accessible();
  });
});
