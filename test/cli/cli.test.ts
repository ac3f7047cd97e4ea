import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePublicKeyPem } from '../../src/core/index.ts';
import { cli, REPO } from './run-cli.ts';

const PLAYLIST = join(REPO, 'playlists', 'ccsp-lokossa.json');
let dir: string;
let root: string;
let envelope: string;

/** The CLI never shows a stack trace for a user's mistake. */
function expectOneCleanError(stderr: string, pattern: RegExp) {
  expect(stderr).toMatch(pattern);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/Error:/);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ccsp-cli-'));
  expect((await cli(['keygen', '--out', join(dir, 'keys'), '--name', 'root'])).code).toBe(0);
  expect((await cli(['keygen', '--out', join(dir, 'keys'), '--name', 'manifest'])).code).toBe(0);
  root = join(dir, 'root.json');
  const init = await cli([
    'root',
    'init',
    '--root-key',
    join(dir, 'keys/root.key.pem'),
    '--manifest-key',
    join(dir, 'keys/manifest.pub.pem'),
    '--out',
    root,
  ]);
  expect(init.code, init.stderr).toBe(0);
  const sign = await cli([
    'sign',
    PLAYLIST,
    '--key',
    join(dir, 'keys/manifest.key.pem'),
    '--out',
    join(dir, 'out'),
  ]);
  expect(sign.code, sign.stderr).toBe(0);
  envelope = join(dir, 'out/channels/ccsp-lokossa/manifest.json');
}, 60_000);

describe('the CLI round trip', () => {
  it('keygen writes a 0600 private key and prints the keyid of the public key', async () => {
    const r = await cli(['keygen', '--out', join(dir, 'more'), '--name', 'k']);
    expect(r.code).toBe(0);
    expect(statSync(join(dir, 'more/k.key.pem')).mode & 0o777).toBe(0o600);
    const pub = await parsePublicKeyPem(readFileSync(join(dir, 'more/k.pub.pem'), 'utf8'));
    expect(r.stdout).toContain(`keyid ${pub.keyid}`);
  });

  it('root init prints the fingerprint to pin', async () => {
    const sha = execFileSync('sha256sum', [root]).toString().split(' ')[0];
    const r = await cli([
      'root',
      'init',
      '--root-key',
      join(dir, 'keys/root.key.pem'),
      '--manifest-key',
      join(dir, 'keys/manifest.key.pem'),
      '--out',
      join(dir, 'root-b.json'),
    ]);
    expect(r.code).toBe(0);
    const shaB = execFileSync('sha256sum', [join(dir, 'root-b.json')])
      .toString()
      .split(' ')[0];
    expect(r.stdout).toContain(`fingerprint ${shaB}`);
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sign writes the channel manifest and content-addressed media, and bumps the version', async () => {
    expect(readFileSync(envelope, 'utf8')).toContain(
      '"payloadType": "application/vnd.ccsp-signage.manifest+json"',
    );
    const again = await cli([
      'sign',
      PLAYLIST,
      '--key',
      join(dir, 'keys/manifest.key.pem'),
      '--out',
      join(dir, 'out2'),
    ]);
    expect(again.stdout).toMatch(/signed ccsp-lokossa version 1 /);
    const third = await cli([
      'sign',
      PLAYLIST,
      '--key',
      join(dir, 'keys/manifest.key.pem'),
      '--out',
      join(dir, 'out2'),
    ]);
    expect(third.stdout).toMatch(/signed ccsp-lokossa version 2 .* 0 copied/);
  });

  it('verify accepts the signed manifest with a one-line summary', async () => {
    const r = await cli(['verify', envelope, '--root', root, '--channel', 'ccsp-lokossa']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/ok, channel ccsp-lokossa version 1, 8 items, 16 media files, signed by 1 of 1/);
  });

  it('verify names the failed check: signature, channel, rollback', async () => {
    const tampered = join(dir, 'tampered.json');
    const env = JSON.parse(readFileSync(envelope, 'utf8')) as { payload: string };
    const payload = Buffer.from(env.payload, 'base64').toString('utf8').replace('Bienvenue', 'Bienvenus');
    writeFileSync(tampered, JSON.stringify({ ...env, payload: Buffer.from(payload).toString('base64') }));
    const sig = await cli(['verify', tampered, '--root', root]);
    expect(sig.code).toBe(1);
    expectOneCleanError(sig.stderr, /rejected \(signature\): signature threshold not met: 0 of 1/);

    const channel = await cli(['verify', envelope, '--root', root, '--channel', 'ccsp-ouidah']);
    expect(channel.code).toBe(1);
    expectOneCleanError(channel.stderr, /rejected \(channel\)/);

    const rollback = await cli(['verify', envelope, '--root', root, '--min-version', '5']);
    expect(rollback.code).toBe(1);
    expectOneCleanError(rollback.stderr, /rejected \(rollback\): rollback from version 5 to 1/);
  });

  it('verify refuses a root that does not match the pinned fingerprint', async () => {
    const r = await cli(['verify', envelope, '--root', root, '--fingerprint', '0'.repeat(64)]);
    expect(r.code).toBe(1);
    expectOneCleanError(r.stderr, /fingerprint .* not the pinned/);
  });

  it('validate lists every problem with file, pointer and message, and exits 1', async () => {
    const bad = join(dir, 'bad.json');
    const source = JSON.parse(readFileSync(PLAYLIST, 'utf8')) as { items: Record<string, unknown>[] };
    source.items[3]!.duration = -2;
    source.items[0]!.title = '';
    source.items[1]!.image = 'nowhere.svg';
    writeFileSync(bad, JSON.stringify(source));
    const r = await cli(['validate', PLAYLIST, bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${PLAYLIST}: ok`);
    expect(r.stderr).toContain(`${bad}: /items/3/duration: must be a positive number of seconds`);
    expect(r.stderr).toContain(`${bad}: /items/0/title: must not be empty`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('validate reports a missing media file with its pointer', async () => {
    const bad = join(dir, 'missing-media.json');
    const source = JSON.parse(readFileSync(PLAYLIST, 'utf8')) as { items: Record<string, unknown>[] };
    source.items[1]!.image = 'nowhere.svg';
    writeFileSync(bad, JSON.stringify(source));
    const r = await cli(['validate', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missing-media\.json: \/items\/1\/image: file not found: .*nowhere\.svg/);
  });

  it('validate prints schedule warnings without failing', async () => {
    const odd = join(dir, 'odd.json');
    const source = JSON.parse(readFileSync(PLAYLIST, 'utf8')) as { items: Record<string, unknown>[] };
    source.items[0]!.schedule = { until: '2025-01-01' };
    // Rewrite the media paths: the copy lives in another folder.
    const text = JSON.stringify(source).replaceAll('../assets/', `${REPO}/assets/`);
    writeFileSync(odd, text);
    const r = await cli(['validate', odd]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${odd}: ok`);
    expect(r.stderr).toContain(
      `${odd}: /items/0/schedule/until: warning: has already ended: the item will never play`,
    );
  });

  it('validate checks the schema of a signed envelope', async () => {
    const r = await cli(['validate', envelope]);
    expect(r.code).toBe(0);
  });

  it('root rotate makes version 2, signed by the old root keys and the new ones', async () => {
    await cli(['keygen', '--out', join(dir, 'keys'), '--name', 'root2']);
    const next = join(dir, 'root2.json');
    const r = await cli([
      'root',
      'rotate',
      '--previous',
      root,
      '--previous-key',
      join(dir, 'keys/root.key.pem'),
      '--root-key',
      join(dir, 'keys/root2.key.pem'),
      '--manifest-key',
      join(dir, 'keys/manifest.pub.pem'),
      '--out',
      next,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/root version 2/);
    expect((await cli(['verify', envelope, '--root', next])).code).toBe(0);
  });
});

describe('sign-token', () => {
  it('adds a token shown once and stored hashed, lists it and removes it', async () => {
    const env = { CCSP_DATA_DIR: join(dir, 'tokens') };
    const add = await cli(['sign-token', 'add', 'enseigne-mairie'], { env });
    expect(add.code, add.stderr).toBe(0);
    const token = add.stdout.split('\n')[1]!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(readFileSync(join(dir, 'tokens', 'sign-tokens.json'), 'utf8')).not.toContain(token);
    expect(statSync(join(dir, 'tokens', 'sign-tokens.json')).mode & 0o777).toBe(0o600);
    expect((await cli(['sign-token', 'list'], { env })).stdout.trim()).toBe('enseigne-mairie');
    const again = await cli(['sign-token', 'add', 'enseigne-mairie'], { env });
    expect(again.code).toBe(1);
    expectOneCleanError(again.stderr, /a token named "enseigne-mairie" exists/);
    expect((await cli(['sign-token', 'remove', 'enseigne-mairie'], { env })).code).toBe(0);
    expect((await cli(['sign-token', 'list'], { env })).stdout).toMatch(/no tokens/);
  });
});

describe('user errors: one clear line, non-zero exit, no stack trace', () => {
  it.each([
    ['a missing playlist', ['validate', 'nope.json'], 1, /file not found: nope\.json/],
    [
      'a missing key file',
      ['sign', PLAYLIST, '--key', '/nonexistent/k.pem', '--out', '/tmp/x'],
      1,
      /key file not found/,
    ],
    [
      'a missing envelope',
      ['verify', '/nonexistent.json', '--root', '/nonexistent-root.json'],
      1,
      /not found/,
    ],
    ['a missing option', ['sign', PLAYLIST, '--out', '/tmp/x'], 2, /missing --key/],
    ['an unknown option', ['keygen', '--out', '/tmp/x', '--colour', 'red'], 2, /Unknown option '--colour'/],
    ['an unknown command', ['publish-everything'], 2, /unknown command "publish-everything"/],
    [
      'a version that is not a number',
      ['sign', PLAYLIST, '--key', 'k', '--out', 'o', '--version', 'ten'],
      2,
      /--version must be a whole number/,
    ],
  ])('%s', async (_name, args, code, pattern) => {
    const r = await cli(args);
    expect(r.code).toBe(code);
    expectOneCleanError(r.stderr, pattern);
  });

  it('a public key given to sign', async () => {
    const r = await cli([
      'sign',
      PLAYLIST,
      '--key',
      join(dir, 'keys/manifest.pub.pem'),
      '--out',
      join(dir, 'x'),
    ]);
    expect(r.code).toBe(1);
    expectOneCleanError(r.stderr, /this is a public key; signing needs the private key/);
  });

  it('a key of the wrong type (P-256 from openssl)', async () => {
    const p256 = join(dir, 'p256.pem');
    execFileSync('openssl', [
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-out',
      p256,
    ]);
    const r = await cli(['sign', PLAYLIST, '--key', p256, '--out', join(dir, 'x')]);
    expect(r.code).toBe(1);
    expectOneCleanError(r.stderr, /p256\.pem: the private key is not an Ed25519 key/);
  });

  it('an unreadable PEM', async () => {
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'this is not a key\n');
    const r = await cli(['sign', PLAYLIST, '--key', junk, '--out', join(dir, 'x')]);
    expect(r.code).toBe(1);
    expectOneCleanError(r.stderr, /junk\.pem: not a PEM "PRIVATE KEY" block/);
  });

  it('bad JSON, with line and column', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{\n  "channel": "x",\n  "site": }\n');
    const r = await cli(['validate', broken]);
    expect(r.code).toBe(1);
    expectOneCleanError(r.stderr, /broken\.json:3:11: invalid JSON/);
  });

  it('a root file that is not a root', async () => {
    const r = await cli(['verify', envelope, '--root', envelope]);
    expect(r.code).toBe(1);
    expectOneCleanError(r.stderr, /unexpected payloadType/);
  });

  it('serve with a playlists folder that does not exist', async () => {
    const r = await cli(['serve', '--playlists', join(dir, 'nowhere')], {
      env: { CCSP_DATA_DIR: join(dir, 'data') },
    });
    expect(r.code).toBe(1);
    expectOneCleanError(r.stderr, /playlists folder not found: .*nowhere/);
  });

  it('keygen refuses to overwrite a key', async () => {
    const r = await cli(['keygen', '--out', join(dir, 'keys'), '--name', 'root']);
    expect(r.code).toBe(1);
    expectOneCleanError(r.stderr, /root\.key\.pem already exists/);
  });

  it('sign refuses a version that does not go up', async () => {
    const out = join(dir, 'out');
    const r = await cli([
      'sign',
      PLAYLIST,
      '--key',
      join(dir, 'keys/manifest.key.pem'),
      '--out',
      out,
      '--version',
      '1',
    ]);
    expect(r.code).toBe(1);
    expectOneCleanError(r.stderr, /version 1 is not above the published version 1/);
  });

  it('sign refuses a media file whose content does not match its name', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ccsp-cli-media-'));
    const source = JSON.parse(readFileSync(PLAYLIST, 'utf8')) as { items: Record<string, unknown>[] };
    copyFileSync(join(REPO, 'assets/video/casier-judiciaire.fr.vtt'), join(work, 'fake.svg'));
    source.items[0]!.image = 'fake.svg';
    writeFileSync(join(work, 'p.json'), JSON.stringify({ ...source, items: [source.items[0]] }));
    const r = await cli([
      'sign',
      join(work, 'p.json'),
      '--key',
      join(dir, 'keys/manifest.key.pem'),
      '--out',
      join(work, 'out'),
    ]);
    expect(r.code).toBe(1);
    expectOneCleanError(r.stderr, /\/items\/0\/image: fake\.svg looks like text\/vtt/);
  });
});

it('--help prints the usage and exits 0', async () => {
  const r = await cli(['--help']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/ccsp-signage sign FILE --key KEY --out DIR/);
});
