/**
 * `ccsp-signage serve` (what `npm start` runs): prepares the data folder (keys and
 * trust root at first run), signs the playlists into it, builds the player if it
 * is missing, and serves everything on HOST:PORT.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildApp } from './app.ts';
import { openDataDir, publishDirectory } from './data-dir.ts';
import { UserError } from './errors.ts';
import { ChannelStore } from './channel-store.ts';
import { powerSource } from './power.ts';
import { DisplaySchedule } from './power-schedule.ts';
import { SeqStore } from './sign-endpoint.ts';
import { FileStore } from './file-store.ts';
import { startMirror, type MirrorHandle } from './mirror.ts';
import { readTokens } from './sign-tokens.ts';
import { serveTelemetry } from './telemetry/index.ts';
import { editorChannels, startPublisher, type Publisher } from './editor/publisher.ts';

export interface ServeOptions {
  playlistsDir: string;
  /** Mirror this host's channels and media instead of signing local playlists (a centre's box). */
  upstream?: string;
  /** The channels to mirror (with `upstream`). */
  channels?: string[];
  /** The trust root's fingerprint pinned at provisioning (with `upstream`; else the local root.json). */
  rootFingerprint?: string;
  dataDir?: string;
  host?: string;
  port?: number;
  distDir?: string;
  /** The ministry's publisher: the editor (accounts, drafts, approvals) signs the channels. */
  publisher?: boolean;
}

/** The newest modification time under the given files and folders. */
async function newestMtime(paths: string[]): Promise<number> {
  let newest = 0;
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) continue;
    if (!info.isDirectory()) {
      newest = Math.max(newest, info.mtimeMs);
      continue;
    }
    for (const e of await readdir(path, { recursive: true, withFileTypes: true })) {
      if (e.isFile()) newest = Math.max(newest, (await stat(join(e.parentPath, e.name))).mtimeMs);
    }
  }
  return newest;
}

/** Builds the player when dist/ is missing or older than its sources (say, after a git pull). */
async function ensurePlayerBuilt(distDir: string): Promise<void> {
  const built = await stat(resolve(distDir, 'index.html')).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  const sources = await newestMtime([
    'index.html',
    'editor',
    'vite.config.ts',
    'src/core',
    'src/player',
    'src/editor',
  ]);
  if (built > 0 && built >= sources) return;
  console.log(`building the player into ${distDir}…`);
  const { build } = await import('vite');
  await build({ logLevel: 'warn', build: { outDir: distDir } });
}

export async function serve(options: ServeOptions): Promise<void> {
  const dataDir = resolve(options.dataDir ?? process.env.CCSP_DATA_DIR ?? '.data');
  const host = options.host ?? process.env.HOST ?? '127.0.0.1';
  const portText = String(options.port ?? process.env.PORT ?? '8080');
  if (!/^\d+$/.test(portText) || Number(portText) > 65535)
    throw new UserError(`PORT must be a number from 0 to 65535, not "${portText}"`);
  const distDir = resolve(options.distDir ?? 'dist');

  const publicDir = join(dataDir, 'public');
  const channelStore = new ChannelStore(publicDir);
  let mirror: MirrorHandle | undefined;
  let editor: Publisher | undefined;
  let channels: string[];
  let fingerprint: string | undefined;
  if (options.upstream) {
    // A centre's box: what the publisher signed, kept on disk; nothing is signed here.
    let upstream: URL;
    try {
      upstream = new URL(options.upstream);
    } catch {
      throw new UserError(
        `--upstream must be a URL such as http://publisher.example:8080/, not "${options.upstream}"`,
      );
    }
    channels = options.channels ?? [];
    if (channels.length === 0) throw new UserError('--upstream needs at least one --channel to mirror');
    const rootFile = join(publicDir, 'trust', 'root.json');
    const haveRoot = await stat(rootFile).then(
      () => true,
      () => false,
    );
    if (!options.rootFingerprint && !haveRoot) {
      throw new UserError(
        '--upstream needs --root-fingerprint (the trust root pinned at provisioning) on first start',
      );
    }
    mirror = await startMirror({
      upstream,
      channels,
      store: new FileStore(publicDir),
      root: options.rootFingerprint ? { fingerprint: options.rootFingerprint } : { file: rootFile },
      clock: channelStore.clock,
      log: (e) => (e.level === 'info' ? console.log : console.warn)(`mirror ${e.channel}: ${e.message}`),
    });
    fingerprint = mirror.root.fingerprint;
    console.log(`mirroring ${channels.join(', ')} from ${upstream.href}`);
  } else if (options.publisher) {
    const data = await openDataDir(dataDir);
    if (data.created)
      console.log(`created a development key pair and trust root in ${dataDir} (keep keys/ private)`);
    editor = await startPublisher(options.playlistsDir, data);
    channels = editor.channels;
    fingerprint = data.root.fingerprint;
  } else {
    // Signing playlists/ over what the editor approved would undo its work.
    const owned = editorChannels(dataDir);
    if (owned.length > 0) {
      throw new UserError(
        `the editor manages the channels of ${dataDir} (${owned.join(', ')}); run "ccsp-signage serve --publisher"`,
      );
    }
    const data = await openDataDir(dataDir);
    if (data.created)
      console.log(`created a development key pair and trust root in ${dataDir} (keep keys/ private)`);
    const published = await publishDirectory(options.playlistsDir, data);
    for (const c of published)
      console.log(`channel ${c.channel}: version ${c.version}${c.signed ? ' (signed now)' : ' (unchanged)'}`);
    channels = published.map((c) => c.channel);
    fingerprint = data.root.fingerprint;
  }
  await ensurePlayerBuilt(distDir);

  const defaultChannel = channels[0];
  let tokens = await readTokens(dataDir);
  // Tokens added with `ccsp-signage sign-token add` are picked up within seconds.
  const reload = setInterval(
    () =>
      void readTokens(dataDir).then(
        (t) => (tokens = t),
        () => undefined,
      ),
    5000,
  );
  reload.unref();
  // Issue 7: the screen switched off outside opening hours (CCSP_DISPLAY_OFF/ON_COMMAND);
  // displays.display(channel) is the heartbeat answer's `display`.
  const displays = new DisplaySchedule({
    channel: defaultChannel,
    manifest: (c) => channelStore.manifest(c),
    now: () => channelStore.clock.now().now,
    clockKnown: () => {
      const t = channelStore.clock.now();
      return !t.implausible || t.source === 'server';
    },
  });
  const power = powerSource();
  // Issue 7: heartbeats on every server; a box keeps them and forwards to its upstream.
  const telemetry = serveTelemetry({
    dataDir,
    publicDir,
    channels: channelStore,
    power,
    display: displays.display,
    upstream: options.upstream ? new URL(options.upstream) : undefined,
    log: (m) => console.warn(m),
  });
  const app = buildApp({
    publicDir,
    distDir,
    defaultChannel,
    routes: [...(editor?.routes ?? []), ...telemetry.routes],
    sign: {
      store: channelStore,
      seq: await SeqStore.open(dataDir),
      power,
      tokens: () => tokens,
      defaultChannel,
    },
  });
  try {
    await app.listen({ host, port: Number(portText) });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new UserError(`${host}:${portText} is already in use; set PORT to another port`);
    if (code === 'EADDRNOTAVAIL') throw new UserError(`${host} is not an address of this machine; set HOST`);
    throw e;
  }
  const address = app.server.address();
  const base =
    typeof address === 'object' && address
      ? `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`
      : '';
  console.log(`\nccsp-signage is serving on ${base}`);
  console.log(`  player       ${base}/`);
  for (const c of channels) console.log(`  channel      ${base}/channels/${c}/manifest.json`);
  console.log(`  trust root   ${base}/trust/root.json (fingerprint ${fingerprint})`);
  console.log(`  media        ${base}/media/<sha256>.<ext>`);
  console.log(
    `  sign status  ${base}/api/sign/v1/status (and status.txt)${tokens.tokens.length ? ', token required' : ''}`,
  );
  console.log(`  LED page     ${base}/?display=sign`);
  if (editor) {
    console.log(`  editor       ${base}/editor/`);
    if (!editor.hasAdmin()) {
      console.log('\nPas encore de compte administrateur. Créez-le avec :');
      console.log('No administrator account yet. Create one with:');
      console.log('  npx ccsp-signage user add <login> --role admin --name "…"');
    }
  }
  console.log('press Ctrl+C to stop');
  void displays.start();
  telemetry.start();

  const stop = () => {
    displays.stop();
    void Promise.resolve(mirror?.stop())
      .then(() => app.close())
      .then(() => telemetry.stop())
      .then(() => editor?.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
