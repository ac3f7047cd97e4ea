import { expect, fixture, html } from '@open-wc/testing';
import { validateManifest, type Manifest } from '../../src/core/index.ts';
import '../../src/player/ccsp-player.ts';
import type { CcspPlayer } from '../../src/player/ccsp-player.ts';
import { sampleManifest } from '../fixtures.ts';

function manifest(): Manifest {
  // No image: the test page has no media server behind it.
  const [first, ...rest] = sampleManifest().items;
  const { image: _image, ...announcement } = first as Extract<typeof first, { kind: 'announcement' }>;
  const result = validateManifest(sampleManifest({ items: [announcement, ...rest] }));
  if (!result.ok) throw new Error('fixture manifest is invalid');
  return result.value;
}

describe('<ccsp-player>', () => {
  it('shows the first item of a verified manifest and reflects its state', async () => {
    const m = manifest();
    const el = await fixture<CcspPlayer>(html`<ccsp-player no-fetch .manifest=${m}></ccsp-player>`);
    expect(el.dataset.state).to.equal('playing');
    expect(el.dataset.item).to.equal('bienvenue');
    expect(el.dataset.manifestVersion).to.equal('3');
    expect(el.shadowRoot!.querySelector('h1')!.textContent).to.equal('Bienvenue au CCSP');
    expect(el.shadowRoot!.querySelector('header')!.textContent).to.contain('CCSP de Lokossa');
  });

  it('shows a welcome card, not an empty page, when there is nothing to play', async () => {
    const m = { ...manifest(), items: [] };
    const el = await fixture<CcspPlayer>(html`<ccsp-player no-fetch .manifest=${m}></ccsp-player>`);
    expect(el.dataset.state).to.equal('no-content');
    expect(el.shadowRoot!.querySelector('h1')!.textContent).to.equal('Bienvenue');
  });

  it('writes body text of at least 48 px on a 1080-pixel-high screen', async () => {
    const el = await fixture<CcspPlayer>(html`<ccsp-player no-fetch .manifest=${manifest()}></ccsp-player>`);
    const p = el.shadowRoot!.querySelector('p')!;
    const px = parseFloat(getComputedStyle(p).fontSize);
    // 4.44vh of the test window's height, scaled to 1080 p.
    expect((px / window.innerHeight) * 1080).to.be.at.least(47.9);
  });
});
