import { expect, fixture, html } from '@open-wc/testing';
import type { Manifest, PowerState } from '../../src/core/index.ts';
import '../../src/player/ccsp-player.ts';
import type { CcspPlayer } from '../../src/player/ccsp-player.ts';
import type { CcspItemStartEvent } from '../../src/player/events.ts';
import { announcement, manifestWith, resolveMedia, until, video } from './helpers.ts';

// Issue 7: the player on eco and critical power. `no-schedule`: every item is
// eligible whatever the hour, so that only the power state decides.
async function play(manifest: Manifest, power: PowerState): Promise<CcspPlayer> {
  return fixture<CcspPlayer>(
    html`<ccsp-player
      no-fetch
      no-schedule
      fade-ms="50"
      .power=${power}
      .resolveMedia=${resolveMedia}
      .manifest=${manifest}
    ></ccsp-player>`,
  );
}

function starts(el: CcspPlayer): string[] {
  const out: string[] = [];
  el.addEventListener('ccsp-item-start', (e: CcspItemStartEvent) => out.push(e.detail.itemId));
  return out;
}

const onTop = (el: CcspPlayer) => el.shadowRoot!.querySelector('.stage')!.lastElementChild!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('<ccsp-player> and power', () => {
  it('on eco power, shows a video’s poster as a still, decodes no video, and dims', async () => {
    const el = await play(manifestWith([video('clip', { duration: 2 })]), 'eco');
    await until(() => el.dataset.item === 'clip', 5000, 'the clip');
    const item = onTop(el);
    expect(item.localName).to.equal('ccsp-video');
    expect(item.hasAttribute('still')).to.equal(true);
    expect(item.shadowRoot!.querySelector('video')).to.equal(null);
    expect(
      document.querySelectorAll('video').length + el.shadowRoot!.querySelectorAll('video').length,
    ).to.equal(0);
    const img = item.shadowRoot!.querySelector<HTMLImageElement>('img.still')!;
    expect(img.src).to.contain('casier-judiciaire-poster.webp');
    expect(img.complete && img.naturalWidth > 0).to.equal(true);
    expect(el.dataset.power).to.equal('eco');
    expect(el.hasAttribute('data-dim')).to.equal(true);
    expect(getComputedStyle(item).filter).to.equal('brightness(0.6)');
  });

  it('on eco power, still plays a video that has no poster', async () => {
    const el = await play(manifestWith([video('clip', { poster: undefined })]), 'eco');
    await until(() => el.dataset.item === 'clip', 5000, 'the clip');
    const v = onTop(el).shadowRoot!.querySelector('video')!;
    await until(() => v.currentTime > 0.2, 4000, 'playback');
  });

  it('on ok power, plays the video and does not dim', async () => {
    const el = await play(manifestWith([video('clip')]), 'ok');
    await until(() => el.dataset.item === 'clip', 5000, 'the clip');
    expect(onTop(el).shadowRoot!.querySelector('video')).not.to.equal(null);
    expect(el.hasAttribute('data-dim')).to.equal(false);
  });

  it('on critical power, plays only essential and urgent items', async () => {
    const m = manifestWith([
      announcement('a', { duration: 0.3 }),
      announcement('horaires', { duration: 0.3, essential: true }),
      announcement('b', { duration: 0.3 }),
      announcement('alerte', { duration: 0.3, priority: 'urgent' }),
    ]);
    const el = await play(m, 'crit');
    const seen = starts(el);
    await until(() => seen.length >= 5, 6000, 'five plays');
    expect(new Set(seen)).to.deep.equal(new Set(['horaires', 'alerte']));
  });

  it('cuts a non-essential item at once when power becomes critical', async () => {
    const m = manifestWith([
      announcement('a', { duration: 30 }),
      announcement('horaires', { duration: 30, essential: true }),
    ]);
    const el = await play(m, 'ok');
    await until(() => el.dataset.item === 'a', 5000, 'a');
    el.power = 'crit';
    await until(() => el.dataset.item === 'horaires', 2000, 'the essential item');
    await sleep(200);
    expect(el.dataset.item).to.equal('horaires');
    expect(el.dataset.power).to.equal('crit');
  });
});

describe('<ccsp-player> while the centre is closed', () => {
  // The test manifest opens Monday to Friday, 8:00–17:30 (Porto-Novo).
  const saturday = Date.parse('2026-12-05T10:00:00+01:00');
  const monday = Date.parse('2026-12-07T10:00:00+01:00');

  async function at(manifest: Manifest, now: number): Promise<CcspPlayer> {
    return fixture<CcspPlayer>(
      html`<ccsp-player
        no-fetch
        fade-ms="50"
        .now=${() => now}
        .resolveMedia=${resolveMedia}
        .manifest=${manifest}
      ></ccsp-player>`,
    );
  }

  it('shows the closed card with nothing to play, and the welcome card once open', async () => {
    const el = await at(
      manifestWith([announcement('jour', { schedule: { until: '2099-12-31', when: 'open' } })]),
      saturday,
    );
    await until(() => onTop(el)?.localName === 'ccsp-closed', 5000, 'the closed card');
    const card = onTop(el) as HTMLElement & { updateComplete: Promise<boolean> };
    await card.updateComplete;
    expect(card.shadowRoot!.querySelector('.reopening')!.textContent).to.equal('Réouverture lundi à 8 h 00');
    expect(el.hasAttribute('data-closed')).to.equal(true);
    el.now = () => monday;
    await until(() => el.dataset.item === 'jour', 5000, 'the item of opening hours');
    expect(el.hasAttribute('data-closed')).to.equal(false);
    expect(el.hasAttribute('data-dim')).to.equal(false);
  });

  it('still plays, dimmed, what the schedule allows while closed', async () => {
    const el = await at(
      manifestWith([
        announcement('jour', { schedule: { until: '2099-12-31', when: 'open' } }),
        announcement('nuit', { schedule: { until: '2099-12-31', when: 'closed' } }),
      ]),
      saturday,
    );
    await until(() => el.dataset.item === 'nuit', 5000, 'the closed-hours item');
    expect(el.hasAttribute('data-dim')).to.equal(true);
    expect(el.shadowRoot!.querySelector('ccsp-closed')).to.equal(null);
  });
});
