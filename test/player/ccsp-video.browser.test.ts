import { expect, fixture, html } from '@open-wc/testing';
import type { VideoItem } from '../../src/core/index.ts';
import '../../src/player/ccsp-video.ts';
import type { CcspVideo } from '../../src/player/ccsp-video.ts';
import { MEDIA, resolveMedia, until, video } from './helpers.ts';

async function render(item: VideoItem, watchdogMs = 3000): Promise<CcspVideo> {
  return fixture<CcspVideo>(
    html`<ccsp-video
      style="width: 960px; height: 540px"
      .item=${item}
      .resolveMedia=${resolveMedia}
      watchdog-ms=${watchdogMs}
    ></ccsp-video>`,
  );
}

describe('<ccsp-video>', () => {
  it('prepares the first frame, plays muted and shows the captions of its language', async () => {
    const el = await render(video('casier') as VideoItem);
    await el.prepare();
    const v = el.shadowRoot!.querySelector('video')!;
    expect(v.readyState).to.be.at.least(2);
    expect(v.muted).to.equal(true);
    expect(v.preload).to.equal('auto');
    expect(v.poster).to.contain('casier-judiciaire-poster.webp');
    el.duration = 8000;
    el.start();
    await until(() => v.currentTime > 0.2, 4000, 'playback');
    const modes = Object.fromEntries([...v.textTracks].map((t) => [t.language, t.mode]));
    expect(modes).to.deep.equal({ fr: 'showing', fon: 'disabled' });
    await until(() => (v.textTracks[0]!.activeCues?.length ?? 0) > 0, 4000, 'a caption on screen');
    expect(el.shadowRoot!.querySelector('h1')!.textContent).to.equal('Le casier judiciaire en ligne');
  });

  it('is accessible', async () => {
    const el = await render(video('casier') as VideoItem);
    await el.prepare();
    await expect(el).to.be.accessible();
  });

  it('releases the decoder when removed: no source left', async () => {
    const el = await render(video('casier', { file: MEDIA.webm }) as VideoItem);
    await el.prepare();
    const v = el.shadowRoot!.querySelector('video')!;
    el.remove();
    expect(v.getAttribute('src')).to.equal(null);
    expect(v.querySelectorAll('track').length).to.equal(0);
    expect(v.readyState).to.equal(HTMLMediaElement.HAVE_NOTHING);
  });

  it('refuses a file that is not a video', async () => {
    const el = await render(video('broken', { file: MEDIA.brokenVideo }) as VideoItem, 1000);
    const reasons: string[] = [];
    el.addEventListener('ccsp-item-error', (e) => reasons.push(e.detail.reason));
    let failed = false;
    await el.prepare().catch(() => (failed = true));
    expect(failed).to.equal(true);
    expect(reasons).to.have.length(1);
    expect(['video-error', 'prepare-timeout']).to.include(reasons[0]);
  });
});
