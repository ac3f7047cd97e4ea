/**
 * Does the screen show what it says it plays? (issue 7, docs/telemetry.md
 * "painting"). A requestAnimationFrame counter says whether the page presents
 * frames at all; at each heartbeat a short probe looks at the item on screen:
 * whether it has a size in the viewport, is not transparent, `display:none` or
 * `visibility:hidden` (itself or an ancestor, across shadow roots), and for a
 * video whether its time advances and it presents frames
 * (requestVideoFrameCallback).
 */
import { judgePainting, type Painting } from '../../core/telemetry/index.ts';

/** How long the probe watches a video, in milliseconds: a few frames at any frame rate a clip has. */
export const PROBE_MS = 400;

/** Whether an element is shown: a size, inside the viewport, not hidden by CSS, itself or an ancestor. */
export function isShown(el: Element, fading = isFading(el)): boolean {
  if (!el.isConnected) return false;
  const r = el.getBoundingClientRect();
  if (r.width <= 0 || r.height <= 0) return false;
  const inViewport = r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight;
  if (!inViewport) return false;
  return el.checkVisibility({ opacityProperty: !fading, visibilityProperty: true });
}

/**
 * A layer fading in starts at opacity 0 (the player's cross-fade): while an
 * animation runs on it, only size, display and visibility count.
 */
export function isFading(el: Element): boolean {
  return el.getAnimations().some((a) => a.playState === 'running');
}

/** The element that carries the picture of an item: its video (or poster still) when it has one. */
function pictureOf(el: HTMLElement): { picture: Element; video: HTMLVideoElement | undefined } {
  const root = el.shadowRoot;
  const video = root?.querySelector('video') ?? undefined;
  if (video) return { picture: video, video };
  return { picture: root?.querySelector('img.still') ?? el, video: undefined };
}

export class PaintingMonitor {
  private frames = 0;
  private raf: number | undefined;
  private onScreen: HTMLElement | undefined;

  /** Counts presented frames until stop(). */
  start(): void {
    if (this.raf !== undefined) return;
    const tick = () => {
      this.frames++;
      this.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
  }

  stop(): void {
    if (this.raf !== undefined) cancelAnimationFrame(this.raf);
    this.raf = undefined;
    this.onScreen = undefined;
  }

  /** The item element on screen, or undefined for a card (welcome, closed). */
  watch(el: HTMLElement | undefined): void {
    this.onScreen = el;
  }

  /** Frames since the last check, and the probe of the item on screen; resets the frame count. */
  async check(probeMs = PROBE_MS): Promise<Painting> {
    const el = this.onScreen;
    const { picture, video } = el ? pictureOf(el) : { picture: undefined, video: undefined };
    let videoAdvancing: boolean | null = null;
    if (video && el) {
      const t0 = video.currentTime;
      let presented = 0;
      let handle: number | undefined;
      const rvfc = 'requestVideoFrameCallback' in video;
      if (rvfc) {
        const count = () => {
          presented++;
          handle = video.requestVideoFrameCallback(count);
        };
        handle = video.requestVideoFrameCallback(count);
      }
      await new Promise((r) => setTimeout(r, probeMs));
      if (rvfc && handle !== undefined) video.cancelVideoFrameCallback(handle);
      if (this.onScreen !== el || !video.isConnected) {
        videoAdvancing = null; // the item changed during the probe: nothing to say about this one
      } else if (video.ended) {
        videoAdvancing = true; // its last frame stays until the item ends
      } else {
        videoAdvancing = !video.paused && video.currentTime > t0 && (!rvfc || presented > 0);
      }
    }
    const visible =
      el && this.onScreen === el && picture ? isShown(el) && isShown(picture, isFading(el)) : null;
    const framesPresented = this.frames;
    this.frames = 0;
    return judgePainting({ framesPresented, visible, videoAdvancing });
  }
}
