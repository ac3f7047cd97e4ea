import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/index.ts';
import { freePort, startServe, stopServe, type ServeProcess } from './serve-process.ts';

// Issue 5, done when: `serve --upstream` pointing at a second local server mirrors it.

describe('serve --upstream (a centre box mirroring the publisher)', () => {
  let publisher: ServeProcess;
  let box: ServeProcess;
  let up: string;
  let down: string;

  beforeAll(async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    up = `http://127.0.0.1:${p1}`;
    down = `http://127.0.0.1:${p2}`;
    publisher = await startServe({
      env: { PORT: String(p1), CCSP_DATA_DIR: mkdtempSync(join(tmpdir(), 'ccsp-pub-')) },
    });
    const { root } = (await (await fetch(`${up}/config.json`)).json()) as { root: string };
    box = await startServe({
      args: ['--upstream', `${up}/`, '--channel', 'ccsp-lokossa', '--root-fingerprint', root],
      env: { PORT: String(p2), CCSP_DATA_DIR: mkdtempSync(join(tmpdir(), 'ccsp-box-')) },
    });
  }, 180_000);

  afterAll(async () => {
    if (box) await stopServe(box.child);
    if (publisher) await stopServe(publisher.child);
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
