import { expect, fixture, html } from '@open-wc/testing';
import type { AnnouncementItem, VideoItem } from '../../../src/core/index.ts';
import '../../../src/player/ccsp-announcement.ts';
import '../../../src/player/ccsp-video.ts';
import type { CcspAnnouncement } from '../../../src/player/ccsp-announcement.ts';
import type { CcspVideo } from '../../../src/player/ccsp-video.ts';
import { PaintingMonitor } from '../../../src/player/telemetry/painting.ts';
import { announcement, MEDIA, resolveMedia, until, video } from '../helpers.ts';

// Issue 7, "painting": a screen that says it plays but shows nothing is caught.
// Real items in real Chromium: the video element of <ccsp-video> playing the sample clip.

async function playingVideo(): Promise<{ el: CcspVideo; v: HTMLVideoElement }> {
  const el = await fixture<CcspVideo>(
    html`<ccsp-video
      style="position: absolute; inset: 0; width: 640px; height: 360px"
      .item=${video('casier', { duration: 60 }) as VideoItem}
      .resolveMedia=${resolveMedia}
      watchdog-ms="60000"
    ></ccsp-video>`,
  );
  await el.prepare();
  el.duration = 60_000;
  el.start();
  const v = el.shadowRoot!.querySelector('video')!;
  await until(() => v.currentTime > 0.1, 4000, 'playback');
  return { el, v };
}

describe('the painting check', () => {
  let monitor: PaintingMonitor;
  beforeEach(() => {
    monitor = new PaintingMonitor();
    monitor.start();
  });
  afterEach(() => monitor.stop());

  it('is ok for a playing video', async () => {
    const { el } = await playingVideo();
    monitor.watch(el);
    const p = await monitor.check();
    expect(p).to.include({ ok: true, visible: true, videoAdvancing: true, reason: null });
    expect(p.framesPresented).to.be.greaterThan(0);
  });

  it('is ok for a visible announcement with its image, and says nothing of a video', async () => {
    const el = await fixture<CcspAnnouncement>(
      html`<ccsp-announcement
        style="position: absolute; inset: 0; width: 640px; height: 360px"
        .item=${announcement('a', { image: MEDIA.welcome }) as AnnouncementItem}
        .resolveMedia=${resolveMedia}
      ></ccsp-announcement>`,
    );
    await el.prepare();
    monitor.watch(el);
    await new Promise((r) => setTimeout(r, 100));
    const p = await monitor.check();
    expect(p).to.include({ ok: true, visible: true, videoAdvancing: null, reason: null });
    expect(p.framesPresented).to.be.greaterThan(0);
  });

  it('reports a video with display:none as hidden', async () => {
    const { el, v } = await playingVideo();
    monitor.watch(el);
    v.style.display = 'none';
    expect(await monitor.check()).to.include({ ok: false, visible: false, reason: 'hidden' });
  });

  it('reports an item with display:none as hidden', async () => {
    const { el } = await playingVideo();
    monitor.watch(el);
    el.style.display = 'none';
    expect(await monitor.check()).to.include({ ok: false, visible: false, reason: 'hidden' });
  });

  it('reports a video at opacity 0, or an item at opacity 0, or visibility:hidden, as hidden', async () => {
    const { el, v } = await playingVideo();
    monitor.watch(el);
    v.style.opacity = '0';
    expect(await monitor.check()).to.include({ ok: false, reason: 'hidden' });
    v.style.opacity = '';
    el.style.opacity = '0';
    expect(await monitor.check()).to.include({ ok: false, reason: 'hidden' });
    el.style.opacity = '';
    el.style.visibility = 'hidden';
    expect(await monitor.check()).to.include({ ok: false, reason: 'hidden' });
    el.style.visibility = '';
    expect(await monitor.check()).to.include({ ok: true });
  });

  it('reports an item outside the viewport or without a size as hidden', async () => {
    const { el } = await playingVideo();
    monitor.watch(el);
    el.style.left = '5000px';
    expect(await monitor.check()).to.include({ ok: false, reason: 'hidden' });
    el.style.left = '0';
    el.style.width = '0';
    expect(await monitor.check()).to.include({ ok: false, reason: 'hidden' });
  });

  it('reports a paused video as frozen', async () => {
    const { el, v } = await playingVideo();
    monitor.watch(el);
    v.pause();
    expect(await monitor.check()).to.include({
      ok: false,
      visible: true,
      videoAdvancing: false,
      reason: 'video-frozen',
    });
  });

  it('reports a video whose time does not advance, though not paused, as frozen', async () => {
    const { el, v } = await playingVideo();
    monitor.watch(el);
    v.playbackRate = 0;
    await new Promise((r) => setTimeout(r, 100));
    expect(v.paused).to.equal(false);
    expect(await monitor.check()).to.include({ ok: false, videoAdvancing: false, reason: 'video-frozen' });
  });
});
