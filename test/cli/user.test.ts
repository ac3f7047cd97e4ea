/**
 * `ccsp-signage user …` against a real data folder: accounts the editor then accepts,
 * one-line errors (exit 1), usage errors (exit 2), nothing added on a refusal.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db.ts';
import { Accounts } from '../../src/server/editor/accounts.ts';
import { BIN, cli, REPO } from './run-cli.ts';

const PASSWORD = 'a password long enough';
let dataDir: string;
const run = (args: string[], env: Record<string, string> = { CCSP_PASSWORD: PASSWORD }) =>
  cli(['user', ...args], { env: { CCSP_DATA_DIR: dataDir, CCSP_PASSWORD: '', ...env } });

beforeEach(async () => {
  dataDir = join(await mkdtemp(join(tmpdir(), 'ccsp-user-')), 'data');
});
afterEach(async () => {
  await rm(join(dataDir, '..'), { recursive: true, force: true });
});

async function withAccounts<T>(f: (a: Accounts) => T | Promise<T>): Promise<T> {
  const db = openDatabase(dataDir);
  try {
    return await f(new Accounts(db));
  } finally {
    db.close();
  }
}

describe('ccsp-signage user', () => {
  it(
    'adds accounts the editor accepts, lists them, changes a password, disables',
    { timeout: 180_000 },
    async () => {
      const add = await run(['add', 'Admin', '--role', 'admin', '--name', 'Awa Dossou']);
      expect(add).toMatchObject({ code: 0, stdout: 'added admin "admin" (Awa Dossou)\n', stderr: '' });
      expect((await run(['add', 'kossi', '--role', 'validateur', '--name', 'Kossi'])).code).toBe(0);
      expect(await withAccounts((a) => a.authenticate('admin', PASSWORD))).toMatchObject({
        login: 'admin',
        role: 'admin',
      });

      const list = await run(['list']);
      expect(list.code).toBe(0);
      expect(list.stdout).toBe(
        [
          'login  role        state     name',
          'admin  admin       active    Awa Dossou',
          'kossi  validateur  active    Kossi',
          '',
        ].join('\n'),
      );

      const passwd = await run(['passwd', 'kossi'], { CCSP_PASSWORD: 'another long password' });
      expect(passwd.code).toBe(0);
      expect(await withAccounts((a) => a.authenticate('kossi', PASSWORD))).toBeUndefined();
      expect(await withAccounts((a) => a.authenticate('kossi', 'another long password'))).toBeDefined();

      expect((await run(['disable', 'kossi'])).stdout).toBe('disabled "kossi"; their sessions have ended\n');
      expect((await run(['list'])).stdout).toContain('kossi  validateur  disabled  Kossi');
      expect((await run(['enable', 'kossi'])).code).toBe(0);
      const actions = await withAccounts((a) =>
        a.db.prepare("SELECT user, action FROM audit WHERE user = 'cli' ORDER BY id").all(),
      );
      expect(actions).toHaveLength(5);
    },
  );

  it('user errors are one line and exit 1; nothing is added', { timeout: 180_000 }, async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [
        ['add', 'awa', '--role', 'admin', '--name', 'A'],
        { CCSP_PASSWORD: 'short' },
        /at least 12 characters/,
      ],
      [
        ['add', 'awa', '--role', 'admin', '--name', 'A'],
        {},
        /no terminal to ask the password on; set CCSP_PASSWORD/,
      ],
      [['add', 'a b', '--role', 'admin', '--name', 'A'], { CCSP_PASSWORD: PASSWORD }, /login "a b" must be/],
      [['passwd', 'nobody'], { CCSP_PASSWORD: PASSWORD }, /no user "nobody"/],
    ];
    for (const [args, env, message] of cases) {
      const r = await run(args, env);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^ccsp-signage user: /);
    }
    expect((await run(['list'])).stdout).toMatch(/^no accounts yet/);

    await run(['add', 'awa', '--role', 'admin', '--name', 'A']);
    const again = await run(['add', 'AWA', '--role', 'redacteur', '--name', 'B']);
    expect(again).toMatchObject({ code: 1, stderr: 'ccsp-signage user: there is already a user "awa"\n' });
    const last = await run(['disable', 'awa']);
    expect(last.code).toBe(1);
    expect(last.stderr).toMatch(/"awa" is the last active admin; add another admin first/);
    expect(await withAccounts((a) => a.list().map((u) => [u.login, u.disabled]))).toEqual([['awa', false]]);
  });

  it('usage errors exit 2', { timeout: 180_000 }, async () => {
    for (const args of [
      ['add', 'awa', '--name', 'A'],
      ['add', 'awa', '--role', 'chef', '--name', 'A'],
      ['add', 'awa', '--role', 'admin'],
      ['add', '--role', 'admin', '--name', 'A'],
      ['remove', 'awa'],
      [],
      ['list', '--colour'],
    ]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('run "ccsp-signage --help" for usage');
    }
  });
});

/** util-linux's `script` gives the command a terminal, as a person typing would. */
const hasScript = spawnSync('script', ['--version']).status === 0;

describe('ccsp-signage user on a terminal', () => {
  it.skipIf(!hasScript)(
    'asks for the password twice without echo, and again when the two differ',
    { timeout: 120_000 },
    async () => {
      const command = [process.execPath, BIN, 'user', 'add', 'awa', '--role', 'admin', '--name', 'Awa']
        .map((a) => `'${a}'`)
        .join(' ');
      const child = spawn('script', ['-qec', command, '/dev/null'], {
        cwd: REPO,
        env: { ...process.env, CCSP_DATA_DIR: dataDir, CCSP_PASSWORD: '' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let output = '';
      const answers = [
        ['new password', 'first password typed\r'],
        ['the same password again', 'not the same one at all\r'],
        ['the two passwords differ', ''],
        ['new password', PASSWORD + '\r'],
        ['the same password again', PASSWORD + '\r'],
      ];
      let seen = 0;
      const onData = (d: Buffer) => {
        output += d.toString();
        // Answer each prompt once it is shown: typed earlier, the terminal would still echo.
        while (answers.length > 0 && output.indexOf(answers[0]![0]!, seen) >= 0) {
          const [prompt, answer] = answers.shift()!;
          seen = output.indexOf(prompt!, seen) + prompt!.length;
          if (answer) child.stdin.write(answer);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code, output).toBe(0);
      expect(output).toContain('added admin "awa" (Awa)');
      for (const typed of ['first password typed', 'not the same one at all', PASSWORD])
        expect(output).not.toContain(typed);
      expect(await withAccounts((a) => a.authenticate('awa', PASSWORD))).toMatchObject({ login: 'awa' });
    },
  );
});
