/**
 * Trusted time (DESIGN.md "Time"): devices without a battery-backed clock boot in
 * 1970, and a wrong clock must neither stop the schedule nor unlock an expired
 * manifest. The time used is max(device clock, latest signed `issued` accepted),
 * corrected by the server's time when the server is reachable.
 *
 * Known times are anchored to a monotonic clock (performance.now() in the browser),
 * so that they keep running when the device clock jumps back or stands still.
 */

/** Before this the device clock cannot be right: the project did not exist. */
export const PLAUSIBLE_AFTER = Date.UTC(2024, 0, 1);
/** A device clock this far behind the latest signed time is wrong, not just late. */
export const MAX_BEHIND_SIGNED = 24 * 3600_000;

export interface TrustedTime {
  /** Milliseconds since the epoch. */
  now: number;
  /** now − device clock, in milliseconds (positive when the device is behind). */
  skewMs: number;
  /** The device clock was before 2024 or more than a day behind the signed time. */
  implausible: boolean;
  source: 'device' | 'signed' | 'server';
}

interface Anchor {
  at: number;
  monotonic: number;
}

export class TrustedClock {
  private signed: Anchor | undefined;
  private server: Anchor | undefined;
  /** The last plausible device reading: a 1970 jump later continues from here. */
  private lastGood: Anchor | undefined;

  constructor(
    private readonly device: () => number = () => Date.now(),
    private readonly monotonic: () => number = () => performance.now(),
  ) {}

  /** A manifest was accepted: its `issued` time has certainly passed. */
  observeSigned(issued: number): void {
    const current = this.signed && this.signed.at + (this.monotonic() - this.signed.monotonic);
    if (current === undefined || issued > current) this.signed = { at: issued, monotonic: this.monotonic() };
  }

  /**
   * The server said what time it was (an HTTP Date header, one-second precision, or a
   * time field), at about the moment its response arrived.
   */
  observeServer(serverTime: number): void {
    this.server = { at: serverTime, monotonic: this.monotonic() };
  }

  /** The time to use now. Remembers a plausible device reading, to carry on from it if the clock jumps. */
  now(): TrustedTime {
    const device = this.device();
    const mono = this.monotonic();
    const signed = this.signed ? this.signed.at + (mono - this.signed.monotonic) : -Infinity;
    const server = this.server ? this.server.at + (mono - this.server.monotonic) : undefined;
    const implausible = device < PLAUSIBLE_AFTER || device < signed - MAX_BEHIND_SIGNED;
    if (!implausible) this.lastGood = { at: device, monotonic: mono };
    const remembered = this.lastGood ? this.lastGood.at + (mono - this.lastGood.monotonic) : -Infinity;
    let now: number;
    let source: TrustedTime['source'];
    if (server !== undefined) {
      [now, source] = server >= signed ? [server, 'server'] : [signed, 'signed'];
    } else if (implausible) {
      [now, source] = remembered > signed ? [remembered, 'device'] : [signed, 'signed'];
    } else if (signed > device) {
      [now, source] = [signed, 'signed'];
    } else {
      [now, source] = [device, 'device'];
    }
    if (!Number.isFinite(now)) [now, source] = [device, 'device'];
    return { now, skewMs: now - device, implausible, source };
  }
}

/** The time an HTTP response's Date header gives (RFC 9110 §6.6.1), if any. */
export function serverTimeFromHeaders(headers: { get(name: string): string | null }): number | undefined {
  const date = headers.get('date');
  const ms = date ? Date.parse(date) : Number.NaN;
  return Number.isFinite(ms) && ms > PLAUSIBLE_AFTER ? ms : undefined;
}
