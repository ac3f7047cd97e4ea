/// <reference types="vite/client" />
// Entry point of the page (index.html): the information screen, or with
// `?display=sign` the sign's LED page (`&size=128x32`, docs/sign-protocol.md),
// which is loaded only there so that the screen's first item does not wait for it.
import './fonts.css';
import './ccsp-player.ts';

if (new URLSearchParams(location.search).get('display') === 'sign') {
  await import('./ccsp-sign.ts');
  document.body.append(document.createElement('ccsp-sign'));
} else {
  document.body.append(document.createElement('ccsp-player'));
}
