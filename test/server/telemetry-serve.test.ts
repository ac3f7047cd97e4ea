import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db.ts';
import { REPO } from '../cli/run-cli.ts';
import { freePort, startServe, stopServe, type ServeProcess } from './serve-process.ts';
import { heartbeat, post, record } from './telemetry-helpers.ts';

// `ccsp-signage serve` wires telemetry in both modes: a heartbeat sent to a centre's
// box (serve --upstream) is kept there and arrives at the publisher (serve --publisher).

describe('serve: heartbeats on the box, forwarded to the publisher', () => {
  let publisher: ServeProcess;
  let box: ServeProcess;
  let up: string;
  let down: string;
  let publisherData: string;
  let boxData: string;

  beforeAll(async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    up = `http://127.0.0.1:${p1}`;
    down = `http://127.0.0.1:${p2}`;
    const cwd = mkdtempSync(join(tmpdir(), 'ccsp-serve-telemetry-'));
    mkdirSync(join(cwd, 'dist'));
    writeFileSync(join(cwd, 'dist', 'index.html'), '<!doctype html><title>ccsp</title>\n');
    publisherData = join(cwd, 'publisher');
    boxData = join(cwd, 'box');
    publisher = await startServe({
      args: ['--publisher', '--playlists', join(REPO, 'playlists')],
      env: { PORT: String(p1), CCSP_DATA_DIR: publisherData },
      cwd,
    });
    const { root } = (await (await fetch(`${up}/config.json`)).json()) as { root: string };
    box = await startServe({
      args: ['--upstream', `${up}/`, '--channel', 'ccsp-lokossa', '--root-fingerprint', root],
      env: {
        PORT: String(p2),
        CCSP_DATA_DIR: boxData,
        CCSP_BOX_ID: 'box-lokossa',
        CCSP_FORWARD_EVERY_S: '1',
      },
      cwd,
    });
  }, 180_000);

  afterAll(async () => {
    if (box) await stopServe(box.child);
    if (publisher) await stopServe(publisher.child);
  });

  it('the box acknowledges, keeps and forwards; the publisher stores once', async () => {
    const body = heartbeat({ plays: { batch: 'b-1', records: [record(1), record(2)], counts: [] } });
    const res = await post(`${down}/api/telemetry/v1/heartbeat`, body);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ack: 'b-1', intervalS: 60, power: 'ok' });
    await post(`${down}/api/telemetry/v1/heartbeat`, body); // a retry
    const db = openDatabase(publisherData);
    try {
      let n = 0;
      for (let i = 0; i < 400 && n < 2; i++) {
        await new Promise((r) => setTimeout(r, 100));
        n = (
          db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'plays'").get() as { n: number }
        ).n
          ? (db.prepare('SELECT count(*) AS n FROM plays').get() as { n: number }).n
          : 0;
      }
      expect(n).toBe(2);
      expect(db.prepare('SELECT id, via FROM players').all()).toEqual([
        { id: 'p-3f9c0a1e7d2b4c55', via: 'box-lokossa' },
      ]);
    } finally {
      db.close();
    }
    const boxDb = openDatabase(boxData);
    expect((boxDb.prepare('SELECT count(*) AS n FROM plays').get() as { n: number }).n).toBe(2);
    boxDb.close();
  }, 60_000);

  it('the box has no forward endpoint; the publisher has', async () => {
    expect((await post(`${down}/api/telemetry/v1/forward`, '{}')).status).toBe(404);
    expect((await post(`${up}/api/telemetry/v1/forward`, '{}')).status).toBe(400);
  });

  it('the fleet view needs a session on the publisher, and is a 404 where the editor is off', async () => {
    expect((await fetch(`${up}/api/editor/fleet`)).status).toBe(401);
    expect(
      (await fetch(`${up}/api/telemetry/v1/report?channel=ccsp-lokossa&from=2026-12-01&to=2026-12-01`))
        .status,
    ).toBe(401);
    expect((await fetch(`${down}/api/editor/fleet`)).status).toBe(404);
  });
});
