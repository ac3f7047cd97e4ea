import { expect, fixture, html } from '@open-wc/testing';
import { timeline } from '../../src/core/schedule/index.ts';
import type { AnnouncementItem, Manifest, SourcePlaylist } from '../../src/core/manifest-schema.ts';
import '../../src/editor/ccsp-editor-preview.ts';
import type { CcspEditorPreview } from '../../src/editor/ccsp-editor-preview.ts';
import { dayBounds, fromLocal } from '../../src/editor/format.ts';
import { announcement, manifestWith, until } from '../player/helpers.ts';
import { stubApi, type Stub } from './api-stub.ts';

// The real player and the real sign run in the preview's frames; only the API is
// stubbed (there is no server inside web-test-runner): POST …/preview answers the
// manifest the server would make of the draft. The end-to-end test covers the server.

const TZ = 'Africa/Porto-Novo';
const MONDAY = '2026-11-30';

const manifest: Manifest = manifestWith(
  [
    announcement('accueil', {
      title: 'Bienvenue au CCSP',
      schedule: { until: '2099-12-31', when: 'open' },
      image: { sha256: 'e'.repeat(64), bytes: 5798, type: 'image/svg+xml' },
    }),
    announcement('urgent', {
      title: 'Coupure du réseau ce matin',
      priority: 'urgent',
      schedule: { from: `${MONDAY}T10:00`, until: `${MONDAY}T10:30`, when: 'always' },
    }),
    announcement('ferme', {
      title: 'Centre fermé — réouverture à 8 h',
      schedule: { until: '2099-12-31', when: 'closed' },
    }),
  ],
  {
    expires: '2099-12-01T00:00:00Z',
    hours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '08:00', close: '17:30' }],
  },
);

// As the server's preview gives it: each media reference also has its library name
// (src/server/editor/channels.ts), here served from assets/ (web-test-runner.config.mjs).
Object.assign((manifest.items[0] as AnnouncementItem).image!, { name: 'images/ccsp-accueil.svg' });

// The draft as the form holds it; the stub answers with `manifest` whatever it is.
const draft = { channel: manifest.channel, items: [] } as unknown as SourcePlaylist;

let stub: Stub;

beforeEach(() => {
  stub = stubApi({ [`POST /api/editor/channels/${manifest.channel}/preview`]: () => ({ manifest }) });
});
afterEach(() => stub.restore());

async function preview(): Promise<CcspEditorPreview> {
  const el = await fixture<CcspEditorPreview>(
    html`<ccsp-editor-preview
      channel=${manifest.channel}
      debounce-ms="0"
      .playlist=${draft}
    ></ccsp-editor-preview>`,
  );
  await until(() => el.player !== null && el.sign !== null, 10000, 'the player and the sign in their frames');
  return el;
}

/** Types a date and a time into the control, as a person does. */
async function showAt(el: CcspEditorPreview, date: string, time: string): Promise<void> {
  const root = el.shadowRoot!;
  const d = root.querySelector<HTMLInputElement>('#when-date')!;
  const t = root.querySelector<HTMLInputElement>('#when-time')!;
  d.value = date;
  d.dispatchEvent(new Event('change', { bubbles: true }));
  t.value = time;
  t.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
}

const item = (el: CcspEditorPreview) => el.player!.dataset.item;

describe('<ccsp-editor-preview>', () => {
  it('shows the draft in the real player and follows the time control', async () => {
    const el = await preview();
    expect(stub.calls[0]?.body).to.deep.equal({ playlist: draft });

    await showAt(el, MONDAY, '09:00');
    await until(() => item(el) === 'accueil', 5000, 'the open-hours item');
    // Its image comes from the library by name (GET /api/editor/media/<name>).
    const image = () =>
      el.player!.shadowRoot!.querySelector('ccsp-announcement')?.shadowRoot?.querySelector('img') ?? null;
    await until(() => (image()?.naturalWidth ?? 0) > 0, 5000, 'the image');
    expect(image()!.getAttribute('src')).to.equal('/api/editor/media/images/ccsp-accueil.svg');
    expect(Math.abs(el.previewNow - fromLocal({ date: MONDAY, time: '09:00' }, TZ))).to.be.below(60_000);
    // The screen's clock shows the chosen time, not the computer's.
    const clock = el.player!.shadowRoot!.querySelector('ccsp-clock')!;
    await until(
      () => clock.shadowRoot?.textContent?.includes('lundi 30 novembre, 9 h 0') ?? false,
      3000,
      'the clock',
    );

    await showAt(el, MONDAY, '10:10');
    await until(() => item(el) === 'urgent', 5000, 'the urgent item');
    const caption = el.shadowRoot!.querySelector('.screen figcaption')!.textContent!;
    expect(caption).to.contain('Coupure du réseau ce matin').and.contain('urgent');

    await showAt(el, MONDAY, '20:00');
    await until(() => item(el) === 'ferme', 5000, 'the closed-hours card');
    // The sign, from the same manifest at the same instant, says the centre is closed.
    await until(() => el.sign!.dataset.mode === 'closed', 3000, 'the sign closed');
  });

  it('toggles the frame to portrait, 9:16, with the player laid out for a portrait screen', async () => {
    const el = await preview();
    const slot = () => el.shadowRoot!.querySelector<HTMLElement>('.slot')!.getBoundingClientRect();
    const frame = () => el.shadowRoot!.querySelector<HTMLIFrameElement>('iframe.screen-frame')!;
    expect(slot().width / slot().height).to.be.closeTo(16 / 9, 0.02);
    expect(frame().contentWindow!.matchMedia('(orientation: landscape)').matches).to.equal(true);

    el.shadowRoot!.querySelector<HTMLInputElement>('input[value=portrait]')!.click();
    await el.updateComplete;
    expect(el.orientation).to.equal('portrait');
    expect(slot().width / slot().height).to.be.closeTo(9 / 16, 0.02);
    expect([frame().width, frame().height]).to.deep.equal(['1080', '1920']);
    expect(frame().contentWindow!.matchMedia('(orientation: portrait)').matches).to.equal(true);
    // The player fills the screen's viewport, whatever the editor's window.
    const box = el.player!.getBoundingClientRect();
    expect([box.width, box.height]).to.deep.equal([1080, 1920]);
  });

  it('lists the day’s programme as a table, the same items as core’s timeline', async () => {
    const el = await preview();
    await showAt(el, MONDAY, '09:00');
    const rows = [...el.shadowRoot!.querySelectorAll<HTMLTableRowElement>('tbody tr')];
    const listed = new Set(rows.flatMap((r) => [...r.querySelectorAll('li')].map((li) => li.dataset.item)));
    const [from, to] = dayBounds(MONDAY, TZ);
    const expected = new Set(timeline(manifest, from, to).flatMap((e) => (e.item ? [e.item.id] : [])));
    expect([...listed].sort()).to.deep.equal([...expected].sort());

    // Periods in the centre's hours: closed until 8 h, open, urgent 10 h – 10 h 30, open, closed from 17 h 30.
    const text = rows.map((r) => r.querySelector('th')!.textContent!.replace(/\s+/g, ' ').trim());
    expect(text).to.deep.equal([
      '0 h – 8 h',
      '8 h – 10 h',
      '10 h – 10 h 30',
      '10 h 30 – 17 h 30',
      '17 h 30 – 24 h',
    ]);
    const urgent = rows[2]!;
    expect(urgent.classList.contains('urgent')).to.equal(true);
    expect(urgent.textContent).to.contain('URGENT').and.contain('Coupure du réseau ce matin');
    expect(rows[0]!.textContent).to.contain('Fermé').and.contain('Centre fermé — réouverture à 8 h');
    await expect(el).to.be.accessible();

    // Each row's "Voir" button moves the preview there.
    rows[2]!.querySelector('button')!.click();
    await until(() => item(el) === 'urgent', 5000, 'the urgent item after "Voir à 10 h"');
  });

  it('shows the server’s French message when the draft is refused, and keeps the last good preview', async () => {
    const el = await preview();
    stub.restore();
    stub = stubApi({
      [`POST /api/editor/channels/${manifest.channel}/preview`]: () =>
        new Response(
          JSON.stringify({
            error: {
              code: 'invalid',
              message: 'Le brouillon contient des erreurs.',
              problems: [
                { pointer: '/items/0/schedule/until', message: 'Une annonce doit avoir une date de fin.' },
              ],
            },
          }),
          { status: 422, headers: { 'content-type': 'application/json' } },
        ),
    });
    el.playlist = { ...draft };
    await until(() => el.shadowRoot!.querySelector('[role=alert]') !== null, 3000, 'the error');
    const alert = el.shadowRoot!.querySelector('[role=alert]')!.textContent!;
    expect(alert).to.contain('Le brouillon contient des erreurs.').and.contain('date de fin');
    expect(el.player).to.not.equal(null);
  });
});
