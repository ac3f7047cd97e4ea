import { expect, fixture, html } from '@open-wc/testing';
import type { ExplainerItem } from '../../src/core/index.ts';
import '../../src/player/ccsp-explainer.ts';
import type { CcspExplainer } from '../../src/player/ccsp-explainer.ts';
import { explainer, resolveMedia } from './helpers.ts';

async function render(item: ExplainerItem): Promise<CcspExplainer> {
  const el = await fixture<CcspExplainer>(
    html`<ccsp-explainer
      style="width: 960px; height: 540px"
      .item=${item}
      .resolveMedia=${resolveMedia}
    ></ccsp-explainer>`,
  );
  await el.prepare();
  return el;
}

const current = (el: CcspExplainer) => el.shadowRoot!.querySelector('.step.current p')!.textContent;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('<ccsp-explainer>', () => {
  it('shows its steps one after another within its duration, beside documents, cost and time', async () => {
    const el = await render(explainer('acte') as ExplainerItem);
    const root = el.shadowRoot!;
    expect(root.querySelector('h1')!.textContent).to.equal('Obtenir un acte de naissance sécurisé');
    expect(root.querySelector('aside')!.textContent).to.contain('Votre NPI');
    expect(root.querySelector('aside')!.textContent).to.contain('Selon le tarif de l’ANIP');
    expect(root.querySelector('aside')!.textContent).to.contain('Quelques jours');
    expect(current(el)).to.contain('Présentez-vous');
    expect(root.querySelector('.counter')!.textContent).to.equal('Étape 1 sur 3');
    el.duration = 300;
    el.start();
    await wait(130);
    await el.updateComplete;
    expect(current(el)).to.contain('remplit la demande');
    await wait(100);
    await el.updateComplete;
    expect(current(el)).to.contain('SMS');
    expect(root.querySelector('.counter')!.textContent).to.equal('Étape 3 sur 3');
  });

  it('is accessible', async () => {
    const el = await render(explainer('acte') as ExplainerItem);
    await expect(el).to.be.accessible();
  });

  it('goes through the steps again in the translation', async () => {
    const el = await render(
      explainer('acte', {
        translations: [
          {
            lang: 'fon',
            title: '[Exemple] Acte de naissance',
            documents: [],
            steps: [{ text: '[Exemple] 1' }, { text: '[Exemple] 2' }, { text: '[Exemple] 3' }],
          },
        ],
      }) as ExplainerItem,
    );
    el.duration = 600;
    el.start();
    await wait(330);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.steps')!.getAttribute('lang')).to.equal('fon');
    expect(current(el)).to.equal('[Exemple] 1');
  });
});
