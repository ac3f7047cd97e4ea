/**
 * `ccsp-signage serve` as a real child process, for the end-to-end tests and the
 * sign benchmark: a free port, a start that resolves once the server says it is
 * listening, and a stop that waits for the exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { BIN, REPO } from '../cli/run-cli.ts';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface ServeProcess {
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
}

export interface ServeOptions {
  args?: string[];
  env: Record<string, string>;
  /** Where to run it; the checkout by default (it then builds dist/ there when needed). */
  cwd?: string;
}

/** Starts `ccsp-signage serve` and resolves once it prints "press Ctrl+C to stop". */
export function startServe({ args = [], env, cwd = REPO }: ServeOptions): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args], {
      cwd,
      env: { ...process.env, HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 90_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('press Ctrl+C to stop')) {
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
}

/**
 * Runs it from a scratch folder holding a stand-in dist/index.html, on the sample
 * playlists: for tests that need no player, so that no vite build runs into the
 * checkout's dist/ beside the tests that do.
 */
export function startServeWithoutPlayer(cwd: string, env: Record<string, string>): Promise<ServeProcess> {
  mkdirSync(join(cwd, 'dist'), { recursive: true });
  writeFileSync(join(cwd, 'dist', 'index.html'), '<!doctype html><title>ccsp</title>\n');
  return startServe({ args: ['--playlists', join(REPO, 'playlists')], env, cwd });
}

export function stopServe(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    // A child that already exited (or was killed by a signal) will not exit again.
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
