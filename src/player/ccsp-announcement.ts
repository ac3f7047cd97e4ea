import { css, html, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import type { AnnouncementItem } from '../core/index.ts';
import './ccsp-qr-code.ts';
import { CcspItemBase } from './item-base.ts';
import { itemStyles, screenStyles } from './styles.ts';

/** The host part of a link, as citizens type it: `service-public.bj`. */
export function displayLink(link: string): string {
  try {
    const url = new URL(link);
    return (url.host + url.pathname).replace(/\/$/, '').replace(/^www\./, '');
  } catch {
    return link;
  }
}

/** An announcement: badge, title, body, image beside the text (never under it), QR code of its link. */
@customElement('ccsp-announcement')
export class CcspAnnouncement extends CcspItemBase<AnnouncementItem> {
  static override styles = [
    screenStyles,
    itemStyles,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1.25fr) minmax(0, 1fr);
        gap: var(--ccsp-gap);
        padding: var(--ccsp-gap) 4vmin;
        align-items: center;
      }
      :host(.text-only) {
        grid-template-columns: minmax(0, 1fr);
      }
      .text {
        display: flex;
        flex-direction: column;
        gap: 2.5vmin;
        min-height: 0;
        max-height: 100%;
      }
      h1 {
        --lines: 3;
      }
      p {
        --lines: 7;
      }
      aside {
        display: flex;
        flex-direction: column;
        align-items: center;
        justify-content: center;
        gap: 2.5vmin;
        height: 100%;
        min-height: 0;
      }
      img {
        flex: 1 1 auto;
        min-height: 0;
        max-width: 100%;
        object-fit: contain;
        border-radius: 1.5vmin;
      }
      figure {
        display: flex;
        flex-direction: column;
        align-items: center;
        gap: 1.5vmin;
        flex: none;
        max-width: 100%;
      }
      ccsp-qr-code {
        width: 34vmin;
        border-radius: 1vmin;
      }
      figcaption {
        max-width: 100%;
        text-align: center;
        color: var(--ccsp-accent);
        font-weight: 700;
        overflow-wrap: anywhere;
      }
      @media (orientation: portrait) {
        :host {
          grid-template-columns: minmax(0, 1fr);
          grid-template-rows: auto minmax(0, 1fr);
          align-items: start;
        }
        h1 {
          --lines: 4;
        }
        p {
          --lines: 9;
        }
      }
    `,
  ];

  private get text(): { lang: string; title: string; body: string } {
    const t = this.item.translations?.[this.pass - 1];
    return t ?? this.item;
  }

  protected override async prepareMedia(): Promise<void> {
    await this.decodeImages();
  }

  override render() {
    const item = this.item;
    const text = this.text;
    const hasAside = Boolean(item.image || item.link);
    this.classList.toggle('text-only', !hasAside);
    return html`
      <div class="text" lang=${text.lang}>
        ${item.badge ? html`<span class="badge" lang=${item.lang}>${item.badge}</span>` : nothing}
        <h1 class="clamp">${text.title}</h1>
        <p class="clamp">${text.body}</p>
      </div>
      ${
        hasAside
          ? html`<aside>
              ${item.image ? html`<img src=${this.resolveMedia(item.image)} alt="" />` : nothing}
              ${
                item.link
                  ? html`<figure>
                      <ccsp-qr-code
                        .value=${item.link}
                        label=${`Code QR du lien ${displayLink(item.link)}`}
                      ></ccsp-qr-code>
                      <figcaption lang="fr">${displayLink(item.link)}</figcaption>
                    </figure>`
                  : nothing
              }
            </aside>`
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-announcement': CcspAnnouncement;
  }
}
