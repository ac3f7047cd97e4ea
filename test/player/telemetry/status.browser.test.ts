import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/player/ccsp-status.ts';
import type { CcspStatus } from '../../../src/player/ccsp-status.ts';
import type { TelemetryStatus } from '../../../src/player/telemetry/telemetry-controller.ts';

describe('<ccsp-status> telemetry row', () => {
  it('shows the last heartbeat sent and acknowledged and the queue, in French', async () => {
    const now = Date.now();
    const telemetry: TelemetryStatus = {
      player: 'p-0123456789abcdef',
      lastSentAt: now - 30_000,
      lastAckAt: now - 90_000,
      lastError: undefined,
      queued: 12,
      answer: undefined,
    };
    const el = await fixture<CcspStatus>(html`<ccsp-status open .telemetry=${telemetry}></ccsp-status>`);
    const text = el.shadowRoot!.querySelector('.telemetry')!.textContent!.replace(/\s+/g, ' ').trim();
    expect(text).to.equal('envoyé il y a 30 secondes, accusé il y a 2 minutes; 12 diffusions en attente');
    el.telemetry = undefined;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.telemetry')!.textContent!.trim()).to.equal('inactive');
  });
});
