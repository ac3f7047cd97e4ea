import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { initialSyncState, type SyncState } from '../../src/core/index.ts';
import '../../src/player/ccsp-status.ts';
import type { CcspStatus } from '../../src/player/ccsp-status.ts';

/** An engine halfway through a download, after one refused manifest. */
function fabricated(now: number): SyncState {
  return {
    ...initialSyncState('ccsp-lokossa', now),
    phase: 'downloading',
    active: {
      version: 3,
      issued: new Date(now - 2 * 3_600_000).toISOString(),
      expires: new Date(now + 7 * 86_400_000).toISOString(),
      acceptedAt: now - 3_600_000,
    },
    staged: {
      version: 4,
      issued: new Date(now - 60_000).toISOString(),
      expires: new Date(now + 7 * 86_400_000).toISOString(),
      acceptedAt: now - 30_000,
    },
    downloads: {
      ['a'.repeat(64)]: {
        sha256: 'a'.repeat(64),
        name: `${'a'.repeat(64)}.mp4`,
        bytes: 4_000_000,
        done: 1_000_000,
        needed: true,
        attempts: 0,
        lastError: undefined,
      },
    },
    lastPoll: { at: now - 30_000, outcome: 'new' },
    lastSuccess: now - 5 * 60_000,
    lastError: { at: now - 5 * 60_000, kind: 'rejected', message: 'bad signature', check: 'signature' },
  };
}

const text = (el: CcspStatus) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
const field = (el: CcspStatus, name: string) =>
  el.shadowRoot!.querySelector(`.${name}`)!.textContent!.replace(/\s+/g, ' ').trim();

describe('<ccsp-status>', () => {
  it('is hidden by default and toggled by the key s or F2', async () => {
    const el = await fixture<CcspStatus>(html`<ccsp-status></ccsp-status>`);
    expect(el.open).to.equal(false);
    expect(getComputedStyle(el).display).to.equal('none');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 's' }));
    await el.updateComplete;
    expect(el.open).to.equal(true);
    expect(getComputedStyle(el).display).not.to.equal('none');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'F2' }));
    await el.updateComplete;
    expect(el.open).to.equal(false);
  });

  it('shows the engine state in French', async () => {
    const now = Date.now();
    const el = await fixture<CcspStatus>(
      html`<ccsp-status open .state=${fabricated(now)} .skewMs=${-125_000}></ccsp-status>`,
    );
    const all = text(el);
    for (const label of [
      'Version du contenu',
      'Dernière synchronisation',
      'Téléchargements',
      'Espace utilisé',
      'Décalage d’horloge',
      'Dernières erreurs',
    ]) {
      expect(all).to.contain(label);
    }
    // Ages are counted in trusted time: the device clock is 2 min 5 s ahead of it here.
    expect(field(el, 'version')).to.match(/^3, publiée il y a 2 heures; version 4 en préparation$/);
    expect(field(el, 'last-success')).to.match(/^il y a 3 minutes/);
    expect(field(el, 'downloads')).to.contain(`${'a'.repeat(64)}.mp4 : 1 Mo / 4 Mo`);
    const bar = el.shadowRoot!.querySelector('progress')!;
    expect([bar.value, bar.max]).to.deep.equal([1_000_000, 4_000_000]);
    expect(field(el, 'skew')).to.equal('−2 min');
    expect(field(el, 'errors')).to.match(/manifeste refusé : bad signature$/);
    // navigator.storage.estimate() answers asynchronously.
    await waitUntil(() => field(el, 'storage') !== 'inconnu', 'no storage estimate', { timeout: 5000 });
    expect(field(el, 'storage')).to.match(/^[\d,]+ [kMG]?o sur [\d,]+ [kMGT]?o \(\d+ %\)$/);
  });

  it('is accessible', async () => {
    const el = await fixture<CcspStatus>(
      html`<ccsp-status open .state=${fabricated(Date.now())} .skewMs=${0}></ccsp-status>`,
    );
    await expect(el).to.be.accessible();
  });
});
