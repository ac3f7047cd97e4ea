import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SchedulableChannel } from '../../src/core/index.ts';
import { DisplaySchedule, type Timers } from '../../src/server/power-schedule.ts';

// Issue 7: the display commands run at the right minutes of a simulated week in
// Porto-Novo (UTC+1), in virtual time, with a real shell script that records its calls.

/** Local time in Porto-Novo. */
const at = (local: string) => new Date(`${local}:00+01:00`).getTime();
const local = (ms: number) => new Date(ms + 3600_000).toISOString().slice(0, 16);

/** Timers on a virtual clock: the test moves time from one timer to the next. */
class VirtualTime implements Timers {
  private queue: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;
  constructor(public now: number) {}
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.ids;
    this.queue.push({ at: this.now + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((t) => t.id !== handle);
  }
  /** Runs every timer due up to `end`, waiting for the scheduler's work (real commands) after each. */
  async runUntil(end: number, schedule: DisplaySchedule): Promise<void> {
    for (;;) {
      await schedule.settled();
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      if (!next || next.at > end) break;
      this.queue.shift();
      this.now = next.at;
      next.fn();
    }
    this.now = end;
  }
}

const week: SchedulableChannel = {
  timezone: 'Africa/Porto-Novo',
  hours: [
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '08:00', close: '12:30' },
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '15:00', close: '18:30' },
    { days: ['sat'], open: '09:00', close: '13:00' },
  ],
  // Wednesday 23 December 2026 closed; Friday 25 is Christmas, a public holiday.
  closures: [{ from: '2026-12-23', reason: 'Inventaire' }],
  publicHolidays: { calendar: 'bj' },
  items: [],
};

let dir: string;
let logFile: string;
let env: Record<string, string>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccsp-display-'));
  logFile = join(dir, 'calls.log');
  const script = join(dir, 'record.sh');
  // What a real command sees: its argument and the variables the scheduler sets.
  await writeFile(script, `#!/bin/sh\necho "$CCSP_DISPLAY_AT $CCSP_DISPLAY $1" >> '${logFile}'\n`);
  env = {
    CCSP_DISPLAY_OFF_COMMAND: `sh ${script} screen-off`,
    CCSP_DISPLAY_ON_COMMAND: `sh ${script} screen-on`,
  };
});

async function calls(): Promise<string[]> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [iso, state, arg] = line.split(' ');
      return `${local(Date.parse(iso!))} ${state} ${arg}`;
    });
}

describe('DisplaySchedule', () => {
  it('runs the commands at the right minutes over a week with a closure and a holiday', async () => {
    const time = new VirtualTime(at('2026-12-21T00:00'));
    const warnings: string[] = [];
    const schedule = new DisplaySchedule({
      channel: 'ccsp-test',
      manifest: () => Promise.resolve(week),
      env,
      now: () => time.now,
      timers: time,
      log: (level, m) => level === 'warn' && warnings.push(m),
    });
    await schedule.start();
    await time.runUntil(at('2026-12-28T00:00'), schedule);
    schedule.stop();
    expect(await calls()).toEqual([
      '2026-12-21T00:00 off screen-off', // the state at start, applied once
      '2026-12-21T07:45 on screen-on',
      '2026-12-21T12:30 off screen-off',
      '2026-12-21T14:45 on screen-on',
      '2026-12-21T18:30 off screen-off',
      '2026-12-22T07:45 on screen-on',
      '2026-12-22T12:30 off screen-off',
      '2026-12-22T14:45 on screen-on',
      '2026-12-22T18:30 off screen-off',
      // Wednesday 23: closure.
      '2026-12-24T07:45 on screen-on',
      '2026-12-24T12:30 off screen-off',
      '2026-12-24T14:45 on screen-on',
      '2026-12-24T18:30 off screen-off',
      // Friday 25: Noël.
      '2026-12-26T08:45 on screen-on',
      '2026-12-26T13:00 off screen-off',
    ]);
    expect(warnings).toEqual([]);
  });

  it('follows a new manifest: a closure published mid-week keeps the screen off that day', async () => {
    const time = new VirtualTime(at('2026-12-21T10:00'));
    let manifest = week;
    const schedule = new DisplaySchedule({
      channel: 'ccsp-test',
      manifest: () => Promise.resolve(manifest),
      env,
      now: () => time.now,
      timers: time,
      log: () => undefined,
    });
    await schedule.start();
    await time.runUntil(at('2026-12-22T20:00'), schedule);
    manifest = { ...week, closures: [...week.closures!, { from: '2026-12-24', reason: 'Grève' }] };
    await time.runUntil(at('2026-12-26T10:00'), schedule);
    schedule.stop();
    expect(await calls()).toEqual([
      '2026-12-21T10:00 on screen-on',
      '2026-12-21T12:30 off screen-off',
      '2026-12-21T14:45 on screen-on',
      '2026-12-21T18:30 off screen-off',
      '2026-12-22T07:45 on screen-on',
      '2026-12-22T12:30 off screen-off',
      '2026-12-22T14:45 on screen-on',
      '2026-12-22T18:30 off screen-off',
      '2026-12-26T08:45 on screen-on',
    ]);
  });

  it('runs nothing when no command is configured, and still answers display()', async () => {
    const time = new VirtualTime(at('2026-12-21T10:00'));
    const ran: string[] = [];
    const schedule = new DisplaySchedule({
      channel: 'ccsp-test',
      manifest: () => Promise.resolve(week),
      env: {},
      now: () => time.now,
      timers: time,
      run: (command) => {
        ran.push(command);
        return Promise.resolve();
      },
      log: () => undefined,
    });
    await schedule.start();
    expect(schedule.display('ccsp-test')).toBe('on');
    await time.runUntil(at('2026-12-23T10:00'), schedule);
    expect(schedule.display('ccsp-test')).toBe('off');
    schedule.stop();
    expect(ran).toEqual([]);
  });

  it('logs a failing command, never throws, and tries again at the next change', async () => {
    const time = new VirtualTime(at('2026-12-21T10:00'));
    const warnings: string[] = [];
    const schedule = new DisplaySchedule({
      channel: 'ccsp-test',
      manifest: () => Promise.resolve(week),
      env: { ...env, CCSP_DISPLAY_OFF_COMMAND: 'echo "no display found" >&2; exit 3' },
      now: () => time.now,
      timers: time,
      log: (level, m) => level === 'warn' && warnings.push(m),
    });
    await schedule.start();
    await time.runUntil(at('2026-12-22T13:00'), schedule);
    schedule.stop();
    expect(await calls()).toEqual([
      '2026-12-21T10:00 on screen-on',
      '2026-12-21T14:45 on screen-on',
      '2026-12-22T07:45 on screen-on',
    ]);
    expect(warnings).toHaveLength(3); // 12:30, 18:30 and 12:30 the next day, once each
    expect(warnings[0]).toMatch(/could not switch off: .*no display found/);
  });

  it('tries a failed "on" again at the next look: the screen is not left dark for the day', async () => {
    const time = new VirtualTime(at('2026-12-21T10:00'));
    const warnings: string[] = [];
    const counter = join(dir, 'attempts');
    // Busy the first three times (a CEC bus, a compositor still starting), then works.
    const flaky = `n=$(($(cat '${counter}' 2>/dev/null || echo 0) + 1)); echo $n > '${counter}'; if [ $n -le 3 ]; then echo busy >&2; exit 1; fi; ${env.CCSP_DISPLAY_ON_COMMAND}`;
    const schedule = new DisplaySchedule({
      channel: 'ccsp-test',
      manifest: () => Promise.resolve(week),
      env: { ...env, CCSP_DISPLAY_ON_COMMAND: flaky },
      now: () => time.now,
      timers: time,
      log: (level, m) => level === 'warn' && warnings.push(m),
    });
    await schedule.start();
    await time.runUntil(at('2026-12-21T10:10'), schedule);
    schedule.stop();
    expect(await calls()).toEqual(['2026-12-21T10:03 on screen-on']);
    // Logged once, not at every attempt.
    expect(warnings).toEqual([expect.stringMatching(/could not switch on: .*busy/)]);
  });

  it('survives a manifest that cannot be read, and answers "on" for a channel it does not know', async () => {
    const time = new VirtualTime(at('2026-12-21T10:00'));
    const ran: string[] = [];
    const schedule = new DisplaySchedule({
      channel: 'ccsp-test',
      manifest: (c) => (c === 'ccsp-test' ? Promise.reject(new Error('disk error')) : Promise.resolve(week)),
      env,
      now: () => time.now,
      timers: time,
      run: (command) => {
        ran.push(command);
        return Promise.resolve();
      },
      log: () => undefined,
    });
    await schedule.start();
    await time.runUntil(at('2026-12-21T20:00'), schedule);
    expect(ran).toEqual([]);
    expect(schedule.display('ccsp-test')).toBe('on');
    expect(schedule.display('ccsp-other')).toBe('on'); // loading it now
    await new Promise((r) => setTimeout(r, 0));
    expect(schedule.display('ccsp-other')).toBe('off');
    schedule.stop();
  });

  it('keeps the screen on while the box does not know the time, and follows the plan once it does', async () => {
    const time = new VirtualTime(at('2026-12-21T20:00'));
    let known = false;
    const schedule = new DisplaySchedule({
      channel: 'ccsp-test',
      manifest: () => Promise.resolve(week),
      env,
      now: () => time.now,
      clockKnown: () => known,
      timers: time,
      log: () => undefined,
    });
    await schedule.start();
    await time.runUntil(at('2026-12-21T21:00'), schedule);
    known = true;
    await time.runUntil(at('2026-12-22T08:00'), schedule);
    schedule.stop();
    expect(await calls()).toEqual([
      '2026-12-21T20:00 on screen-on',
      '2026-12-21T21:01 off screen-off', // the first look (once a minute) after the clock is known
      '2026-12-22T07:45 on screen-on',
    ]);
  });
});
