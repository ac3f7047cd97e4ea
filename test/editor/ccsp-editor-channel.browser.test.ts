import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { SourcePlaylistInput } from '../../src/core/index.ts';
import { validateSourcePlaylist } from '../../src/core/index.ts';
import type { ChannelDetail, User } from '../../src/editor/api-types.ts';
import '../../src/editor/ccsp-editor-channel.ts';
import type { CcspEditorChannel } from '../../src/editor/ccsp-editor-channel.ts';
import { DraftModel } from '../../src/editor/draft-model.ts';
import { forgetSharedMediaList } from '../../src/editor/media-client.ts';
import { until } from '../player/helpers.ts';
import { apiError, stubApi, type Stub } from './api-stub.ts';

// There is no server inside web-test-runner: `fetch` is STUBBED here (api-stub.ts)
// with the answers of docs/editor-api.md. The end-to-end test
// (test/editor/editor-e2e.test.ts) runs the same pages against the real server.

const REDACTEUR: User = { id: 2, login: 'awa', name: 'Awa Houngbo', role: 'redacteur' };
const VALIDATEUR: User = { id: 3, login: 'koffi', name: 'Koffi Dossou', role: 'validateur' };

/** The sample channel with media named as in the library (`images/…`, served from assets/ by the test server). */
async function samplePlaylist(): Promise<SourcePlaylistInput> {
  const text = await (await fetch('/playlists/ccsp-lokossa.json')).text();
  const playlist = JSON.parse(text.replaceAll('../assets/', '')) as SourcePlaylistInput & {
    $schema?: string;
  };
  delete playlist.$schema;
  return playlist;
}

function detail(playlist: SourcePlaylistInput, draft: Partial<ChannelDetail['draft']> = {}): ChannelDetail {
  return {
    id: 'ccsp-lokossa',
    name: 'CCSP de Lokossa',
    timezone: 'Africa/Porto-Novo',
    published: { version: 3, issued: '2026-11-20T09:00:00Z', by: 'koffi' },
    draft: {
      playlist,
      state: 'editing',
      revision: 7,
      author: 'awa',
      updatedAt: '2026-11-27T10:00:00Z',
      updatedBy: 'awa',
      ...draft,
    },
    publishedPlaylist: playlist,
  };
}

let stub: Stub;
afterEach(() => stub?.restore());
beforeEach(() => forgetSharedMediaList());

async function page(
  answer: ChannelDetail,
  user: User = REDACTEUR,
  routes: Parameters<typeof stubApi>[0] = {},
): Promise<{ el: CcspEditorChannel; model: DraftModel }> {
  stub = stubApi({
    'GET /api/editor/channels/ccsp-lokossa': () => answer,
    'GET /api/editor/media': () => ({ media: [] }),
    ...routes,
  });
  const model = new DraftModel('ccsp-lokossa');
  const el = await fixture<CcspEditorChannel>(
    html`<ccsp-editor-channel channel="ccsp-lokossa" .user=${user} .model=${model}></ccsp-editor-channel>`,
  );
  await until(() => Boolean(el.shadowRoot!.querySelector('ol.items')), 3000, 'the item list');
  return { el, model };
}

const byId = <T extends HTMLElement>(el: CcspEditorChannel, id: string) =>
  el.shadowRoot!.querySelector<T>(`[id="${CSS.escape(id)}"]`);

/** Types into a field as a person does: focus, replace the text, one input event. */
async function type(el: CcspEditorChannel, id: string, value: string): Promise<void> {
  const input = byId<HTMLInputElement>(el, id);
  expect(input, id).to.not.equal(null);
  input!.focus();
  input!.value = value;
  input!.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await el.updateComplete;
}

async function click(el: CcspEditorChannel, text: string): Promise<void> {
  const button = [...el.shadowRoot!.querySelectorAll('button')].find(
    (b) => b.textContent!.replace(/\s+/g, ' ').trim() === text,
  );
  expect(button, text).to.not.equal(undefined);
  button!.click();
  await el.updateComplete;
}

/** Waits for the check that runs a moment after typing. */
const settle = () => new Promise((r) => setTimeout(r, 250));

describe('<ccsp-editor-channel>', () => {
  it('turns what is typed in the forms into the playlist it saves (form → playlist round trip)', async () => {
    const original = await samplePlaylist();
    let saved: unknown;
    const { el, model } = await page(detail(original), REDACTEUR, {
      'PUT /api/editor/channels/ccsp-lokossa/draft': ({ body }) => {
        saved = body;
        return { draft: { ...detail(original).draft, revision: 8 } };
      },
    });
    // The form shows the draft as it is, and leaves it untouched until something is typed.
    expect(model.state.playlist).to.deep.equal(original);
    expect(model.state.dirty).to.equal(false);

    // A new announcement, through the form only.
    await click(el, 'Ajouter une annonce');
    const at = `/items/${original.items.length}`;
    await type(el, `f${at}/title`, 'Carte d’identité biométrique');
    await type(el, `f${at}/body`, 'Faites votre demande au point focal du CCSP.');
    await type(el, `f${at}/link`, 'https://service-public.bj');
    await type(el, `f${at}/schedule/from`, '2026-12-01');
    await type(el, `f${at}/schedule/until`, '2026-12-31');
    await type(el, `f${at}/schedule/until@heure`, '18:00');
    for (const day of ['Lundi', 'Mercredi']) {
      const box = [...el.shadowRoot!.querySelectorAll<HTMLLabelElement>(`[id="f${at}/schedule/days"] label`)]
        .find((l) => l.textContent!.trim() === day)!
        .querySelector('input')!;
      box.click();
      await el.updateComplete;
    }
    await click(el, 'Ajouter une plage horaire');
    await type(el, `f${at}/schedule/times/0/start`, '09:00');
    await type(el, `f${at}/schedule/times/0/end`, '11:30');
    byId<HTMLInputElement>(el, `f${at}/schedule/when`)!
      .querySelector<HTMLInputElement>('input[value=open]')!
      .click();
    byId<HTMLInputElement>(el, `f${at}/priority`)!
      .querySelector<HTMLInputElement>('input[value=urgent]')!
      .click();
    byId<HTMLInputElement>(el, `f${at}/essential`)!
      .querySelector<HTMLInputElement>('input[value=yes]')!
      .click();
    await el.updateComplete;
    await type(el, `f${at}/schedule/every`, '20');
    await click(el, 'Ajouter une traduction');
    await type(el, `f${at}/translations/0/title`, '[Exemple] Kàlítì');
    await type(el, `f${at}/translations/0/body`, '[Exemple] Point focal ɔ na d’alɔ we.');
    // Reorder: the new item goes first; the first item is duplicated.
    for (let i = 0; i < original.items.length; i++) {
      const up = byId<HTMLButtonElement>(el, `up-${original.items.length - i}`)!;
      up.click();
      await el.updateComplete;
    }
    await settle();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.summary'), 'no problem left').to.equal(null);
    await click(el, 'Enregistrer le brouillon');
    await until(() => saved !== undefined, 3000, 'the PUT');

    const expected = {
      id: 'annonce',
      kind: 'announcement',
      lang: 'fr',
      title: 'Carte d’identité biométrique',
      body: 'Faites votre demande au point focal du CCSP.',
      duration: 12,
      link: 'https://service-public.bj',
      priority: 'urgent',
      essential: true,
      schedule: {
        from: '2026-12-01',
        until: '2026-12-31T18:00',
        days: ['mon', 'wed'],
        times: [{ start: '09:00', end: '11:30' }],
        when: 'open',
        every: 20,
      },
      translations: [
        { lang: 'fon', title: '[Exemple] Kàlítì', body: '[Exemple] Point focal ɔ na d’alɔ we.' },
      ],
    };
    expect(saved).to.deep.equal({
      playlist: { ...original, items: [expected, ...original.items] },
      revision: 7,
    });
    expect(validateSourcePlaylist((saved as { playlist: unknown }).playlist).ok).to.equal(true);
    await until(() => model.state.revision === 8, 3000, 'the new revision');
    expect(model.state.dirty).to.equal(false);
  });

  it('shows a problem from the server next to the field its pointer names, and the summary link focuses it', async () => {
    const original = await samplePlaylist();
    const { el } = await page(detail(original), REDACTEUR, {
      'PUT /api/editor/channels/ccsp-lokossa/draft': () =>
        new Response(
          JSON.stringify({
            error: {
              code: 'invalid',
              message: 'Le brouillon a des erreurs.',
              problems: [
                { pointer: '/items/2/schedule/until', message: 'La date de fin est trop lointaine.' },
              ],
            },
          }),
          { status: 422, headers: { 'content-type': 'application/json' } },
        ),
    });
    // Edit something elsewhere so that there is something to save.
    await click(el, 'Modifier « Vos démarches sur service-public.bj »');
    await type(el, 'f/items/2/badge', 'Nouveau');
    await settle();
    await click(el, 'Enregistrer le brouillon');
    await until(() => Boolean(el.shadowRoot!.querySelector('.summary')), 3000, 'the summary');

    const input = byId<HTMLInputElement>(el, 'f/items/2/schedule/until')!;
    const error = byId(el, 'e/items/2/schedule/until')!;
    expect(error.textContent).to.contain('La date de fin est trop lointaine.');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(input.getAttribute('aria-describedby')!.split(' ')).to.include('e/items/2/schedule/until');
    // The error sits in the same field block as its input.
    expect(input.closest('.field')!.contains(error)).to.equal(true);
    // The summary got the focus, and names the field in the form's words.
    const summary = el.shadowRoot!.querySelector('.summary')!;
    expect(el.shadowRoot!.activeElement?.id).to.equal('summary-title');
    const link = summary.querySelector('a')!;
    expect(link.textContent).to.equal(
      'Élément 3 « Vos démarches sur service-public.bj » › Programmation › Jusqu’au',
    );
    link.click();
    await until(() => el.shadowRoot!.activeElement === input, 2000, 'the field to take the focus');
    // Editing the field clears the server's problem.
    await type(el, 'f/items/2/schedule/until', '2027-06-30');
    expect(byId(el, 'e/items/2/schedule/until')).to.equal(null);
  });

  it('checks the draft in the browser as staff type, each message at its field', async () => {
    const original = await samplePlaylist();
    const { el } = await page(detail(original));
    await click(el, 'Modifier « Le centre est fermé »');
    await type(el, 'f/items/1/title', '');
    await type(el, 'f/items/1/schedule/until', '');
    await settle();
    await el.updateComplete;
    expect(byId(el, 'e/items/1/title')!.textContent).to.contain('Ne doit pas être vide.');
    expect(byId(el, 'e/items/1/schedule/until')!.textContent).to.contain(
      'Une annonce doit avoir une date de fin',
    );
    const items = el.shadowRoot!.querySelectorAll('ol.items > li');
    expect(items[1]!.textContent).to.contain('2 points à corriger');
    // Saving is refused in the browser: nothing is sent.
    await click(el, 'Enregistrer le brouillon');
    expect(stub.calls.filter((c) => c.method === 'PUT')).to.have.length(0);
  });

  it('moves, duplicates and removes items with buttons, focus following the item', async () => {
    const original = await samplePlaylist();
    const { el, model } = await page(detail(original));
    const ids = () => (model.state.playlist!.items as { id: string }[]).map((i) => i.id);
    byId<HTMLButtonElement>(el, 'down-0')!.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(ids().slice(0, 2)).to.deep.equal(['centre-ferme', 'bienvenue-ccsp']);
    expect(el.shadowRoot!.activeElement?.id).to.equal('down-1');
    await click(el, 'Dupliquer « Bienvenue au Centre Communal de Service Public »');
    expect(ids().slice(0, 3)).to.deep.equal(['centre-ferme', 'bienvenue-ccsp', 'bienvenue-ccsp-copie']);
    const confirm = window.confirm;
    window.confirm = () => true;
    try {
      await click(el, 'Supprimer « Le centre est fermé »');
    } finally {
      window.confirm = confirm;
    }
    expect(ids().slice(0, 2)).to.deep.equal(['bienvenue-ccsp', 'bienvenue-ccsp-copie']);
  });

  it('explains a conflict (409) and offers to reload', async () => {
    const original = await samplePlaylist();
    const newer = detail(original, { revision: 9, updatedBy: 'koffi' });
    let gets = 0;
    const { el, model } = await page(detail(original), REDACTEUR, {
      'GET /api/editor/channels/ccsp-lokossa': () => (gets++ === 0 ? detail(original) : newer),
      'PUT /api/editor/channels/ccsp-lokossa/draft': () =>
        apiError(409, 'conflict', 'Le brouillon a changé.'),
    });
    await click(el, 'Modifier « Le centre est fermé »');
    await type(el, 'f/items/1/badge', 'Fermé');
    await settle();
    await click(el, 'Enregistrer le brouillon');
    await until(
      () => el.shadowRoot!.textContent!.includes('Quelqu’un d’autre a enregistré'),
      3000,
      'the conflict',
    );
    await click(el, 'Recharger le brouillon');
    await until(() => model.state.revision === 9, 3000, 'the reload');
    expect(model.state.dirty).to.equal(false);
  });

  it('tells a validateur who wrote the draft that another one must approve it', async () => {
    const original = await samplePlaylist();
    const { el } = await page(
      detail(original, { state: 'submitted', author: 'koffi', updatedBy: 'koffi' }),
      VALIDATEUR,
    );
    const approve = [...el.shadowRoot!.querySelectorAll('button')].find((b) =>
      b.textContent!.includes('Approuver et publier'),
    )!;
    expect(approve.disabled).to.equal(true);
    const why = byId(el, approve.getAttribute('aria-describedby')!)!;
    expect(why.textContent!.trim()).to.equal(
      'Vous avez écrit ce brouillon : un autre validateur doit l’approuver.',
    );
  });

  it('approves and publishes a draft written by someone else', async () => {
    const original = await samplePlaylist();
    let approved: unknown;
    const { el } = await page(detail(original, { state: 'submitted' }), VALIDATEUR, {
      'POST /api/editor/channels/ccsp-lokossa/approve': ({ body }) => {
        approved = body;
        return { version: 4 };
      },
    });
    await click(el, 'Approuver et publier');
    await until(() => approved !== undefined, 3000, 'the approval');
    expect(approved).to.deep.equal({ revision: 7 });
    await until(() => el.shadowRoot!.textContent!.includes('Version 4 publiée'), 3000, 'the message');
  });

  it('sends a draft back with a comment, which the rédacteur then sees', async () => {
    const original = await samplePlaylist();
    let rejected: unknown;
    let gets = 0;
    const { el } = await page(detail(original, { state: 'submitted' }), VALIDATEUR, {
      'GET /api/editor/channels/ccsp-lokossa': () =>
        gets++ === 0
          ? detail(original, { state: 'submitted' })
          : detail(original, { state: 'editing', comment: 'Ajoutez la date de fin de l’annonce.' }),
      'POST /api/editor/channels/ccsp-lokossa/reject': ({ body }) => {
        rejected = body;
        return { draft: detail(original).draft };
      },
    });
    await click(el, 'Renvoyer avec un commentaire');
    await until(() => el.shadowRoot!.activeElement?.id === 'reject-comment', 2000, 'the comment field');
    await type(el, 'reject-comment', 'Ajoutez la date de fin de l’annonce.');
    await click(el, 'Renvoyer au rédacteur');
    await until(() => rejected !== undefined, 3000, 'the POST');
    expect(rejected).to.deep.equal({ comment: 'Ajoutez la date de fin de l’annonce.' });
    await until(
      () =>
        el.shadowRoot!.textContent!.includes(
          'Commentaire du validateur : « Ajoutez la date de fin de l’annonce. »',
        ),
      3000,
      'the comment on the page',
    );
  });

  it('is accessible, with an item form open', async () => {
    const original = await samplePlaylist();
    const { el } = await page(detail(original));
    await click(el, 'Modifier « Obtenir un acte de naissance sécurisé »');
    await expect(el).to.be.accessible();
    await click(el, 'Modifier « Le casier judiciaire en ligne »');
    await expect(el).to.be.accessible();
  });

  it('edits the centre’s settings: opening days, a closure, the sign; and is accessible', async () => {
    const original = await samplePlaylist();
    const { el, model } = await page(detail(original));
    el.tab = 'reglages';
    await el.updateComplete;
    const saturday = [...el.shadowRoot!.querySelectorAll<HTMLLabelElement>('[id="f/hours/0/days"] label')]
      .find((l) => l.textContent!.trim() === 'Samedi')!
      .querySelector('input')!;
    saturday.click();
    await el.updateComplete;
    await click(el, 'Ajouter une fermeture');
    await type(el, 'f/closures/3/from', '2027-03-10');
    await type(el, 'f/closures/3/reason', 'Inventaire');
    await type(el, 'f/sign/open', 'OUVERT — Entrez');
    await settle();
    const p = model.state.playlist!;
    expect(p.hours[0]!.days).to.deep.equal(['mon', 'tue', 'wed', 'thu', 'fri', 'sat']);
    expect(p.closures![3]).to.deep.equal({ from: '2027-03-10', reason: 'Inventaire' });
    expect(p.sign.open).to.equal('OUVERT — Entrez');
    expect(validateSourcePlaylist(p).ok).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('lists the published versions and restores one as the draft', async () => {
    const original = await samplePlaylist();
    let restored = false;
    const { el } = await page(detail(original), REDACTEUR, {
      'GET /api/editor/channels/ccsp-lokossa/versions': () => ({
        versions: [
          { version: 2, issued: '2026-11-27T09:00:00Z', author: 'awa', approvedBy: 'koffi', items: 9 },
          { version: 1, issued: '2026-11-20T09:00:00Z', author: 'import', approvedBy: 'import', items: 8 },
        ],
      }),
      'POST /api/editor/channels/ccsp-lokossa/versions/1/restore': () => {
        restored = true;
        return { draft: detail(original).draft };
      },
    });
    el.tab = 'historique';
    await el.updateComplete;
    const history = el.shadowRoot!.querySelector('ccsp-editor-history')!;
    await until(() => history.shadowRoot!.querySelectorAll('tbody tr').length === 2, 3000, 'the versions');
    const rows = [...history.shadowRoot!.querySelectorAll('tbody tr')].map((r) =>
      r.textContent!.replace(/\s+/g, ' ').trim(),
    );
    expect(rows[0]).to.contain('2 27 novembre 2026 à 10:00 awa koffi 9');
    expect(rows[1]).to.contain('import automatique');
    await expect(history).to.be.accessible();
    const confirm = window.confirm;
    window.confirm = () => true;
    try {
      [...history.shadowRoot!.querySelectorAll('button')]
        .find((b) => b.textContent!.includes('(version 1)'))!
        .click();
      await until(() => restored, 3000, 'the restore');
    } finally {
      window.confirm = confirm;
    }
    await until(
      () => el.shadowRoot!.textContent!.includes('La version choisie est maintenant le brouillon'),
      3000,
      'the message',
    );
    location.hash = '';
  });
});
