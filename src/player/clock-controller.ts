import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The current time for a component, updated at each new minute (Lit's
 * ClockController pattern): started in hostConnected, stopped in hostDisconnected.
 */
export class ClockController implements ReactiveController {
  now = new Date();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** Period in milliseconds; the ticks fall on its multiples (the minute boundary by default). */
    private readonly period = 60_000,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.tick();
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private tick = (): void => {
    this.now = new Date();
    this.host.requestUpdate();
    const wait = this.period - (this.now.getTime() % this.period) + 20;
    this.timer = setTimeout(this.tick, wait);
  };
}
