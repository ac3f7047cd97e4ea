/**
 * Switches the screen off outside opening hours and on again before the centre
 * opens (issue 7, docs/telemetry.md "Power", docs/deployment.md): runs
 * CCSP_DISPLAY_OFF_COMMAND and CCSP_DISPLAY_ON_COMMAND at the minutes core's
 * displayPlan gives, in the channel's time zone, from the published manifest of
 * the box's default channel (looked at again every minute, so a new version with a
 * new closure counts at once).
 *
 * Neither command set: nothing is run, and `display()` still answers heartbeats.
 * A failed `off` is logged and not retried until the next change: a screen that
 * cannot be switched off is better left alone than hammered every minute, and the
 * player's closed card keeps it dark meanwhile. A failed `on` is tried again at every
 * look (each minute) until it works: a screen left dark while the centre is open
 * is the worse failure (a CEC bus busy at 07:45 must not cost the whole day); its
 * failures are logged once, then hourly. Nothing here throws.
 */
import { execFile } from 'node:child_process';
import { displayAt, displayPlan, type DisplayState, type SchedulableChannel } from '../core/index.ts';

/** The timer functions, injected so that a test runs a week in virtual time. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface DisplayScheduleOptions {
  /** The channel whose opening hours decide (the box's default channel); none: nothing is run. */
  channel: string | undefined;
  /** The channel's published, verified manifest (ChannelStore.manifest), or undefined. */
  manifest: (channel: string) => Promise<SchedulableChannel | undefined>;
  env?: NodeJS.ProcessEnv;
  /** Trusted time in ms (the box's TrustedClock): a box that booted in 1970 must not switch at random. */
  now?: () => number;
  /**
   * Whether that time can be relied on; when not (a box without a battery-backed clock,
   * before anything corrected it), the screen stays on: better lit at night than dark
   * while the centre is open.
   */
  clockKnown?: () => boolean;
  timers?: Timers;
  /** Runs a shell command with extra environment variables; rejects when it fails. */
  run?: (command: string, env: Record<string, string>) => Promise<void>;
  log?: (level: 'info' | 'warn', message: string) => void;
  /** How often the manifest is looked at again, in ms; also the longest sleep. */
  recheckMs?: number;
}

const COMMAND_TIMEOUT_MS = 15_000;
/** How far ahead the plan is computed: past a week the pattern repeats, and the recheck comes first. */
const PLAN_HORIZON_MS = 8 * 86_400_000;

/** `/bin/sh -c command`, with a timeout; the command's stderr is in the error. */
export function runShell(command: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      '/bin/sh',
      ['-c', command],
      { timeout: COMMAND_TIMEOUT_MS, env: { ...process.env, ...env } },
      (error, _stdout, stderr) => {
        if (!error) return resolve();
        const detail = String(stderr).trim().slice(0, 200);
        reject(new Error(`${error.message.split('\n')[0]}${detail ? `: ${detail}` : ''}`));
      },
    );
  });
}

export class DisplaySchedule {
  private readonly commands: Record<DisplayState, string | undefined>;
  private readonly now: () => number;
  private readonly timers: Timers;
  private readonly run: NonNullable<DisplayScheduleOptions['run']>;
  private readonly log: NonNullable<DisplayScheduleOptions['log']>;
  private readonly recheckMs: number;
  /** The manifests `display()` answers from, by channel. */
  private readonly known = new Map<string, SchedulableChannel>();
  private readonly loading = new Set<string>();
  /** The state last applied (or attempted); undefined before the first. */
  private applied: DisplayState | undefined;
  private timer: unknown;
  /** Failed attempts in a row to switch on (retried at each look). */
  private onFailures = 0;
  private stopped = true;
  private work: Promise<void> = Promise.resolve();

  constructor(private readonly options: DisplayScheduleOptions) {
    const env = options.env ?? process.env;
    this.commands = {
      on: env.CCSP_DISPLAY_ON_COMMAND?.trim() || undefined,
      off: env.CCSP_DISPLAY_OFF_COMMAND?.trim() || undefined,
    };
    this.now = options.now ?? (() => Date.now());
    this.timers = options.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    this.run = options.run ?? runShell;
    this.log = options.log ?? ((level, message) => (level === 'info' ? console.log : console.warn)(message));
    this.recheckMs = options.recheckMs ?? 60_000;
  }

  /** Whether the channel's screens should be lit now (the heartbeat answer's `display`); `on` when unknown. */
  display = (channel: string): DisplayState => {
    const manifest = this.known.get(channel);
    if (channel !== this.options.channel) this.refresh(channel);
    return manifest ? displayAt(manifest, this.now()) : 'on';
  };

  /** Applies the current state once, then follows the plan. Resolves when the first state is applied. */
  start(): Promise<void> {
    if (!this.stopped) return this.settled();
    this.stopped = false;
    const { channel } = this.options;
    if (!channel) return Promise.resolve();
    if (this.commands.on || this.commands.off) {
      const which = [this.commands.off && 'off', this.commands.on && 'on'].filter(Boolean).join(' and ');
      this.log('info', `display: switching the screen ${which} on the opening hours of ${channel}`);
    }
    this.enqueue(() => this.step(channel));
    return this.settled();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Resolves when what was started (a manifest read, a command) is over: for tests and shutdown. */
  settled(): Promise<void> {
    return this.work;
  }

  private enqueue(task: () => Promise<void>): void {
    this.work = this.work.then(task).catch((e: unknown) => {
      this.log('warn', `display: ${(e as Error).message}`);
    });
  }

  /** Loads another channel's manifest in the background for `display()`. */
  private refresh(channel: string): void {
    if (this.loading.has(channel)) return;
    this.loading.add(channel);
    void this.options
      .manifest(channel)
      .then(
        (m) => void (m && this.known.set(channel, m)),
        () => undefined,
      )
      .finally(() => this.loading.delete(channel));
  }

  /** One look: the manifest, the state now (switched if it changed), then sleep until the next change. */
  private async step(channel: string): Promise<void> {
    if (this.stopped) return;
    let sleep = this.recheckMs;
    try {
      const manifest =
        (await this.options.manifest(channel).catch(() => undefined)) ?? this.known.get(channel);
      if (manifest) {
        this.known.set(channel, manifest);
        const now = this.now();
        if (this.options.clockKnown?.() === false) {
          await this.apply('on', now);
        } else {
          const plan = displayPlan(manifest, now, now + PLAN_HORIZON_MS);
          await this.apply(plan.initial, now);
          const next = plan.changes[0];
          if (next) sleep = Math.min(sleep, Math.max(0, next.at - this.now()));
        }
      }
    } finally {
      if (!this.stopped) {
        this.timer = this.timers.setTimeout(() => {
          this.timer = undefined;
          this.enqueue(() => this.step(channel));
        }, sleep);
      }
    }
  }

  private async apply(state: DisplayState, at: number): Promise<void> {
    if (state === this.applied) return;
    this.applied = state;
    if (state === 'off') this.onFailures = 0;
    const command = this.commands[state];
    if (!command) return;
    try {
      await this.run(command, { CCSP_DISPLAY: state, CCSP_DISPLAY_AT: new Date(at).toISOString() });
      this.log('info', `display: switched ${state} (${command})`);
      if (state === 'on') this.onFailures = 0;
    } catch (e) {
      // `off`: retried at the next change; `on`: at the next look (see the file comment).
      const failures = state === 'on' ? ++this.onFailures : 1;
      if (state === 'on') this.applied = undefined;
      const again = state === 'on' ? ', trying again every minute' : '';
      if (failures === 1 || failures % 60 === 0)
        this.log('warn', `display: could not switch ${state}: ${(e as Error).message}${again}`);
    }
  }
}
