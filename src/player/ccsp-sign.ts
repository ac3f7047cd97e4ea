import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Manifest } from '../core/manifest-schema.ts';
import { TrustedClock } from '../core/schedule/trusted-clock.ts';
import { signStatus, type PowerState, type SignContent } from '../core/sign/status.ts';
import { loadChannel, readConfig } from './load-channel.ts';

/** Panel sizes that LED controllers driven by a small computer commonly have. */
export const SIGN_SIZES = ['64x16', '96x16', '128x32', '192x64', '256x64'] as const;
const DEFAULT_SIZE = '128x32';

/**
 * The sign's LED page (`/?display=sign&size=128x32`): the same status as the
 * firmware's endpoint, from the same core function and the same manifest,
 * drawn at the panel's own resolution with a bitmap-like bold font, then scaled
 * up with square pixels. Text that does not fit scrolls; urgent notices blink.
 */
@customElement('ccsp-sign')
export class CcspSign extends LitElement {
  static override styles = css`
    :host {
      display: grid;
      place-items: center;
      width: 100vw;
      height: 100vh;
      background: #000;
    }
    canvas {
      width: 100vw;
      max-height: 100vh;
      object-fit: contain;
      image-rendering: pixelated;
    }
  `;

  private frame = 0;
  private statusTimer: ReturnType<typeof setInterval> | undefined;
  private scrollStart = 0;
  private readonly trusted = new TrustedClock();

  @query('canvas') private canvas!: HTMLCanvasElement;

  @state() private status: SignContent | undefined;

  /** The verified manifest; loaded from the origin when not set by the host page. */
  @property({ attribute: false }) manifest: Manifest | undefined;

  /** The panel's resolution, columns × rows. */
  @property() size: string = DEFAULT_SIZE;

  /** The centre's power state, which dims the panel (from /config.json when loaded from the origin). */
  @property() power: PowerState = 'ok';

  /** The time to show, in ms; tests fix it. */
  @property({ attribute: false }) now: () => number = () => this.trusted.now().now;

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.manifest) void this.load();
    this.statusTimer = setInterval(() => this.refresh(), 1000);
    this.frame = requestAnimationFrame(this.draw);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.statusTimer);
    cancelAnimationFrame(this.frame);
  }

  private async load(): Promise<void> {
    const params = new URLSearchParams(location.search);
    this.size = params.get('size') ?? this.size;
    const config = await readConfig(location.search).catch(() => undefined);
    if (!config) return;
    const power = await fetch('/config.json')
      .then((r) => r.json() as Promise<{ power?: PowerState }>)
      .then(
        (c) => c.power,
        () => undefined,
      );
    if (power === 'ok' || power === 'eco' || power === 'crit') this.power = power;
    const result = await loadChannel(config);
    if (result.ok) {
      this.trusted.observeSigned(Date.parse(result.manifest.issued));
      this.manifest = result.manifest;
    }
  }

  private get dimensions(): [number, number] {
    const m = /^(\d{2,4})x(\d{1,3})$/.exec(this.size);
    const [w, h] = m ? [Number(m[1]), Number(m[2])] : [128, 32];
    return [Math.min(Math.max(w, 32), 1024), Math.min(Math.max(h, 8), 256)];
  }

  private refresh(): void {
    if (!this.manifest) return;
    const next = signStatus(this.manifest, this.now(), this.power);
    if (next.txt !== this.status?.txt) this.scrollStart = performance.now();
    this.status = next;
    this.dataset.mode = next.mode;
    this.dataset.text = next.txt;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('manifest') || changed.has('power')) this.refresh();
  }

  private draw = (time: number) => {
    this.frame = requestAnimationFrame(this.draw);
    const canvas = this.canvas;
    const s = this.status;
    if (!canvas || !s) return;
    const [w, h] = this.dimensions;
    if (canvas.width !== w || canvas.height !== h) [canvas.width, canvas.height] = [w, h];
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, w, h);
    const blinkOff = s.fx === 'blink' && Math.floor(time / 500) % 2 === 1;
    if (!s.on || blinkOff) return;

    // Two rows where the panel is tall enough: the state, then the message.
    const twoRows = h >= 32;
    const label = s.mode === 'open' ? s.fbo : s.mode === 'closed' ? s.fbc : 'INFO';
    const rowH = twoRows ? Math.floor(h / 2) : h;
    ctx.fillStyle = `#${s.col}`;
    ctx.textBaseline = 'middle';
    const font = (px: number) => `bold ${px}px "DejaVu Sans Mono", "Noto Sans Mono", monospace`;
    if (twoRows) {
      ctx.font = font(Math.floor(rowH * 0.85));
      ctx.textAlign = 'center';
      ctx.fillText(label, w / 2, rowH / 2 + 1);
    }
    ctx.font = font(Math.floor(rowH * 0.8));
    ctx.textAlign = 'left';
    const textWidth = ctx.measureText(s.txt).width;
    const y = (twoRows ? rowH : 0) + rowH / 2 + 1;
    let x = Math.max(0, Math.floor((w - textWidth) / 2));
    if (textWidth > w) {
      // Scroll from the right edge at spd columns per second, then start over.
      const travelled = ((time - this.scrollStart) / 1000) * Math.max(s.spd, 10);
      x = Math.round(w - (travelled % (textWidth + w)));
    }
    this.dataset.offset = String(x);
    ctx.fillText(s.txt, x, y);

    // Bitmap look: every pixel fully on or off, at the panel's brightness.
    const image = ctx.getImageData(0, 0, w, h);
    const px = image.data;
    const level = s.bri / 255;
    const colour = [0, 2, 4].map((i) => parseInt(s.col.slice(i, i + 2), 16));
    const peak = Math.max(...colour, 1);
    const lit = colour.map((c) => Math.round(c * level));
    for (let i = 0; i < px.length; i += 4) {
      // Anti-aliased edges become whole pixels: lit where the glyph covers at least half.
      const on = Math.max(px[i]!, px[i + 1]!, px[i + 2]!) / peak >= 0.5;
      px[i] = on ? lit[0]! : 0;
      px[i + 1] = on ? lit[1]! : 0;
      px[i + 2] = on ? lit[2]! : 0;
      px[i + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  };

  override render() {
    const [w, h] = this.dimensions;
    const label = this.status ? `${this.status.txt_u}` : 'Centre Communal de Service Public';
    return html`<canvas width=${w} height=${h} role="img" aria-label=${label}></canvas>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-sign': CcspSign;
  }
}
