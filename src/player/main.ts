/// <reference types="vite/client" />
// Entry point of the page (index.html): the information screen, or with
// `?display=sign` the sign's LED page (`&size=128x32`, docs/sign-protocol.md),
// which is loaded only there so that the screen's first item does not wait for it.
import './fonts.css';
import './ccsp-player.ts';

// The service worker (sw.ts, built as /sw.js) keeps the app shell and serves the
// cached media, so that a reload without network still plays (issue 5, docs/offline.md).
// Only in a build: the dev server has no /sw.js, and hot reload wants the network.
// (`import.meta.hot`, not `env.PROD`: a build run under vitest has NODE_ENV=test.)
if (!import.meta.hot && 'serviceWorker' in navigator) {
  navigator.serviceWorker
    .register('/sw.js')
    .catch((e: unknown) => console.warn('ccsp-player: no service worker, no offline reload', e));
}

if (new URLSearchParams(location.search).get('display') === 'sign') {
  await import('./ccsp-sign.ts');
  document.body.append(document.createElement('ccsp-sign'));
} else {
  document.body.append(document.createElement('ccsp-player'));
}
