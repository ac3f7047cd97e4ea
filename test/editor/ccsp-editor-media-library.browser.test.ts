import { expect, fixture, html } from '@open-wc/testing';
import '../../src/editor/ccsp-editor-media-library.ts';
import type { CcspEditorMediaLibrary } from '../../src/editor/ccsp-editor-media-library.ts';
import { forgetSharedMediaList, type MediaEntry } from '../../src/editor/media-client.ts';
import { until } from '../player/helpers.ts';
import { stubApi, type Stub } from './api-stub.ts';
import { fakeXhr } from './fake-xhr.ts';

// No server in web-test-runner: the list and the channels are stubbed fetches,
// uploads a fake XMLHttpRequest; thumbnails are the repository's assets/, served
// at /api/editor/media/<name> by the test server (web-test-runner.config.mjs).

const LIBRARY: MediaEntry[] = [
  {
    name: 'images/etape-1.svg',
    type: 'image/svg+xml',
    bytes: 1869,
    originalName: 'Étape 1 — accueil.svg',
    uploadedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    uploadedBy: 'adjovi',
    usedBy: [{ channel: 'ccsp-lokossa', item: 'acte-naissance', where: 'published' }],
  },
  {
    name: 'video/casier-judiciaire.mp4',
    type: 'video/mp4',
    bytes: 3_565_158,
    originalName: 'casier.mp4',
    uploadedAt: '2026-11-20T09:00:00Z',
    uploadedBy: 'koffi',
    usedBy: [],
  },
];

let stub: Stub;
beforeEach(() => {
  forgetSharedMediaList();
  stub = stubApi({
    'GET /api/editor/media': () => ({ media: LIBRARY }),
    'GET /api/editor/channels': () => ({ channels: [{ id: 'ccsp-lokossa', name: 'CCSP de Lokossa' }] }),
  });
});
afterEach(() => stub.restore());

const text = (node: Element) => node.textContent!.replace(/\s+/g, ' ').trim();

async function library(): Promise<CcspEditorMediaLibrary> {
  const el = await fixture<CcspEditorMediaLibrary>(
    html`<ccsp-editor-media-library></ccsp-editor-media-library>`,
  );
  await until(() => el.shadowRoot!.querySelector('tbody tr') !== null, 3000, 'the list');
  await until(() => text(el.shadowRoot!.querySelector('tbody')!).includes('CCSP de Lokossa'), 3000, 'names');
  return el;
}

function choose(input: HTMLInputElement, files: File[]): void {
  const list = new DataTransfer();
  for (const f of files) list.items.add(f);
  input.files = list.files;
  input.dispatchEvent(new Event('change'));
}

describe('<ccsp-editor-media-library>', () => {
  it('lists each file with its thumbnail, type, size, who and when, and where it is used', async () => {
    const el = await library();
    const image = el.shadowRoot!.querySelector('tr[data-name="images/etape-1.svg"]')!;
    expect(text(image)).to.contain('Étape 1 — accueil.svg').and.contain('Image').and.contain('1,8 Ko');
    expect(text(image)).to.contain('adjovi').and.contain('il y a 5 min');
    expect(text(image)).to.contain('CCSP de Lokossa — acte-naissance (publié)');
    const thumb = image.querySelector('img')!;
    await until(() => thumb.complete && thumb.naturalWidth > 0, 3000, 'the thumbnail');
    const video = el.shadowRoot!.querySelector('tr[data-name="video/casier-judiciaire.mp4"]')!;
    expect(text(video)).to.contain('Vidéo').and.contain('3,4 Mo').and.contain('Aucune utilisation');
    await expect(el).to.be.accessible();
  });

  it('uploads files one by one with progress, and shows the server’s reason for a refusal', async () => {
    const xhr = fakeXhr((url) =>
      url.includes('grande')
        ? {
            status: 413,
            body: { error: { code: 'too-large', message: '« grande.mp4 » dépasse la taille permise.' } },
          }
        : {
            status: 201,
            body: {
              media: {
                name: 'images/etape-2.svg',
                type: 'image/svg+xml',
                bytes: 2060,
                originalName: 'nouvelle.svg',
                uploadedAt: new Date().toISOString(),
                uploadedBy: 'adjovi',
                usedBy: [],
              },
            },
          },
    );
    try {
      const el = await library();
      choose(el.shadowRoot!.querySelector<HTMLInputElement>('#files')!, [
        new File(['<svg xmlns="http://www.w3.org/2000/svg"/>'], 'nouvelle.svg', { type: 'image/svg+xml' }),
        new File(['x'], 'grande.mp4', { type: 'video/mp4' }),
      ]);
      await until(() => (el.shadowRoot!.querySelector('progress')?.value ?? 0) > 0, 2000, 'progress');
      await until(
        () => el.shadowRoot!.querySelectorAll('[data-upload=done], [data-upload=error]').length === 2,
        5000,
        'both',
      );
      expect(xhr.sent.map((s) => s.url)).to.deep.equal([
        '/api/editor/media?filename=nouvelle.svg',
        '/api/editor/media?filename=grande.mp4',
      ]);
      expect(text(el.shadowRoot!.querySelector('[data-upload=error]')!)).to.contain(
        '« grande.mp4 » n’a pas été téléversé : « grande.mp4 » dépasse la taille permise.',
      );
      expect(el.shadowRoot!.querySelector('tr[data-name="images/etape-2.svg"]')).to.not.equal(null);
    } finally {
      xhr.restore();
    }
  });

  it('sends an HLS folder as multipart parts named by their path, with the folder’s name', async () => {
    const xhr = fakeXhr(() => ({
      status: 201,
      body: {
        media: {
          name: 'hls/0123abcd/index.m3u8',
          type: 'application/vnd.apple.mpegurl',
          bytes: 5000,
          originalName: 'index.m3u8',
          uploadedAt: new Date().toISOString(),
          uploadedBy: 'adjovi',
          usedBy: [],
        },
      },
    }));
    try {
      const el = await library();
      choose(el.shadowRoot!.querySelector<HTMLInputElement>('#folder')!, [
        new File(['#EXTM3U'], 'index.m3u8'),
        new File(['x'], 'seg000.m4s'),
        new File(['x'], '.DS_Store'),
      ]);
      await until(() => el.shadowRoot!.querySelector('[data-upload=done]') !== null, 3000, 'the upload');
      expect(xhr.sent[0]!.url).to.equal('/api/editor/media/hls');
      const form = xhr.sent[0]!.body as FormData;
      expect(form.get('name')).to.equal('index.m3u8');
      expect((form.getAll('files') as File[]).map((f) => f.name)).to.deep.equal(['index.m3u8', 'seg000.m4s']);
      expect(text(el.shadowRoot!.querySelector('tr[data-name="hls/0123abcd/index.m3u8"]')!)).to.contain(
        'Vidéo HLS',
      );
    } finally {
      xhr.restore();
    }
  });
});
