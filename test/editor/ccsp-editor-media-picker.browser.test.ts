import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/editor/ccsp-editor-media-picker.ts';
import type {
  CcspEditorMediaPicker,
  MediaPickerChangeEvent,
} from '../../src/editor/ccsp-editor-media-picker.ts';
import { forgetSharedMediaList, type MediaEntry } from '../../src/editor/media-client.ts';
import { until } from '../player/helpers.ts';
import { stubApi, type Stub } from './api-stub.ts';
import { fakeXhr } from './fake-xhr.ts';

// No server in web-test-runner: the list (GET /api/editor/media) is a stubbed
// fetch, uploads a fake XMLHttpRequest; the files themselves are the repository's
// assets/, which the test server serves at /api/editor/media/<name>
// (web-test-runner.config.mjs).

const entry = (name: string, type: string, originalName: string, bytes = 2048): MediaEntry => ({
  name,
  type,
  bytes,
  originalName,
  uploadedAt: '2026-11-20T09:00:00Z',
  uploadedBy: 'adjovi',
  usedBy: [],
});

const LIBRARY = [
  entry('images/etape-1.svg', 'image/svg+xml', 'etape-1.svg'),
  entry('images/etape-2.svg', 'image/svg+xml', 'etape-2.svg'),
  entry('video/casier-judiciaire.mp4', 'video/mp4', 'casier.mp4', 157495),
  entry('images/etape-3.svg', 'image/svg+xml', 'etape-3.svg'),
];

let stub: Stub;
beforeEach(() => {
  forgetSharedMediaList();
  stub = stubApi({ 'GET /api/editor/media': () => ({ media: LIBRARY }) });
});
afterEach(() => stub.restore());

async function picker(value = 'images/etape-1.svg', accept = 'image'): Promise<CcspEditorMediaPicker> {
  const el = await fixture<CcspEditorMediaPicker>(
    html`<ccsp-editor-media-picker
      accept=${accept}
      label="Image de l’étape 1"
      .value=${value}
    ></ccsp-editor-media-picker>`,
  );
  await until(() => !el.shadowRoot!.textContent!.includes('Chargement'), 3000, 'the list');
  return el;
}

const radios = (el: CcspEditorMediaPicker) => [
  ...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type=radio]'),
];

describe('<ccsp-editor-media-picker>', () => {
  it('is chosen with the keyboard: Enter opens the library, arrows choose, `change` tells the name', async () => {
    const el = await picker();
    const toggle = el.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-expanded]')!;
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    await until(() => radios(el).length > 0, 2000, 'the options');
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    // Only images, under the field's name; the chosen one has the focus.
    expect(radios(el).map((r) => r.value)).to.deep.equal([
      'images/etape-1.svg',
      'images/etape-2.svg',
      'images/etape-3.svg',
    ]);
    expect(el.shadowRoot!.querySelector('legend')!.textContent).to.equal('Image de l’étape 1');
    expect(el.shadowRoot!.activeElement).to.equal(radios(el)[0]);

    const changed = oneEvent(el, 'change') as Promise<MediaPickerChangeEvent>;
    await sendKeys({ press: 'ArrowDown' });
    const event = await changed;
    expect(event.detail).to.deep.equal({ name: 'images/etape-2.svg' });
    expect(event.bubbles && event.composed).to.equal(true);
    expect(el.value).to.equal('images/etape-2.svg');

    // The chosen image's thumbnail, loaded.
    await el.updateComplete;
    const thumb = el.shadowRoot!.querySelector<HTMLImageElement>('.chosen img')!;
    expect(thumb.getAttribute('src')).to.equal('/api/editor/media/images/etape-2.svg');
    await until(() => thumb.complete && thumb.naturalWidth > 0, 3000, 'the thumbnail');
    await expect(el).to.be.accessible();
  });

  it('lists only the files of its type', async () => {
    const el = await picker('', 'video');
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-expanded]')!.click();
    await until(() => radios(el).length > 0, 2000, 'the options');
    expect(radios(el).map((r) => r.value)).to.deep.equal(['video/casier-judiciaire.mp4']);
  });

  it('uploads with a progress bar, then chooses the new file', async () => {
    const xhr = fakeXhr(() => ({
      status: 201,
      body: { media: entry('images/etape-3.svg', 'image/svg+xml', 'nouvelle.svg') },
    }));
    try {
      const el = await picker('');
      const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type=file]')!;
      const files = new DataTransfer();
      files.items.add(
        new File(['<svg xmlns="http://www.w3.org/2000/svg"/>'], 'nouvelle.svg', { type: 'image/svg+xml' }),
      );
      input.files = files.files;
      const changed = oneEvent(el, 'change') as Promise<MediaPickerChangeEvent>;
      input.dispatchEvent(new Event('change'));
      await until(() => (el.shadowRoot!.querySelector('progress')?.value ?? 0) > 0, 2000, 'progress');
      expect(el.shadowRoot!.querySelector('.upload')!.textContent).to.match(
        /Téléversement de « nouvelle\.svg » : \d+ %/,
      );
      expect((await changed).detail).to.deep.equal({ name: 'images/etape-3.svg' });
      expect(xhr.sent[0]!.url).to.equal('/api/editor/media?filename=nouvelle.svg');
      expect(xhr.sent[0]!.body).to.be.instanceOf(File);
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('progress')).to.equal(null);
      expect(el.shadowRoot!.querySelector('[role=status]')!.textContent).to.contain('téléversé et choisi');
    } finally {
      xhr.restore();
    }
  });

  it('shows the server’s French reason when an upload is refused', async () => {
    const xhr = fakeXhr(() => ({
      status: 415,
      body: { error: { code: 'bad-type', message: 'Le contenu de « photo.png » n’est pas une image PNG.' } },
    }));
    try {
      const el = await picker('');
      const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type=file]')!;
      const files = new DataTransfer();
      files.items.add(new File(['pas une image'], 'photo.png', { type: 'image/png' }));
      input.files = files.files;
      input.dispatchEvent(new Event('change'));
      await until(() => el.shadowRoot!.querySelector('[role=alert]') !== null, 3000, 'the error');
      expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent).to.contain('n’est pas une image PNG');
      expect(el.value).to.equal('');
    } finally {
      xhr.restore();
    }
  });
});
