import { expect } from '@open-wc/testing';
import type { ReactiveController } from 'lit';
import type { Item, PowerState } from '../../../src/core/index.ts';
import type { PlayRecord } from '../../../src/core/telemetry/index.ts';
import type { Play } from '../../../src/core/sequence.ts';
import { CcspItemErrorEvent } from '../../../src/player/events.ts';
import {
  TelemetryController,
  type TelemetryHost,
} from '../../../src/player/telemetry/telemetry-controller.ts';
import { announcement, until } from '../helpers.ts';

// Proof of play as the player drives it: shown(), left(), item errors. The host is a
// plain element standing in for <ccsp-player>, with no channel: no heartbeat is sent.

class FakeHost extends HTMLElement {
  controllers: ReactiveController[] = [];
  noFetch = false;
  timeScale = 0.5;
  manifest = undefined;
  syncState = undefined;
  power: PowerState = 'ok';
  updateComplete = Promise.resolve(true);
  addController(c: ReactiveController) {
    this.controllers.push(c);
  }
  removeController() {}
  requestUpdate() {}
}
customElements.define('fake-telemetry-host', FakeHost);

let n = 0;
function setUp() {
  const host = document.createElement('fake-telemetry-host') as FakeHost;
  const records: PlayRecord[] = [];
  host.addEventListener('ccsp-play', (e) => records.push(e.detail));
  document.body.append(host);
  const telemetry = new TelemetryController(host as unknown as TelemetryHost, {
    clock: () => ({ now: Date.now(), skewMs: 0 }),
    observeServerTime: () => undefined,
    database: `ccsp-telemetry-controller-${Date.now()}-${n++}`,
  });
  host.controllers.forEach((c) => c.hostConnected?.());
  return { host, telemetry, records };
}

function play(id: string, durationMs: number, n = 1): Play {
  return { play: n, item: announcement(id) as Item, startedAt: Date.now(), duration: durationMs };
}

function item(host: HTMLElement): HTMLElement {
  const el = document.createElement('div');
  el.style.cssText = 'width: 100px; height: 100px';
  host.append(el);
  return el;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('proof of play from the player', () => {
  it('records a showing the sequence ended as completed, in the player’s time', async () => {
    const { host, telemetry, records } = setUp();
    const t0 = performance.now();
    const before = Date.now();
    telemetry.shown(item(host), play('a', 200));
    await wait(220);
    telemetry.shown(item(host), play('b', 60_000, 2));
    const elapsedS = (performance.now() - t0) / 1000;
    expect(records).to.have.length(1);
    expect(records[0]).to.include({ item: 'a', version: 0, outcome: 'completed' });
    expect(records[0]!.reason).to.equal(undefined);
    expect(records[0]!.id).to.match(/^r-[0-9a-f]{16}$/);
    // At time-scale 0.5, a second on screen is two seconds of the player's time.
    expect(records[0]!.shownS).to.be.within(elapsedS * 2 - 0.11, elapsedS * 2 + 0.01);
    expect(Date.parse(records[0]!.start)).to.be.within(before, Date.now());
    host.remove();
    host.controllers.forEach((c) => c.hostDisconnected?.());
    // The showing cut by the player stopping is not recorded.
    expect(records).to.have.length(1);
  });

  it('records the item on screen that fails as skipped, with the reason the contract names', async () => {
    const { host, telemetry, records } = setUp();
    const onScreen = item(host);
    telemetry.shown(onScreen, play('clip', 60_000));
    const prepared = item(host);
    // An error of another element (the next item being prepared) does not end the showing.
    prepared.dispatchEvent(
      new CcspItemErrorEvent({ itemId: 'clip', reason: 'prepare-timeout', message: 'x' }),
    );
    expect(records).to.have.length(0);
    onScreen.dispatchEvent(new CcspItemErrorEvent({ itemId: 'clip', reason: 'video-stalled', message: 'x' }));
    expect(records.map((r) => [r.item, r.outcome, r.reason])).to.deep.equal([['clip', 'skipped', 'stalled']]);
    telemetry.shown(item(host), play('v', 60_000, 2));
    host.lastElementChild!.dispatchEvent(
      new CcspItemErrorEvent({ itemId: 'v', reason: 'video-start-timeout', message: 'x' }),
    );
    telemetry.shown(item(host), play('w', 60_000, 3));
    host.lastElementChild!.dispatchEvent(
      new CcspItemErrorEvent({ itemId: 'w', reason: 'video-error', message: 'x' }),
    );
    expect(records.map((r) => r.reason)).to.deep.equal(['stalled', 'watchdog', 'error']);
    host.remove();
    host.controllers.forEach((c) => c.hostDisconnected?.());
  });

  it('records a showing cut short by a power change or anything else (schedule), and keeps them queued', async () => {
    const { host, telemetry, records } = setUp();
    telemetry.shown(item(host), play('a', 60_000));
    host.power = 'crit';
    telemetry.shown(item(host), play('essential', 60_000, 2));
    telemetry.left();
    expect(records.map((r) => [r.item, r.outcome, r.reason])).to.deep.equal([
      ['a', 'skipped', 'power'],
      ['essential', 'skipped', 'schedule'],
    ]);
    await until(
      () => telemetry.status.player !== undefined && telemetry.status.queued === 2,
      3000,
      'the kept queue to be read, holding both',
    );
    expect(/^p-[0-9a-f]{16}$/.test(telemetry.status.player!)).to.equal(true);
    host.remove();
    host.controllers.forEach((c) => c.hostDisconnected?.());
  });

  it('does nothing for a player that does not load its channel (no-fetch)', () => {
    const host = document.createElement('fake-telemetry-host') as FakeHost;
    host.noFetch = true;
    const records: PlayRecord[] = [];
    host.addEventListener('ccsp-play', (e) => records.push(e.detail));
    const telemetry = new TelemetryController(host as unknown as TelemetryHost, {
      clock: () => ({ now: Date.now(), skewMs: 0 }),
      observeServerTime: () => undefined,
    });
    host.controllers.forEach((c) => c.hostConnected?.());
    telemetry.shown(item(host), play('a', 0));
    telemetry.left();
    expect(records).to.deep.equal([]);
    expect(telemetry.status.player).to.equal(undefined);
  });
});
