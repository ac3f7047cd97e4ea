import { expect, fixture, html } from '@open-wc/testing';
import type { AnnouncementItem } from '../../src/core/index.ts';
import '../../src/player/ccsp-announcement.ts';
import type { CcspAnnouncement } from '../../src/player/ccsp-announcement.ts';
import type { CcspItemErrorEvent } from '../../src/player/events.ts';
import { announcement, loadJsQr, MEDIA, resolveMedia } from './helpers.ts';

async function render(item: AnnouncementItem): Promise<CcspAnnouncement> {
  const el = await fixture<CcspAnnouncement>(
    html`<ccsp-announcement
      style="width: 960px; height: 540px"
      .item=${item}
      .resolveMedia=${resolveMedia}
    ></ccsp-announcement>`,
  );
  await el.prepare();
  return el;
}

const sample = announcement('portail', {
  title: 'Vos démarches sur service-public.bj',
  body: 'Le portail national des services publics réunit les démarches en ligne.',
  badge: 'Nouveau',
  image: MEDIA.portal,
  link: 'https://service-public.bj/public/services',
}) as AnnouncementItem;

describe('<ccsp-announcement>', () => {
  it('renders the badge, title, body and decoded image in the item language', async () => {
    const el = await render(sample);
    const root = el.shadowRoot!;
    expect(el.lang).to.equal('fr');
    expect(root.querySelector('h1')!.textContent).to.equal('Vos démarches sur service-public.bj');
    expect(root.querySelector('p')!.textContent).to.contain('portail national');
    expect(root.querySelector('.badge')!.textContent).to.equal('Nouveau');
    const img = root.querySelector('img')!;
    expect(img.complete && img.naturalWidth).to.be.greaterThan(0);
  });

  it('is accessible', async () => {
    const el = await render(sample);
    await expect(el).to.be.accessible();
  });

  it('draws a QR code that decodes to the link, with a quiet zone, large enough to scan', async () => {
    const el = await render(sample);
    const qr = el.shadowRoot!.querySelector('ccsp-qr-code')!;
    await qr.updateComplete;
    const source = qr.shadowRoot!.querySelector('canvas')!;
    // Scale up without smoothing, as the screen does, then decode.
    const scale = 8;
    const canvas = document.createElement('canvas');
    canvas.width = source.width * scale;
    canvas.height = source.height * scale;
    const ctx = canvas.getContext('2d')!;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const jsQR = await loadJsQr();
    const code = jsQR(data.data, data.width, data.height);
    expect(code?.data).to.equal('https://service-public.bj/public/services');
    // Quiet zone: the outer four modules are white.
    const px = source.getContext('2d')!.getImageData(0, 0, source.width, 4).data;
    expect([...px].every((v) => v === 255)).to.equal(true);
    // At least a third of the short side of the screen.
    const box = qr.getBoundingClientRect();
    expect(box.width / Math.min(innerWidth, innerHeight)).to.be.at.least(0.33);
  });

  it('shows the main language, then the translation, within its duration', async () => {
    const el = await render({
      ...sample,
      translations: [
        { lang: 'fon', title: '[Exemple] Mi kwabɔ', body: '[Exemple] Point focal ɔ na d’alɔ we.' },
      ],
    });
    el.duration = 200;
    el.start();
    const text = () => el.shadowRoot!.querySelector('.text') as HTMLElement;
    expect(text().lang).to.equal('fr');
    await new Promise((r) => setTimeout(r, 150));
    await el.updateComplete;
    expect(text().lang).to.equal('fon');
    expect(el.shadowRoot!.querySelector('h1')!.textContent).to.equal('[Exemple] Mi kwabɔ');
  });

  it('reports a missing image and refuses to be shown', async () => {
    const el = await fixture<CcspAnnouncement>(
      html`<ccsp-announcement
        .item=${announcement('x', { image: MEDIA.missing })}
        .resolveMedia=${resolveMedia}
      ></ccsp-announcement>`,
    );
    const errors: CcspItemErrorEvent[] = [];
    el.addEventListener('ccsp-item-error', (e) => errors.push(e));
    let rejected = false;
    await el.prepare().catch(() => (rejected = true));
    expect(rejected).to.equal(true);
    expect(errors.map((e) => [e.detail.itemId, e.detail.reason])).to.deep.equal([['x', 'media-undecodable']]);
  });

  it('cuts text far too long with an ellipsis instead of overflowing', async () => {
    const el = await render(
      announcement('long', {
        title: 'Un titre beaucoup trop long '.repeat(4).slice(0, 120),
        body: 'Un texte beaucoup trop long pour tenir sur un écran. '.repeat(12).slice(0, 600),
        link: 'https://service-public.bj',
      }) as AnnouncementItem,
    );
    const host = el.getBoundingClientRect();
    for (const node of el.shadowRoot!.querySelectorAll<HTMLElement>('h1, p')) {
      // Clamped: the text is longer than the box, and the box stays inside the item.
      expect(node.scrollHeight, node.tagName).to.be.greaterThan(node.clientHeight);
      expect(getComputedStyle(node).webkitLineClamp, node.tagName).to.not.equal('none');
      const box = node.getBoundingClientRect();
      expect(box.bottom, node.tagName).to.be.at.most(host.bottom + 1);
      expect(box.right, node.tagName).to.be.at.most(host.right + 1);
    }
  });
});
