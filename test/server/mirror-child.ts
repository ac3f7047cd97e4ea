/**
 * The mirror in its own process, for the SIGKILL test (test/server/mirror.test.ts):
 * MIRROR_UPSTREAM, MIRROR_STORE, MIRROR_FINGERPRINT, MIRROR_CHANNEL. Prints one
 * JSON line per committed version.
 */
import { FileStore } from '../../src/server/file-store.ts';
import { startMirror } from '../../src/server/mirror.ts';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const mirror = await startMirror({
  upstream: new URL(env('MIRROR_UPSTREAM')),
  channels: [env('MIRROR_CHANNEL')],
  store: new FileStore(env('MIRROR_STORE')),
  root: { fingerprint: env('MIRROR_FINGERPRINT') },
  intervalMs: 3600_000,
  random: () => 0.02,
});
let last: number | undefined;
mirror.state$.subscribe((states) => {
  const version = states[env('MIRROR_CHANNEL')]?.active?.version;
  if (version !== undefined && version !== last) {
    last = version;
    process.stdout.write(`${JSON.stringify({ active: version })}\n`);
  }
});
