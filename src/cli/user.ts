/**
 * `ccsp-signage user add|list|passwd|disable|enable`: the editor's accounts in the
 * data folder's database (CCSP_DATA_DIR), for the first admin and for recovery.
 * Passwords are read twice from the terminal without echo, or from CCSP_PASSWORD.
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../server/db.ts';
import { UserError } from '../server/errors.ts';
import {
  AccountError,
  Accounts,
  checkLogin,
  checkName,
  checkPassword,
  isRole,
  ROLES,
} from '../server/editor/accounts.ts';
import { audit } from '../server/editor/audit.ts';

export interface UserCommandIo {
  out: (line: string) => void;
  /** Makes the error for a wrong command line (exit 2). */
  usage: (message: string) => Error;
}

const USAGE_HINT =
  'use "user add LOGIN --role redacteur|validateur|admin --name NAME", "user list", "user passwd LOGIN", "user disable LOGIN" or "user enable LOGIN"';

/** Reads a line from the terminal without showing it. */
function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new UserError('cancelled'));
        if (ch === '\u0004' && value === '') return done(new UserError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    // No echo before the prompt shows: what is typed after it must not appear.
    stdin.setRawMode(true);
    process.stderr.write(prompt);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** The new password: CCSP_PASSWORD, or asked twice on the terminal. */
async function newPassword(): Promise<string> {
  const fromEnv = process.env.CCSP_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') {
    checkPasswordOrExit(fromEnv);
    return fromEnv;
  }
  if (!process.stdin.isTTY) {
    throw new UserError('no terminal to ask the password on; set CCSP_PASSWORD for scripts');
  }
  for (;;) {
    const first = await readHidden('new password (12 characters or more): ');
    try {
      checkPassword(first);
    } catch (e) {
      if (!(e instanceof AccountError)) throw e;
      process.stderr.write(`${e.message}\n`);
      continue;
    }
    const second = await readHidden('the same password again: ');
    if (first === second) return first;
    process.stderr.write('the two passwords differ; try again\n');
  }
}

function checkPasswordOrExit(password: string): void {
  try {
    checkPassword(password);
  } catch (e) {
    if (e instanceof AccountError) throw new UserError(`CCSP_PASSWORD: ${e.message}`);
    throw e;
  }
}

export async function userCommand(args: string[], io: UserCommandIo): Promise<void> {
  const [sub, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { role: { type: 'string' }, name: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw io.usage((e as Error).message.split('\n')[0]!);
  }
  const { values, positionals } = parsed;
  const login = positionals[0];
  const needsLogin = sub === 'add' || sub === 'passwd' || sub === 'disable' || sub === 'enable';
  if (!sub || !['add', 'list', 'passwd', 'disable', 'enable'].includes(sub)) throw io.usage(USAGE_HINT);
  if (needsLogin ? positionals.length !== 1 : positionals.length !== 0) throw io.usage(USAGE_HINT);
  if (sub !== 'add' && (values.role !== undefined || values.name !== undefined))
    throw io.usage('--role and --name go with "user add"');

  if (sub === 'add') {
    if (!values.role) throw io.usage('missing --role (redacteur, validateur or admin)');
    if (!isRole(values.role))
      throw io.usage(`--role must be one of ${ROLES.join(', ')}, not "${values.role}"`);
    if (!values.name) throw io.usage('missing --name (the person’s name, as the editor shows it)');
  }

  const dataDir = process.env.CCSP_DATA_DIR ?? '.data';
  const db = openDatabase(dataDir);
  try {
    const accounts = new Accounts(db);
    if (sub === 'list') {
      const users = accounts.list();
      if (users.length === 0) {
        io.out(
          `no accounts yet in ${dataDir}; create the first with "ccsp-signage user add LOGIN --role admin --name NAME"`,
        );
        return;
      }
      const width = Math.max(...users.map((u) => u.login.length), 5);
      io.out(`${'login'.padEnd(width)}  ${'role'.padEnd(10)}  ${'state'.padEnd(8)}  name`);
      for (const u of users)
        io.out(
          `${u.login.padEnd(width)}  ${u.role.padEnd(10)}  ${(u.disabled ? 'disabled' : 'active').padEnd(8)}  ${u.name}`,
        );
      return;
    }
    if (sub === 'add') {
      // Refuse a bad or taken login before asking for a password.
      checkLogin(login!);
      checkName(values.name!);
      if (accounts.byLogin(login!)) throw new UserError(`there is already a user "${login!.toLowerCase()}"`);
      const password = await newPassword();
      const user = await accounts.add({ login: login!, role: values.role!, name: values.name!, password });
      audit(db, 'cli', 'user-add', null, { login: user.login, role: user.role });
      io.out(`added ${user.role} "${user.login}" (${user.name})`);
      return;
    }
    const user = accounts.byLogin(login!);
    if (!user) throw new UserError(`no user "${login}"; see "ccsp-signage user list"`);
    if (sub === 'passwd') {
      const password = await newPassword();
      await accounts.update(user.id, { password });
      audit(db, 'cli', 'user-update', null, { login: user.login, password: 'changed' });
      io.out(`changed the password of "${user.login}"; their sessions have ended`);
      return;
    }
    const disabled = sub === 'disable';
    if (disabled && accounts.removesLastAdmin(user.id, { disabled: true }))
      throw new UserError(`"${user.login}" is the last active admin; add another admin first`);
    await accounts.update(user.id, { disabled });
    audit(db, 'cli', 'user-update', null, { login: user.login, disabled });
    io.out(disabled ? `disabled "${user.login}"; their sessions have ended` : `enabled "${user.login}"`);
  } catch (e) {
    if (e instanceof AccountError) throw new UserError(e.message);
    throw e;
  } finally {
    db.close();
  }
}
