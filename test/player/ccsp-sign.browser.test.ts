import { expect, fixture, html } from '@open-wc/testing';
import { validateManifest, type Manifest } from '../../src/core/index.ts';
import '../../src/player/ccsp-sign.ts';
import type { CcspSign } from '../../src/player/ccsp-sign.ts';
import { sampleManifest } from '../fixtures.ts';

const at = (local: string) => Date.parse(`${local}:00+01:00`);
function manifest(): Manifest {
  const r = validateManifest(
    sampleManifest({
      sign: { open: 'OUVERT — Bienvenue au CCSP de Lokossa', closed: 'FERMÉ — réouverture {reouverture}' },
    }),
  );
  if (!r.ok) throw new Error('invalid fixture');
  return r.value;
}
const nextFrame = () => new Promise((r) => requestAnimationFrame(r));
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Colours lit on the panel, as "r,g,b" strings. */
function litColours(el: CcspSign): Set<string> {
  const canvas = el.shadowRoot!.querySelector('canvas')!;
  const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
  const out = new Set<string>();
  for (let i = 0; i < data.length; i += 4)
    if (data[i]! || data[i + 1]! || data[i + 2]!) out.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
  return out;
}

describe('<ccsp-sign>', () => {
  for (const size of ['128x32', '256x64']) {
    it(`draws the open state at ${size}, in whole pixels of the open colour, and scrolls the text`, async () => {
      const el = await fixture<CcspSign>(
        html`<ccsp-sign
          size=${size}
          .manifest=${manifest()}
          .now=${() => at('2026-12-01T10:00')}
        ></ccsp-sign>`,
      );
      await nextFrame();
      await nextFrame();
      const canvas = el.shadowRoot!.querySelector('canvas')!;
      expect(`${canvas.width}x${canvas.height}`).to.equal(size);
      expect(el.dataset.mode).to.equal('open');
      expect(el.dataset.text).to.equal('OUVERT - Bienvenue au CCSP de Lokossa');
      // Bitmap look: only one lit colour, the open green (00C853) at full brightness.
      expect([...litColours(el)]).to.deep.equal(['0,200,83']);
      const first = Number(el.dataset.offset);
      await wait(400);
      await nextFrame();
      expect(Number(el.dataset.offset)).to.be.below(first);
    });
  }

  it('shows the closed state with the reopening time, dimmed at night', async () => {
    const el = await fixture<CcspSign>(
      html`<ccsp-sign
        size="128x32"
        .manifest=${manifest()}
        .now=${() => at('2026-12-01T19:00')}
      ></ccsp-sign>`,
    );
    await nextFrame();
    await nextFrame();
    expect(el.dataset.mode).to.equal('closed');
    expect(el.dataset.text).to.equal('FERME - reouverture demain 8 h');
    // Red D50000 at brightness 96/255.
    expect([...litColours(el)]).to.deep.equal([`${Math.round(0xd5 * (96 / 255))},0,0`]);
  });

  it('goes dark on critical power at night', async () => {
    const el = await fixture<CcspSign>(
      html`<ccsp-sign
        size="64x16"
        power="crit"
        .manifest=${manifest()}
        .now=${() => at('2026-12-01T22:00')}
      ></ccsp-sign>`,
    );
    await nextFrame();
    await nextFrame();
    expect(el.dataset.mode).to.equal('off');
    expect(litColours(el).size).to.equal(0);
  });

  it('is accessible: the canvas says what the sign shows', async () => {
    const el = await fixture<CcspSign>(
      html`<ccsp-sign .manifest=${manifest()} .now=${() => at('2026-12-01T10:00')}></ccsp-sign>`,
    );
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});
