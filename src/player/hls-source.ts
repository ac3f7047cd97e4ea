/**
 * HLS through hls.js, loaded with a dynamic import only when an HLS item is due
 * (TOOLCHAIN.md: hls.js is most of a 600 kB bundle).
 *
 * A signed rendition lists every file by its path in the rendition folder and its
 * SHA-256 (manifest `hls.files`); the server has them only as /media/<sha256>.<ext>.
 * hls.js is given a virtual URL (`…/hls/<n>/index.m3u8`) and resolves the
 * playlist's relative URIs against it as usual; a thin loader around hls.js's own
 * maps each virtual URL to the file of that path, and answers with the virtual
 * URL so that nested playlists resolve the same way. A path the manifest does not
 * list is refused: only signed bytes play.
 */
import type Hls from 'hls.js';
import type { HlsConfig, Loader, LoaderCallbacks, LoaderConfiguration, LoaderContext } from 'hls.js';
import type { HlsRendition } from '../core/index.ts';
import type { MediaResolver } from './media-url.ts';

let renditions = 0;

export interface HlsAttachment {
  hls: Hls;
  destroy(): void;
}

type LoaderClass = new (config: HlsConfig) => Loader<LoaderContext>;

function mappedLoader(Base: LoaderClass, map: (url: string) => string | undefined): LoaderClass {
  return class MappedLoader extends (Base as new (config: HlsConfig) => Loader<LoaderContext>) {
    override load(
      context: LoaderContext,
      config: LoaderConfiguration,
      callbacks: LoaderCallbacks<LoaderContext>,
    ): void {
      const virtual = context.url;
      const real = map(virtual);
      if (real === undefined) {
        callbacks.onError(
          { code: 404, text: `${virtual} is not in the signed rendition` },
          context,
          null,
          this.stats,
        );
        return;
      }
      context.url = real;
      const restore = () => (context.url = virtual);
      super.load(context, config, {
        ...callbacks,
        onSuccess: (response, stats, ctx, details) => {
          restore();
          callbacks.onSuccess({ ...response, url: virtual }, stats, ctx, details);
        },
        onError: (error, ctx, details, stats) => {
          restore();
          callbacks.onError(error, ctx, details, stats);
        },
        onTimeout: (stats, ctx, details) => {
          restore();
          callbacks.onTimeout(stats, ctx, details);
        },
      });
    }
  };
}

/** Attaches the rendition to the video element; `onFatal` is called once on a fatal hls.js error. */
export async function attachHls(
  video: HTMLVideoElement,
  rendition: HlsRendition,
  resolve: MediaResolver,
  onFatal: (message: string) => void,
): Promise<HlsAttachment | undefined> {
  const { default: HlsClass } = await import('hls.js');
  if (!HlsClass.isSupported()) return undefined;
  const base = new URL(`/hls/${++renditions}/`, location.href).href;
  const byPath = new Map(rendition.files.map((f) => [f.path, resolve(f)]));
  const map = (url: string) =>
    url.startsWith(base) ? byPath.get(url.slice(base.length).split('?')[0]!) : undefined;
  // Files are on the centre's own box: fail fast rather than retry for minutes; the watchdog skips the item.
  const policy = {
    default: {
      maxTimeToFirstByteMs: 8000,
      maxLoadTimeMs: 20000,
      timeoutRetry: { maxNumRetry: 1, retryDelayMs: 0, maxRetryDelayMs: 0 },
      errorRetry: { maxNumRetry: 1, retryDelayMs: 200, maxRetryDelayMs: 500 },
    },
  };
  const hls = new HlsClass({
    loader: mappedLoader(HlsClass.DefaultConfig.loader as unknown as LoaderClass, map),
    enableWorker: false,
    startPosition: 0,
    capLevelToPlayerSize: true,
    fragLoadPolicy: policy,
    playlistLoadPolicy: policy,
    manifestLoadPolicy: policy,
  } as Partial<HlsConfig>);
  let fatal = false;
  hls.on(HlsClass.Events.ERROR, (_event, data) => {
    if (!data.fatal || fatal) return;
    fatal = true;
    onFatal(`hls.js: ${data.details}`);
  });
  hls.attachMedia(video);
  hls.loadSource(`${base}${rendition.playlist}`);
  return { hls, destroy: () => hls.destroy() };
}
