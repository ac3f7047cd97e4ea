/**
 * Bytes on the metered link (issue 5 "Benchmarks"): one idle poll of a box's
 * mirror against a ccsp-signage upstream (request and response, headers and
 * body, counted at the upstream's sockets; TLS and TCP overhead not included),
 * and an idle day at the default interval, against a poll without If-None-Match
 * (the whole manifest) as the baseline.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstValueFrom, filter } from 'rxjs';
import { DEFAULT_POLL_INTERVAL_MS } from '../src/core/index.ts';
import { buildApp } from '../src/server/app.ts';
import { openDataDir, publishDirectory } from '../src/server/data-dir.ts';
import { FileStore } from '../src/server/file-store.ts';
import { nodeFetcher, startMirror } from '../src/server/mirror.ts';
import { ratio, target, type Bench } from './harness.ts';

const PLAYLISTS = fileURLToPath(new URL('../playlists', import.meta.url));
const CHANNEL = 'ccsp-lokossa';

const bench: Bench = {
  title: 'Sync: bytes on the metered link (box mirror → upstream)',
  async run() {
    const tmp = await mkdtemp(join(tmpdir(), 'ccsp-bench-sync-'));
    const data = await openDataDir(join(tmp, 'upstream'));
    await publishDirectory(PLAYLISTS, data);
    const app = buildApp({ publicDir: data.publicDir });
    const open = new Set<Socket>();
    const traffic = { in: 0, out: 0 };
    let drained: (() => void)[] = [];
    app.server.on('connection', (socket: Socket) => {
      open.add(socket);
      socket.on('close', () => {
        traffic.in += socket.bytesRead;
        traffic.out += socket.bytesWritten;
        open.delete(socket);
        if (open.size === 0) drained.splice(0).forEach((f) => f());
      });
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/`;
    const idle = () => (open.size === 0 ? Promise.resolve() : new Promise<void>((r) => drained.push(r)));
    const measure = async (fn: () => Promise<unknown>) => {
      await idle();
      const before = traffic.in + traffic.out;
      const inBefore = traffic.in;
      await fn();
      await idle();
      return { total: traffic.in + traffic.out - before, request: traffic.in - inBefore };
    };

    try {
      const fetcher = nodeFetcher();
      const url = `${base}channels/${CHANNEL}/manifest.json`;
      const full = await measure(async () => {
        const res = await fetcher(url, { headers: {} });
        await res.arrayBuffer();
      });

      const mirror = await startMirror({
        upstream: new URL(base),
        channels: [CHANNEL],
        store: new FileStore(join(tmp, 'box', 'public')),
        root: { fingerprint: data.root.fingerprint },
        intervalMs: 3600_000,
      });
      await firstValueFrom(
        mirror.state$.pipe(
          filter((s) => s[CHANNEL]?.active !== undefined && Object.keys(s[CHANNEL].downloads).length === 0),
        ),
      );
      const polls = 20;
      let idleTotal = 0;
      let idleRequest = 0;
      for (let i = 0; i < polls; i++) {
        const m = await measure(async () => {
          const before = (await firstValueFrom(mirror.state$))[CHANNEL]!.lastPoll;
          mirror.pollNow();
          await firstValueFrom(
            mirror.state$.pipe(
              filter((s) => s[CHANNEL]!.lastPoll !== before && s[CHANNEL]!.phase === 'idle'),
            ),
          );
        });
        idleTotal += m.total;
        idleRequest += m.request;
      }
      const outcome = (await firstValueFrom(mirror.state$))[CHANNEL]!.lastPoll?.outcome;
      await mirror.stop();
      if (outcome !== 'not-modified') throw new Error(`the idle poll was not a 304 but ${outcome}`);

      const perPoll = idleTotal / polls;
      const perDay = perPoll * (86_400_000 / DEFAULT_POLL_INTERVAL_MS);
      return [
        {
          case: 'baseline: poll without If-None-Match (whole manifest)',
          value: `${full.total} B (request ${full.request} B)`,
          ratio: '1.0×',
        },
        {
          case: 'idle poll: If-None-Match → 304',
          value: `${perPoll.toFixed(0)} B (request ${(idleRequest / polls).toFixed(0)} B)`,
          ratio: ratio(perPoll, full.total),
          target: target(perPoll <= 300, '≤ 300 B'),
        },
        {
          case: `idle day at the default interval (${DEFAULT_POLL_INTERVAL_MS / 60_000} min, ${86_400_000 / DEFAULT_POLL_INTERVAL_MS} polls)`,
          value: `${(perDay / 1024).toFixed(1)} KiB`,
          ratio: ratio(perDay, full.total),
          target: target(perDay <= 1024 * 1024, '≤ 1 MB'),
        },
        {
          case: 'idle day without If-None-Match, same interval',
          value: `${((full.total * 86_400_000) / DEFAULT_POLL_INTERVAL_MS / 1024).toFixed(1)} KiB`,
        },
      ];
    } finally {
      drained = [];
      await app.close();
      await rm(tmp, { recursive: true, force: true });
    }
  },
};

export default bench;
