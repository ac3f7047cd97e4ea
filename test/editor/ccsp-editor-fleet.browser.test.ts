import { expect, fixture, html } from '@open-wc/testing';
import '../../src/editor/ccsp-editor-fleet.ts';
import type { CcspEditorFleet } from '../../src/editor/ccsp-editor-fleet.ts';
import { until } from '../player/helpers.ts';
import { apiError, stubApi, type Stub } from './api-stub.ts';

// No server in web-test-runner: GET /api/editor/fleet and /channels are stubbed
// fetches answering in the contract's shape (docs/editor-api.md "Fleet").

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

const FLEET = {
  channels: [
    {
      id: 'ccsp-lokossa',
      name: 'CCSP de Lokossa',
      published: { version: 7, issued: '2026-11-27T09:00:00Z' },
      screens: [
        {
          id: 'p-salle',
          name: 'Écran salle d’attente',
          state: 'ok',
          version: 7,
          item: 'bienvenue',
          itemTitle: 'Bienvenue au Centre Communal de Service Public',
          lastSeen: minutesAgo(1),
          painting: { ok: true, reason: null },
          power: 'ok',
          clockSkewS: 2,
          errors: [],
        },
        {
          id: 'p-entree',
          name: 'Écran de l’entrée',
          state: 'not-painting',
          version: 6,
          item: 'casier',
          itemTitle: null,
          lastSeen: minutesAgo(3),
          painting: { ok: false, reason: 'no-frames' },
          power: 'eco',
          clockSkewS: 300,
          errors: [{ at: minutesAgo(4), message: 'video stalled' }],
        },
        {
          id: 'p-bureau',
          name: 'Écran du bureau',
          state: 'closed',
          version: 7,
          item: null,
          lastSeen: minutesAgo(600),
          painting: null,
          power: 'ok',
          clockSkewS: 0,
          errors: [],
        },
      ],
    },
  ],
};

let stub: Stub;
afterEach(() => stub.restore());

const row = (el: CcspEditorFleet, id: string) =>
  el.shadowRoot!.querySelector<HTMLTableRowElement>(`tr[data-screen="${id}"]`)!;
const text = (node: Element) => node.textContent!.replace(/\s+/g, ' ').trim();

describe('<ccsp-editor-fleet>', () => {
  it('makes a screen that stopped painting stand out, in words and with an icon', async () => {
    stub = stubApi({ 'GET /api/editor/fleet': () => FLEET });
    const el = await fixture<CcspEditorFleet>(html`<ccsp-editor-fleet></ccsp-editor-fleet>`);
    await until(() => el.shadowRoot!.querySelector('tbody tr') !== null, 3000, 'the screens');

    const bad = row(el, 'p-entree');
    expect(bad.dataset.state).to.equal('not-painting');
    expect(text(bad)).to.contain('N’affiche rien (ne peint plus)').and.contain('aucune image présentée');
    expect(bad.querySelector('.icon')!.textContent).to.equal('⚠');
    expect(bad.classList.contains('tone-alarm')).to.equal(true);
    // Version played against published, when last seen, power, clock, errors.
    expect(text(bad)).to.contain('v6').and.contain('en retard (publiée : v7)');
    expect(text(bad)).to.contain('il y a 3 min').and.contain('Économie (éco)').and.contain('écart de 5 min');
    expect(text(bad)).to.contain('1 erreur');
    // Named in the summary at the top, which a screen reader hears.
    const summary = el.shadowRoot!.querySelector('.alarm-box')!;
    expect(text(summary)).to.contain(
      '« Écran de l’entrée » (CCSP de Lokossa) : N’affiche rien (ne peint plus)',
    );

    expect(text(row(el, 'p-salle')))
      .to.contain('En service')
      .and.contain('à l’heure');
    // What is on screen: the item's French title; its id when the server has no title for it.
    expect(text(row(el, 'p-salle'))).to.contain('Bienvenue au Centre Communal de Service Public');
    expect(text(row(el, 'p-salle'))).not.to.contain('bienvenue');
    expect(bad.querySelector('code')!.textContent).to.equal('casier');
    expect(text(row(el, 'p-bureau'))).to.contain('Fermé (normal)');
    expect(row(el, 'p-bureau').classList.contains('tone-alarm')).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('shows the published version of each channel while the server has no fleet view', async () => {
    stub = stubApi({
      'GET /api/editor/fleet': () => apiError(404, 'not-found', 'Introuvable.'),
      'GET /api/editor/channels': () => ({
        channels: [
          {
            id: 'ccsp-lokossa',
            name: 'CCSP de Lokossa',
            timezone: 'Africa/Porto-Novo',
            published: { version: 7, issued: '2026-11-27T09:05:00Z', by: 'adjovi' },
            draft: null,
          },
        ],
      }),
    });
    const el = await fixture<CcspEditorFleet>(html`<ccsp-editor-fleet></ccsp-editor-fleet>`);
    await until(() => el.shadowRoot!.querySelector('section') !== null, 3000, 'the channels');
    const section = text(el.shadowRoot!.querySelector('section[data-channel="ccsp-lokossa"]')!);
    // 09:05 UTC is 10 h 05 in Porto-Novo.
    expect(section).to.contain('Version publiée : v7, le 27/11/2026 à 10 h 05');
    expect(text(el.shadowRoot!.querySelector('p')!)).to.contain('pas encore disponible');
  });

  it('asks again on its own', async () => {
    stub = stubApi({ 'GET /api/editor/fleet': () => FLEET });
    const el = await fixture<CcspEditorFleet>(html`<ccsp-editor-fleet refresh-s="0.2"></ccsp-editor-fleet>`);
    await until(() => stub.calls.length >= 3, 3000, 'three requests');
    el.remove();
    const calls = stub.calls.length;
    await new Promise((r) => setTimeout(r, 500));
    expect(stub.calls.length).to.equal(calls);
  });
});
