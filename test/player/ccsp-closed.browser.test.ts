import { expect, fixture, html } from '@open-wc/testing';
import type { Manifest } from '../../src/core/index.ts';
import '../../src/player/ccsp-closed.ts';
import type { CcspClosed } from '../../src/player/ccsp-closed.ts';
import { manifestWith } from './helpers.ts';

/** Local time in Porto-Novo (UTC+1). */
const at = (local: string) => Date.parse(`${local}:00+01:00`);

async function render(manifest: Manifest, now: number): Promise<CcspClosed> {
  const el = await fixture<CcspClosed>(
    html`<ccsp-closed
      style="width: 960px; height: 540px"
      .manifest=${manifest}
      .now=${() => now}
    ></ccsp-closed>`,
  );
  await el.updateComplete;
  return el;
}

const text = (el: CcspClosed) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ').trim();

describe('<ccsp-closed>', () => {
  // The test manifest opens Monday to Friday, 8:00–17:30.
  it('says « Fermé » and when the centre reopens, in Porto-Novo time', async () => {
    const el = await render(manifestWith([]), at('2026-12-05T10:00')); // a Saturday
    expect(el.shadowRoot!.querySelector('h1')!.textContent).to.equal('Fermé');
    expect(text(el)).to.contain('CCSP de Lokossa');
    expect(el.shadowRoot!.querySelector('.reopening')!.textContent).to.equal('Réouverture lundi à 8 h 00');
    el.now = () => at('2026-12-07T06:30');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.reopening')!.textContent).to.equal(
      'Réouverture aujourd’hui à 8 h 00',
    );
  });

  it('names a closure and skips it', async () => {
    const m = manifestWith([], { closures: [{ from: '2026-12-07', reason: 'Inventaire' }] });
    const el = await render(m, at('2026-12-07T10:00'));
    expect(el.shadowRoot!.querySelector('.reason')!.textContent).to.equal('Inventaire');
    expect(el.shadowRoot!.querySelector('.reopening')!.textContent).to.equal('Réouverture demain à 8 h 00');
  });

  it('is dark: black background and grey text', async () => {
    const el = await render(manifestWith([]), at('2026-12-05T10:00'));
    const style = getComputedStyle(el);
    expect(style.backgroundColor).to.equal('rgb(0, 0, 0)');
    const [r, g, b] = style.color.match(/\d+/g)!.map(Number) as [number, number, number];
    expect(Math.max(r, g, b)).to.be.below(200);
  });

  it('is accessible', async () => {
    const el = await render(manifestWith([]), at('2026-12-05T10:00'));
    await expect(el).to.be.accessible();
  });
});
