/**
 * Test manifests for the player, with media served by the test server from
 * /assets (web-test-runner serves the repository root). Media references use
 * made-up hashes; `resolveMedia` maps each to its sample file.
 */
import { validateManifest, type Item, type Manifest, type ManifestInput } from '../../src/core/index.ts';
import type { MediaResolver } from '../../src/player/media-url.ts';
import { sampleManifest } from '../fixtures.ts';

const h = (c: string) => c.repeat(64);

export const MEDIA = {
  welcome: { sha256: h('1'), bytes: 5798, type: 'image/svg+xml' },
  portal: { sha256: h('2'), bytes: 3837, type: 'image/svg+xml' },
  step1: { sha256: h('3'), bytes: 1869, type: 'image/svg+xml' },
  step2: { sha256: h('4'), bytes: 2060, type: 'image/svg+xml' },
  step3: { sha256: h('5'), bytes: 1680, type: 'image/svg+xml' },
  mp4: { sha256: h('6'), bytes: 157495, type: 'video/mp4' },
  webm: { sha256: h('7'), bytes: 133752, type: 'video/webm' },
  poster: { sha256: h('8'), bytes: 9204, type: 'image/webp' },
  vttFr: { sha256: h('9'), bytes: 491, type: 'text/vtt' },
  vttFon: { sha256: h('a'), bytes: 482, type: 'text/vtt' },
  /** Not on the server: 404. */
  missing: { sha256: h('b'), bytes: 100, type: 'image/svg+xml' },
  /** Served, but not a video. */
  brokenVideo: { sha256: h('c'), bytes: 5798, type: 'video/mp4' },
} as const;

const PATHS: Record<string, string> = {
  [MEDIA.welcome.sha256]: '/assets/images/ccsp-accueil.svg',
  [MEDIA.portal.sha256]: '/assets/images/service-public-bj.svg',
  [MEDIA.step1.sha256]: '/assets/images/etape-1.svg',
  [MEDIA.step2.sha256]: '/assets/images/etape-2.svg',
  [MEDIA.step3.sha256]: '/assets/images/etape-3.svg',
  [MEDIA.mp4.sha256]: '/assets/video/casier-judiciaire.mp4',
  [MEDIA.webm.sha256]: '/assets/video/casier-judiciaire.webm',
  [MEDIA.poster.sha256]: '/assets/video/casier-judiciaire-poster.webp',
  [MEDIA.vttFr.sha256]: '/assets/video/casier-judiciaire.fr.vtt',
  [MEDIA.vttFon.sha256]: '/assets/video/casier-judiciaire.fon.vtt',
  [MEDIA.brokenVideo.sha256]: '/assets/images/ccsp-accueil.svg',
};

const HLS_DIR = '/assets/hls/casier-judiciaire/';
export const HLS_FILES = [
  'index.m3u8',
  'init.mp4',
  'seg000.m4s',
  'seg001.m4s',
  'seg002.m4s',
  'seg003.m4s',
].map((path, i) => ({
  path,
  sha256: (0xd0 + i).toString(16).repeat(32),
  bytes: 1000,
  type: (path.endsWith('.m3u8')
    ? 'application/vnd.apple.mpegurl'
    : path.endsWith('.m4s')
      ? 'video/iso.segment'
      : 'video/mp4') as 'video/mp4',
}));
for (const f of HLS_FILES) PATHS[f.sha256] = HLS_DIR + f.path;

/**
 * Where a missing file is: a port nothing listens on. (A 404 from the test server
 * would do as well for the player, but web-test-runner prints every 404, and a
 * green run prints nothing.)
 */
export const NOWHERE = 'http://127.0.0.1:9/missing/';

/** Sample files by hash; anything else cannot be fetched. */
export const resolveMedia: MediaResolver = (f) => PATHS[f.sha256] ?? `${NOWHERE}${f.sha256}`;

/** Like resolveMedia, but the HLS segments cannot be fetched. */
export const resolveWithoutSegments: MediaResolver = (f) =>
  HLS_FILES.some((s) => s.sha256 === f.sha256 && s.path.endsWith('.m4s'))
    ? `${NOWHERE}${f.sha256}.m4s`
    : resolveMedia(f);

export function announcement(id: string, extra: Partial<Extract<Item, { kind: 'announcement' }>> = {}): Item {
  return {
    id,
    kind: 'announcement',
    lang: 'fr',
    priority: 'normal',
    title: `Annonce ${id}`,
    body: 'Le point focal du CCSP vous aide à faire vos démarches en ligne.',
    duration: 10,
    // Announcements must end (schedule issue); far enough for any test run.
    schedule: { until: '2099-12-31', when: 'always' },
    ...extra,
  };
}

export function explainer(id: string, extra: Partial<Extract<Item, { kind: 'explainer' }>> = {}): Item {
  return {
    id,
    kind: 'explainer',
    lang: 'fr',
    priority: 'normal',
    title: 'Obtenir un acte de naissance sécurisé',
    duration: 30,
    steps: [
      { text: 'Présentez-vous au point focal avec votre NPI.', image: MEDIA.step1 },
      { text: 'Le point focal remplit la demande avec vous.', image: MEDIA.step2 },
      { text: 'Vous recevez un SMS quand l’acte est prêt.', image: MEDIA.step3 },
    ],
    documents: ['Votre NPI', 'Un téléphone'],
    cost: 'Selon le tarif de l’ANIP',
    processingTime: 'Quelques jours',
    ...extra,
  };
}

export function video(id: string, extra: Partial<Extract<Item, { kind: 'video' }>> = {}): Item {
  return {
    id,
    kind: 'video',
    lang: 'fr',
    priority: 'normal',
    title: 'Le casier judiciaire en ligne',
    duration: 8,
    file: MEDIA.mp4,
    poster: MEDIA.poster,
    captions: [
      { lang: 'fr', label: 'Français', file: MEDIA.vttFr },
      { lang: 'fon', label: 'Fɔngbè', file: MEDIA.vttFon },
    ],
    ...extra,
  };
}

export function manifestWith(items: Item[], overrides: Partial<ManifestInput> = {}): Manifest {
  const result = validateManifest(
    sampleManifest({
      items: items as ManifestInput['items'],
      ticker: [
        { text: 'Casier judiciaire en ligne : 1 900 FCFA.', lang: 'fr' },
        { text: '[Exemple] Mi kwabɔ!', lang: 'fon' },
      ],
      ...overrides,
    }),
  );
  if (!result.ok) throw new Error(`test manifest is invalid: ${JSON.stringify(result.problems)}`);
  return result.value;
}

export const nextFrame = () => new Promise<number>((r) => requestAnimationFrame(r));

/** Resolves when `test` is true, checked every frame; rejects after `ms`. */
export async function until(test: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const t0 = performance.now();
  while (!test()) {
    if (performance.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await nextFrame();
  }
}

/** Silences console.warn for the length of `fn` and returns what was warned. */
export async function capturingWarnings(fn: () => Promise<void>): Promise<string[]> {
  const warned: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => warned.push(args.map(String).join(' '));
  try {
    await fn();
  } finally {
    console.warn = original;
  }
  return warned;
}

type JsQr = typeof import('jsqr').default;
let jsQrLoaded: Promise<JsQr> | undefined;
/**
 * jsqr ships as UMD only and the test server has no CommonJS transform: load its
 * file and run it with a local `module`.
 */
export function loadJsQr(): Promise<JsQr> {
  jsQrLoaded ??= fetch('/node_modules/jsqr/dist/jsQR.js')
    .then((r) => r.text())
    .then((code) => {
      const module = { exports: {} as { default?: JsQr } };
      new Function('module', 'exports', code)(module, module.exports);
      return module.exports as unknown as JsQr;
    });
  return jsQrLoaded;
}
