import { expect, fixture, html } from '@open-wc/testing';
import type { Item, Manifest } from '../../src/core/index.ts';
import '../../src/player/ccsp-player.ts';
import type { CcspPlayer } from '../../src/player/ccsp-player.ts';
import type { CcspItemErrorEvent, CcspItemStartEvent } from '../../src/player/events.ts';
import {
  announcement,
  capturingWarnings,
  explainer,
  HLS_FILES,
  manifestWith,
  MEDIA,
  nextFrame,
  resolveMedia,
  resolveWithoutSegments,
  until,
  video,
} from './helpers.ts';
import type { MediaResolver } from '../../src/player/media-url.ts';

interface Options {
  fadeMs?: number;
  watchdogMs?: number;
  prepareLeadMs?: number;
  resolver?: MediaResolver;
}

async function play(manifest: Manifest | undefined, o: Options = {}): Promise<CcspPlayer> {
  return fixture<CcspPlayer>(
    html`<ccsp-player
      no-fetch
      fade-ms=${o.fadeMs ?? 50}
      watchdog-ms=${o.watchdogMs ?? 3000}
      prepare-lead-ms=${o.prepareLeadMs ?? 5000}
      .resolveMedia=${o.resolver ?? resolveMedia}
      .manifest=${manifest}
    ></ccsp-player>`,
  );
}

function starts(el: CcspPlayer): { id: string; t: number }[] {
  const out: { id: string; t: number }[] = [];
  el.addEventListener('ccsp-item-start', (e: CcspItemStartEvent) =>
    out.push({ id: e.detail.itemId, t: performance.now() }),
  );
  return out;
}

const stage = (el: CcspPlayer) => el.shadowRoot!.querySelector('.stage')!;
const onScreen = (el: CcspPlayer) => el.shadowRoot!.querySelectorAll('.stage > *').length;

const hlsItem = (id: string, duration = 0.6): Item =>
  video(id, {
    file: undefined,
    hls: { playlist: 'index.m3u8', files: HLS_FILES },
    duration,
  });

describe('<ccsp-player>', () => {
  it('shows the first item of a verified manifest and reflects its state', async () => {
    const el = await play(
      manifestWith([announcement('a', { title: 'Bienvenue au CCSP' }), announcement('b')]),
    );
    await until(() => el.dataset.state === 'playing', 5000, 'playing');
    expect(el.dataset.item).to.equal('a');
    expect(el.dataset.manifestVersion).to.equal('3');
    const item = stage(el).lastElementChild!;
    expect(item.localName).to.equal('ccsp-announcement');
    expect(item.shadowRoot!.querySelector('h1')!.textContent).to.equal('Bienvenue au CCSP');
    expect(el.shadowRoot!.querySelector('header')!.textContent).to.contain('CCSP de Lokossa');
    expect(el.shadowRoot!.querySelector('ccsp-ticker')!.shadowRoot!.textContent).to.contain('1 900 FCFA');
    const clock = el.shadowRoot!.querySelector('ccsp-clock')!;
    await clock.updateComplete;
    expect(clock.shadowRoot!.textContent).to.match(/^\w+ \d{1,2} \w+, \d{1,2} h \d{2}$/u);
  });

  it('is accessible', async () => {
    const el = await play(manifestWith([announcement('a')]));
    await until(() => el.dataset.state === 'playing');
    // Once the ticker's line has faded in: axe measures the contrast of what it sees.
    const ticker = el.shadowRoot!.querySelector('ccsp-ticker')!;
    await Promise.all(ticker.shadowRoot!.getAnimations().map((a) => a.finished));
    await expect(el).to.be.accessible();
  });

  it('shows the welcome card with the opening hours when there is nothing to play', async () => {
    // Whatever the hour: while the centre is closed, the closed card takes its place (issue 7).
    const el = await play(manifestWith([]));
    el.noSchedule = true;
    await until(() => el.dataset.state === 'no-content');
    const card = stage(el).querySelector('ccsp-welcome')!;
    await card.updateComplete;
    expect(card.shadowRoot!.querySelector('h1')!.textContent).to.equal('Bienvenue');
    expect(card.shadowRoot!.textContent).to.contain('CCSP de Lokossa');
    expect(card.shadowRoot!.textContent).to.contain('du lundi au vendredi');
    expect(card.shadowRoot!.textContent).to.contain('8 h – 17 h 30');
    expect(el.dataset.item).to.equal(undefined);
  });

  it('plays A → B → C → A with their durations', async () => {
    const m = manifestWith([
      announcement('a', { duration: 0.3 }),
      explainer('b', { duration: 0.5 }),
      video('c', { duration: 8, maxDuration: 0.4 }),
    ]);
    const el = await play(m);
    const seen = starts(el);
    await until(() => seen.length >= 5, 8000, 'five starts');
    expect(seen.slice(0, 5).map((s) => s.id)).to.deep.equal(['a', 'b', 'c', 'a', 'b']);
    // From each start to the next: the item's duration (c: min(8, 0.4) s), give or take a frame or two.
    const gaps = seen.slice(1, 5).map((s, i) => s.t - seen[i]!.t);
    const expected = [300, 500, 400, 300];
    // Generous upper bound: the order is the point; a loaded CI machine delays timers.
    gaps.forEach((g, i) => expect(g, `gap ${i}`).to.be.within(expected[i]! - 40, expected[i]! + 400));
  });

  it('switches between two videos with no frame in which neither is visible', async () => {
    const el = await play(
      manifestWith([video('v1', { duration: 1.2 }), video('v2', { duration: 1.2, file: MEDIA.webm })]),
      { fadeMs: 300 },
    );
    await until(() => el.dataset.item === 'v1', 5000, 'first video');
    let frames = 0;
    let bothVisible = 0;
    const empty: number[] = [];
    while (el.dataset.item !== 'v2' || frames < 80) {
      await nextFrame();
      frames++;
      const visible = [...stage(el).querySelectorAll('ccsp-video')].filter(
        (v) =>
          v.isConnected &&
          Number(getComputedStyle(v).opacity) >= 0.999 &&
          v.shadowRoot!.querySelector('video')!.readyState >= 2,
      );
      const ids = new Set(
        [...stage(el).querySelectorAll('ccsp-video')]
          .filter((v) => Number(getComputedStyle(v).opacity) > 0 && Number(v.style.zIndex) > 0)
          .map((v) => v.item.id),
      );
      if (visible.length === 0) empty.push(frames);
      if (ids.size === 2) bothVisible++;
      if (frames > 400) throw new Error('the second video never came');
    }
    expect(empty).to.deep.equal([]);
    // The cross-fade shows both.
    expect(bothVisible).to.be.greaterThan(2);
    const v2 = stage(el).lastElementChild!.shadowRoot!.querySelector('video')!;
    await until(() => v2.currentTime > 0, 3000, 'second video playing');
    const track = [...v2.textTracks].find((t) => t.language === 'fr')!;
    expect(track.mode).to.equal('showing');
  });

  it('skips a broken video within the watchdog time and reports it', async () => {
    const errors: CcspItemErrorEvent['detail'][] = [];
    let el!: CcspPlayer;
    let t0 = 0;
    let skippedAfter = 0;
    const warned = await capturingWarnings(async () => {
      el = await play(
        manifestWith([video('broken', { file: MEDIA.brokenVideo }), announcement('ok', { duration: 5 })]),
        // No preparing ahead: the loop must not come back to the broken video before the end.
        { watchdogMs: 1000, prepareLeadMs: 0 },
      );
      el.addEventListener('ccsp-item-error', (e) => errors.push(e.detail));
      t0 = performance.now();
      await until(() => el.dataset.item === 'ok', 3000, 'the next item');
      skippedAfter = performance.now() - t0;
      el.remove(); // before it comes back to the broken video
    });
    expect(skippedAfter).to.be.below(2500); // a 1 s watchdog, with room for a loaded machine
    expect(errors.map((e) => e.itemId)).to.deep.equal(['broken']);
    expect(warned.join('\n')).to.contain('skipped item "broken"');
  });

  it('skips an item whose image is missing, and an item of an unknown kind', async () => {
    const errors: string[] = [];
    const unknown = { ...announcement('future'), kind: 'quiz' } as unknown as Item;
    const warned = await capturingWarnings(async () => {
      const m = manifestWith([
        announcement('bad', { image: MEDIA.missing }),
        announcement('good', { duration: 5 }),
      ]);
      const el = await play(undefined);
      el.addEventListener('ccsp-item-error', (e) => errors.push(`${e.detail.itemId}:${e.detail.reason}`));
      el.prepareLeadMs = 0; // the loop does not come back to the bad items before the end
      el.manifest = { ...m, items: [unknown, ...m.items] };
      await until(() => el.dataset.item === 'good', 4000, 'the good item');
      expect(el.dataset.state).to.equal('playing');
      el.remove();
    });
    expect(errors).to.deep.equal(['future:unknown-kind', 'bad:media-undecodable']);
    expect(warned.some((w) => w.includes('"future" (unknown-kind)'))).to.equal(true);
    expect(warned.some((w) => w.includes('"bad" (media-undecodable)'))).to.equal(true);
  });

  it('plays an HLS rendition through hls.js from the content-addressed files', async () => {
    // Long enough for playback to be seen advancing on a loaded machine.
    const el = await play(manifestWith([hlsItem('hls', 4), announcement('after', { duration: 5 })]));
    await until(() => el.dataset.item === 'hls', 8000, 'the HLS item');
    const v = stage(el).lastElementChild!.shadowRoot!.querySelector('video')!;
    await until(() => v.currentTime > 0.1, 4000, 'HLS playback');
    await until(() => el.dataset.item === 'after', 8000, 'the next item');
  });

  it('skips an HLS item whose segments cannot be fetched', async () => {
    const errors: string[] = [];
    const warned = await capturingWarnings(async () => {
      const el = await play(manifestWith([hlsItem('hls'), announcement('after', { duration: 5 })]), {
        resolver: resolveWithoutSegments,
        watchdogMs: 4000,
        prepareLeadMs: 0,
      });
      el.addEventListener('ccsp-item-error', (e) => errors.push(e.detail.itemId));
      await until(() => el.dataset.item === 'after', 8000, 'the next item');
      el.remove();
    });
    expect(errors).to.deep.equal(['hls']);
    expect(warned.join('\n')).to.contain('skipped item "hls"');
  });

  it('holds no more nodes, videos or object URLs after 500 transitions than after 10', async () => {
    let objectUrls = 0;
    const create = URL.createObjectURL;
    const revoke = URL.revokeObjectURL;
    URL.createObjectURL = (o: Blob | MediaSource) => (objectUrls++, create.call(URL, o));
    URL.revokeObjectURL = (u: string) => (objectUrls--, revoke.call(URL, u));
    try {
      const m = manifestWith([
        announcement('a', { duration: 0.02, image: MEDIA.welcome, link: 'https://service-public.bj' }),
        explainer('b', { duration: 0.02 }),
        video('c', { duration: 0.02 }),
        announcement('d', { duration: 0.02 }),
      ]);
      const el = await play(m, { fadeMs: 0 });
      el.prepareLeadMs = 0;
      const seen = starts(el);
      const measure = () => ({
        nodes: countNodes(el),
        videos: el.shadowRoot!.querySelectorAll('.stage ccsp-video').length,
        urls: objectUrls,
      });
      // Compared at the same point of the loop (just after "a" starts), so the same items are on stage.
      const at = async (n: number) => {
        await until(() => seen.length >= n && seen[seen.length - 1]!.id === 'a', 60_000, `${n} transitions`);
        return measure();
      };
      const after10 = await at(10);
      const after500 = await at(500);
      expect(after500).to.deep.equal(after10);
      expect(onScreen(el)).to.be.at.most(2);
    } finally {
      URL.createObjectURL = create;
      URL.revokeObjectURL = revoke;
    }
  });

  it('writes body text of at least 48 px on a screen whose short side is 1080 pixels', async () => {
    const el = await play(manifestWith([announcement('a')]));
    await until(() => el.dataset.state === 'playing');
    const p = stage(el).lastElementChild!.shadowRoot!.querySelector('p')!;
    const px = parseFloat(getComputedStyle(p).fontSize);
    expect((px / Math.min(innerWidth, innerHeight)) * 1080).to.be.at.least(47.9);
  });
});

/** Nodes in the player, across shadow roots. */
function countNodes(root: Node): number {
  let n = 1;
  const shadow = (root as Element).shadowRoot;
  if (shadow) n += countNodes(shadow);
  for (const child of root.childNodes) n += countNodes(child);
  return n;
}
