/**
 * The player's service worker (issue 5 "At boot"): a reload without network or
 * without the server still reaches the player, and media play from the copies
 * the sync engine checked.
 *
 * - App shell: the page and every file of the build (the list is prepended by
 *   the `ccsp-service-worker` plugin in vite.config.ts as `self.__CCSP_BUILD`)
 *   are cached at install. The page is asked from the network first (a new
 *   build is seen at once), with the cached copy when that fails or is slow;
 *   hashed assets come from the cache.
 * - Media: `/media/<sha256>.<ext>` from the cache the BrowserStore fills
 *   (browser-store.ts, MEDIA_CACHE), with byte ranges for video; the network
 *   when it is not there yet.
 * - Everything else (manifests, the trust root, /config.json) goes to the
 *   network untouched: the sync engine keeps its own copies.
 *
 * Built by vite.config.ts as /sw.js, self-contained (no imports): a second
 * bundle must not share chunks with the page. Types are declared here because
 * the project's `lib` is the DOM's, which conflicts with `webworker`.
 */

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}

interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}

interface WorkerScope {
  readonly __CCSP_BUILD?: { id: string; files: string[] };
  readonly registration: { scope: string };
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

const worker = self as unknown as WorkerScope;
const build = worker.__CCSP_BUILD ?? { id: 'dev', files: [] };
const SHELL_CACHE = `ccsp-shell-${build.id}`;
/** Same name as MEDIA_CACHE in browser-store.ts (not imported: this file stays self-contained). */
const MEDIA_CACHE = 'ccsp-media-v1';
const PAGE = '/';
/** How long the page may take from the network before the cached copy is shown. */
const PAGE_TIMEOUT_MS = 3000;
const MEDIA_PATH = /^\/media\/[0-9a-f]{64}\.[a-z0-9]{2,4}$/;

worker.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      await cache.addAll([PAGE, ...build.files.map((f) => `/${f}`)]);
      await worker.skipWaiting();
    })(),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('ccsp-shell-') && name !== SHELL_CACHE) await caches.delete(name);
      }
      // The page that registered this worker is served by it from now on, not only after a reload.
      await worker.clients.claim();
    })(),
  );
});

worker.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== location.origin) return;
  // The editor and the APIs are online-only: never answered from the player's cache.
  if (url.pathname.startsWith('/editor') || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(page(request));
  } else if (MEDIA_PATH.test(url.pathname)) {
    event.respondWith(media(request, url.pathname));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(asset(request));
  }
});

async function page(request: Request): Promise<Response> {
  const cache = await caches.open(SHELL_CACHE);
  const network = fetch(request).then(async (response) => {
    if (response.ok && new URL(request.url).pathname === PAGE) await cache.put(PAGE, response.clone());
    return response;
  });
  const cached = new Promise<Response | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(cache.match(PAGE)), PAGE_TIMEOUT_MS);
    network.then(
      () => clearTimeout(timer),
      () => {
        clearTimeout(timer);
        resolve(cache.match(PAGE));
      },
    );
  });
  const first = await Promise.race([network.catch(() => undefined), cached]);
  return first ?? (await cached) ?? network;
}

async function asset(request: Request): Promise<Response> {
  const cached = await caches.match(request, { cacheName: SHELL_CACHE });
  if (cached) return cached;
  const response = await fetch(request);
  // A chunk loaded later (hls.js) is kept too: assets/ names carry their content hash.
  if (response.ok) await (await caches.open(SHELL_CACHE)).put(request, response.clone());
  return response;
}

async function media(request: Request, path: string): Promise<Response> {
  const cached = await caches.match(path, { cacheName: MEDIA_CACHE });
  if (!cached) return fetch(request);
  const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.get('range') ?? '');
  if (!range) return cached;
  // A video element asks for byte ranges; the cache holds the whole file.
  const blob = await cached.blob();
  const size = blob.size;
  let start = range[1] ? Number(range[1]) : size - Number(range[2]);
  let end = range[1] && range[2] ? Number(range[2]) : size - 1;
  start = Math.max(0, start);
  end = Math.min(end, size - 1);
  if (start > end || start >= size)
    return new Response(null, { status: 416, headers: { 'content-range': `bytes */${size}` } });
  return new Response(blob.slice(start, end + 1), {
    status: 206,
    headers: {
      'content-type': cached.headers.get('content-type') ?? 'application/octet-stream',
      'content-length': String(end - start + 1),
      'content-range': `bytes ${start}-${end}/${size}`,
      'accept-ranges': 'bytes',
    },
  });
}
