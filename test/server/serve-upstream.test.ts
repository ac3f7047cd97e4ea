import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/index.ts';
import { BIN, REPO } from '../cli/run-cli.ts';

// Issue 5, done when: `serve --upstream` pointing at a second local server mirrors it.
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function start(
  args: string[],
  env: Record<string, string>,
  until: RegExp,
): Promise<{ child: ChildProcess; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args], {
      cwd: REPO,
      env: { ...process.env, HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`serve did not get ready:\n${output}`)), 90_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (until.test(output)) {
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

describe('serve --upstream (a centre box mirroring the publisher)', () => {
  let publisher: { child: ChildProcess; output: () => string };
  let box: { child: ChildProcess; output: () => string };
  let up: string;
  let down: string;

  beforeAll(async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    up = `http://127.0.0.1:${p1}`;
    down = `http://127.0.0.1:${p2}`;
    publisher = await start(
      [],
      { PORT: String(p1), CCSP_DATA_DIR: mkdtempSync(join(tmpdir(), 'ccsp-pub-')) },
      /press Ctrl\+C/,
    );
    const { root } = (await (await fetch(`${up}/config.json`)).json()) as { root: string };
    box = await start(
      ['--upstream', `${up}/`, '--channel', 'ccsp-lokossa', '--root-fingerprint', root],
      { PORT: String(p2), CCSP_DATA_DIR: mkdtempSync(join(tmpdir(), 'ccsp-box-')) },
      /press Ctrl\+C/,
    );
  }, 180_000);

  afterAll(async () => {
    if (box) await stop(box.child);
    if (publisher) await stop(publisher.child);
  });

  it('serves the same signed manifest, root and media as the publisher', async () => {
    const get = async (base: string, path: string) =>
      new Uint8Array(await (await fetch(`${base}${path}`)).arrayBuffer());
    // The mirror commits once the media for the next 24 hours are in: wait for it.
    for (
      let i = 0;
      i < 100 && (await fetch(`${down}/channels/ccsp-lokossa/manifest.json`)).status !== 200;
      i++
    ) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const manifest = await get(down, '/channels/ccsp-lokossa/manifest.json');
    expect(await sha256Hex(manifest)).toBe(
      await sha256Hex(await get(up, '/channels/ccsp-lokossa/manifest.json')),
    );
    expect(await sha256Hex(await get(down, '/trust/root.json'))).toBe(
      await sha256Hex(await get(up, '/trust/root.json')),
    );
    expect(box.output()).toContain(`mirroring ccsp-lokossa from ${up}/`);
    expect(box.output()).not.toContain('created a development key pair');
  });

  it('answers the sign status from the mirrored manifest', async () => {
    const r = await fetch(`${down}/api/sign/v1/status`);
    expect(r.status).toBe(200);
    expect(((await r.json()) as { v: number }).v).toBe(1);
  });
});
