import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { correction, generate } from 'lean-qr';

/**
 * A QR code of a link, readable from 2–3 metres: black on white, a quiet zone of
 * four modules (ISO/IEC 18004 §6.3.8), drawn one pixel per module on a canvas
 * and scaled up by CSS without smoothing, so each module stays a sharp square.
 */
@customElement('ccsp-qr-code')
export class CcspQrCode extends LitElement {
  static override styles = css`
    :host {
      display: block;
      aspect-ratio: 1;
      background: #fff;
    }
    canvas {
      display: block;
      width: 100%;
      height: 100%;
      image-rendering: pixelated;
    }
  `;

  @query('canvas') private canvas!: HTMLCanvasElement;

  /** The text to encode (an https:// link). */
  @property() value = '';

  /** Spoken name of the image. */
  @property() label = '';

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('value') || !this.value) return;
    // Medium correction: a little dirt or glare on the screen is tolerated, the code stays coarse.
    generate(this.value, { minCorrectionLevel: correction.M }).toCanvas(this.canvas, {
      on: [0, 0, 0, 255],
      off: [255, 255, 255, 255],
      pad: 4,
    });
  }

  override render() {
    return html`<canvas role="img" aria-label=${this.label || this.value}></canvas>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-qr-code': CcspQrCode;
  }
}
