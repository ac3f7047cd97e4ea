import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { ExplainerItem } from '../core/index.ts';
import { CcspItemBase } from './item-base.ts';
import { itemStyles, screenStyles } from './styles.ts';

/**
 * A step-by-step explainer: the steps one after another within the item's
 * duration, beside what to bring, the cost and the processing time. With
 * translations, each language pass shows all the steps again in its language.
 */
@customElement('ccsp-explainer')
export class CcspExplainer extends CcspItemBase<ExplainerItem> {
  static override styles = [
    screenStyles,
    itemStyles,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
        grid-template-rows: auto minmax(0, 1fr);
        gap: 2.5vmin var(--ccsp-gap);
        padding: var(--ccsp-gap) 4vmin;
      }
      header {
        grid-column: 1 / -1;
        display: flex;
        justify-content: space-between;
        align-items: baseline;
        gap: 3vmin;
      }
      h1 {
        --lines: 2;
      }
      .counter {
        flex: none;
        color: var(--ccsp-accent);
        font-weight: 700;
      }
      .steps {
        position: relative;
        min-height: 0;
      }
      .step {
        position: absolute;
        inset: 0;
        display: grid;
        grid-template-columns: auto minmax(0, 1fr);
        grid-template-rows: auto minmax(0, 1fr);
        gap: 2vmin 3vmin;
        opacity: 0;
        transition: opacity 0.4s;
      }
      .step.current {
        opacity: 1;
      }
      .number {
        display: grid;
        place-items: center;
        width: 1.8em;
        height: 1.8em;
        border-radius: 50%;
        background: var(--ccsp-accent);
        color: var(--ccsp-bg);
        font-weight: 700;
      }
      .step p {
        --lines: 4;
        align-self: center;
      }
      .step img {
        grid-column: 1 / -1;
        min-height: 0;
        max-width: 100%;
        max-height: 100%;
        object-fit: contain;
        justify-self: start;
        border-radius: 1.5vmin;
      }
      aside {
        display: flex;
        flex-direction: column;
        gap: 1.5vmin;
        min-height: 0;
        overflow: hidden;
        border-left: 0.6vmin solid var(--ccsp-line);
        padding-left: 3vmin;
      }
      h2 {
        font-size: 1em;
        color: var(--ccsp-accent);
      }
      ul {
        padding-left: 1.1em;
        flex: none;
      }
      li {
        --lines: 4;
      }
      .fact {
        --lines: 2;
        flex: none;
      }
      .fact strong {
        color: var(--ccsp-accent);
      }
      @media (orientation: portrait) {
        :host {
          grid-template-columns: minmax(0, 1fr);
          grid-template-rows: auto minmax(0, 1fr) auto;
        }
        aside {
          border-left: none;
          border-top: 0.6vmin solid var(--ccsp-line);
          padding: 2vmin 0 0;
        }
      }
    `,
  ];

  /** Index of the step shown. */
  @state() private step = 0;

  private get text() {
    const t = this.item.translations?.[this.pass - 1];
    return t ?? this.item;
  }

  protected override async prepareMedia(): Promise<void> {
    await this.decodeImages();
  }

  override start(): void {
    super.start();
    const n = this.item.steps.length;
    const passes = this.passes;
    if (this.duration <= 0) return;
    const perStep = this.duration / passes / n;
    for (let p = 0; p < passes; p++) {
      for (let s = 0; s < n; s++) {
        if (p === 0 && s === 0) continue;
        this.later(() => (this.step = s), perStep * (p * n + s));
      }
    }
  }

  override render() {
    const item = this.item;
    const text = this.text;
    const n = item.steps.length;
    const step = Math.min(this.step, n - 1);
    return html`
      <header lang=${text.lang}>
        <h1 class="clamp">${text.title}</h1>
        <span class="counter" lang="fr">Étape ${step + 1} sur ${n}</span>
      </header>
      <ol class="steps" lang=${text.lang}>
        ${item.steps.map(
          (s, i) =>
            html`<li class="step ${i === step ? 'current' : ''}" aria-hidden=${i === step ? 'false' : 'true'}>
              <span class="number">${i + 1}</span>
              <p class="clamp">${text.steps[i]?.text ?? s.text}</p>
              ${s.image ? html`<img src=${this.resolveMedia(s.image)} alt="" />` : nothing}
            </li>`,
        )}
      </ol>
      <aside lang=${text.lang}>
        ${
          text.documents.length > 0
            ? html`<h2 lang="fr">À apporter</h2>
                <ul>
                  ${text.documents.map((d) => html`<li class="clamp">${d}</li>`)}
                </ul>`
            : nothing
        }
        ${
          text.cost ? html`<p class="fact clamp"><strong lang="fr">Coût :</strong> ${text.cost}</p>` : nothing
        }
        ${
          text.processingTime
            ? html`<p class="fact clamp"><strong lang="fr">Délai :</strong> ${text.processingTime}</p>`
            : nothing
        }
      </aside>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-explainer': CcspExplainer;
  }
}
