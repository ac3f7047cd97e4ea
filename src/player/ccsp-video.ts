import { css, html, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { VideoItem } from '../core/index.ts';
import { ItemError } from './events.ts';
import { attachHls, type HlsAttachment } from './hls-source.ts';
import { CcspItemBase } from './item-base.ts';
import { itemStyles, screenStyles } from './styles.ts';

/**
 * A short video, muted (the room cannot hear it) with its captions always shown.
 * MP4/WebM play natively; a rendition with only HLS plays through hls.js. The
 * native file is preferred when there is one: fewer moving parts, and it starts
 * from one request to the centre's box.
 *
 * Watchdog: prepare() rejects when the first frame is not decoded within
 * `watchdogMs`; once started, an error, a start that does not come or a stall
 * longer than `watchdogMs` is reported (`ccsp-item-error`) and the player moves on.
 *
 * `still` (the player sets it on eco and critical power, issue 7): a video that has
 * a poster shows that image for the item's duration instead, and nothing is decoded.
 */
@customElement('ccsp-video')
export class CcspVideo extends CcspItemBase<VideoItem> {
  static override styles = [
    screenStyles,
    itemStyles,
    css`
      :host {
        display: grid;
        grid-template-rows: auto minmax(0, 1fr);
        gap: 1.5vmin;
        padding: 2vmin 4vmin 0;
      }
      h1 {
        --lines: 1;
        font-size: var(--ccsp-body);
        color: var(--ccsp-accent);
      }
      /* The box has the frame's shape, so the captions sit on the picture, not below it. */
      video {
        display: block;
        align-self: center;
        justify-self: center;
        width: 100%;
        height: auto;
        max-height: 100%;
        min-height: 0;
        object-fit: contain;
        background: var(--ccsp-bg);
      }
      img.still {
        display: block;
        align-self: center;
        justify-self: center;
        max-width: 100%;
        max-height: 100%;
        min-height: 0;
        object-fit: contain;
      }
      /* Captions read from across the room: large, white on a near-opaque backing. */
      video::cue {
        font-family: 'Noto Sans', 'DejaVu Sans', sans-serif;
        font-size: 5.2vmin;
        line-height: 1.25;
        color: #fff;
        background: rgba(0, 0, 0, 0.85);
      }
    `,
  ];

  @query('video') private video!: HTMLVideoElement;

  private hls: HlsAttachment | undefined;

  /** Show the poster instead of the video, when the item has one (saving power). */
  @property({ type: Boolean, reflect: true }) still = false;

  private get showsStill(): boolean {
    return this.still && this.item.poster !== undefined;
  }

  private get heading(): { lang: string; title: string } {
    return this.item.translations?.[this.pass - 1] ?? this.item;
  }

  protected override async prepareMedia(): Promise<void> {
    if (this.showsStill) return this.decodeImages();
    const video = this.video;
    const signal = this.life.signal;
    video.muted = true;
    const loaded = new Promise<void>((resolve, reject) => {
      if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) resolve();
      video.addEventListener('loadeddata', () => resolve(), { signal, once: true });
      video.addEventListener(
        'error',
        () =>
          reject(
            new ItemError(
              'video-error',
              `video error ${video.error?.code ?? ''}: ${video.error?.message ?? ''}`,
            ),
          ),
        { signal, once: true },
      );
    });
    loaded.catch(() => undefined); // awaited below; this marks a late rejection as handled
    const item = this.item;
    if (item.file) {
      video.src = this.resolveMedia(item.file);
    } else if (item.hls) {
      let hlsFailed: ((e: Error) => void) | undefined;
      const failure = new Promise<never>((_, reject) => (hlsFailed = reject));
      failure.catch(() => undefined);
      this.hls = await attachHls(video, item.hls, this.resolveMedia, (message) => {
        // Before the start this rejects prepare(); once playing it skips the item.
        hlsFailed?.(new ItemError('hls-error', message));
        this.fail('hls-error', message);
      });
      if (signal.aborted) return this.releaseMedia();
      if (!this.hls)
        throw new ItemError('hls-error', 'this browser cannot play HLS through Media Source Extensions');
      await Promise.race([loaded, failure]);
    } else {
      throw new ItemError('media-missing', 'the item has neither a file nor an HLS rendition');
    }
    await loaded;
    this.showCaptions();
    await this.firstFrame();
  }

  /** The item's language is shown ('showing'), the others disabled; the first track when none matches. */
  private showCaptions(): void {
    const tracks = [...this.video.textTracks];
    const main = tracks.find((t) => t.language === this.item.lang) ?? tracks[0];
    for (const t of tracks) t.mode = t === main ? 'showing' : 'disabled';
  }

  /** Waits for the first frame to be presented (it is, underneath the item on screen), at most a short while. */
  private firstFrame(): Promise<void> {
    const video = this.video;
    if (!('requestVideoFrameCallback' in video)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const handle = video.requestVideoFrameCallback(() => resolve());
      this.later(() => {
        video.cancelVideoFrameCallback(handle);
        resolve();
      }, 250);
    });
  }

  override start(): void {
    super.start();
    if (this.showsStill) return;
    const video = this.video;
    const signal = this.life.signal;
    let lastTime = video.currentTime;
    let started = false;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        if (signal.aborted || video.ended) return;
        if (started) this.fail('video-stalled', `video stalled at ${video.currentTime.toFixed(2)} s`);
        else this.fail('video-start-timeout', `video did not start within ${this.watchdogMs} ms`);
      }, this.watchdogMs);
    };
    signal.addEventListener('abort', () => clearTimeout(watchdog), { once: true });
    video.addEventListener(
      'timeupdate',
      () => {
        if (video.currentTime === lastTime) return;
        lastTime = video.currentTime;
        started = true;
        arm();
      },
      { signal },
    );
    video.addEventListener('ended', () => clearTimeout(watchdog), { signal });
    video.addEventListener(
      'error',
      () => this.fail('video-error', `video error ${video.error?.code ?? ''}: ${video.error?.message ?? ''}`),
      { signal },
    );
    arm();
    video.play().catch((e: unknown) => {
      if (!signal.aborted) this.fail('video-error', `play() refused: ${(e as Error).message}`);
    });
  }

  protected override release(): void {
    super.release();
    this.releaseMedia();
  }

  /** Frees the decoder and the network: hls.js destroyed, `src` removed and the element reset. */
  private releaseMedia(): void {
    this.hls?.destroy();
    this.hls = undefined;
    const video = this.video;
    if (!video) return;
    video.pause();
    video.removeAttribute('src');
    for (const track of video.querySelectorAll('track')) track.remove();
    video.load();
  }

  override render() {
    const item = this.item;
    const title = this.heading;
    if (this.showsStill && item.poster)
      return html`
        <h1 class="clamp" lang=${title.lang}>${title.title}</h1>
        <img class="still" src=${this.resolveMedia(item.poster)} alt=${title.title} />
      `;
    return html`
      <h1 class="clamp" lang=${title.lang}>${title.title}</h1>
      <video
        muted
        playsinline
        preload="auto"
        disablepictureinpicture
        disableremoteplayback
        aria-label=${title.title}
        poster=${item.poster ? this.resolveMedia(item.poster) : nothing}
      >
        ${item.captions.map(
          (c) =>
            html`<track
              kind="captions"
              srclang=${c.lang}
              label=${c.label ?? c.lang}
              src=${this.resolveMedia(c.file)}
            />`,
        )}
      </video>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ccsp-video': CcspVideo;
  }
}
