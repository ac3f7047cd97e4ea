/**
 * The centre's power state (`ok`, `eco`, `crit`), from a file a charge controller
 * writes or a command that prints it: CCSP_POWER_FILE or CCSP_POWER_COMMAND.
 * Without either, power is `ok`. Shared by the sign and, later, the player.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { PowerState } from '../core/index.ts';

const STATES = new Set<PowerState>(['ok', 'eco', 'crit']);
/** A command is not run more often than this. */
const COMMAND_CACHE_MS = 30_000;

export interface PowerSource {
  read(): Promise<PowerState>;
}

export function powerSource(
  env: NodeJS.ProcessEnv = process.env,
  warn = console.warn,
  /** How long a reading of the power file holds. */
  fileCacheMs = 1000,
): PowerSource {
  const parse = (text: string, from: string): PowerState => {
    const value = text.trim().toLowerCase();
    if (STATES.has(value as PowerState)) return value as PowerState;
    warn(
      `power: ${from} said ${JSON.stringify(text.trim().slice(0, 40))}, expected ok, eco or crit; assuming ok`,
    );
    return 'ok';
  };
  if (env.CCSP_POWER_FILE) {
    const path = env.CCSP_POWER_FILE;
    // Read at most once a second: the sign endpoint asks on every request.
    let cached: { at: number; value: Promise<PowerState> } | undefined;
    return {
      read: () => {
        const now = Date.now();
        if (!cached || now - cached.at >= fileCacheMs || now < cached.at) {
          cached = {
            at: now,
            value: readFile(path, 'utf8').then(
              (text) => parse(text, path),
              () => 'ok' as const,
            ),
          };
        }
        return cached.value;
      },
    };
  }
  if (env.CCSP_POWER_COMMAND) {
    const command = env.CCSP_POWER_COMMAND;
    let cached: { at: number; value: PowerState } | undefined;
    return {
      read: () => {
        if (cached && Date.now() - cached.at < COMMAND_CACHE_MS) return Promise.resolve(cached.value);
        return new Promise((resolve) => {
          execFile('/bin/sh', ['-c', command], { timeout: 5000 }, (error, stdout) => {
            const value = error ? 'ok' : parse(stdout, command);
            cached = { at: Date.now(), value };
            resolve(value);
          });
        });
      },
    };
  }
  return { read: () => Promise.resolve('ok') };
}
