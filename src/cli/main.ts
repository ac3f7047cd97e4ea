/**
 * The `ccsp-signage` command: keygen, root init|rotate, validate, sign, verify, serve.
 * User errors print one line (plus one per problem) and exit 1; usage errors exit 2.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { basename } from 'node:path';
import {
  lintSchedule,
  type ScheduleWarning,
  sha256Hex,
  formatProblem,
  decodeEnvelope,
  verifyManifest,
  validateManifest,
  fromUtf8,
  manifestMedia,
} from '../core/index.ts';
import { UserError } from '../server/errors.ts';
import { parseUserJson, readUserFile, writeFileAtomic } from '../server/files.ts';
import {
  readPrivateKey,
  readPublicKey,
  readRoot,
  rootDocument,
  signRoot,
  writeKeyPair,
} from '../server/keys.ts';
import { publishPlaylist, readSourcePlaylist } from '../server/publish.ts';
import { serve } from '../server/serve.ts';
import { userCommand } from './user.ts';
import { addToken, readTokens, removeToken, tokenPath } from '../server/sign-tokens.ts';
import { runReport } from '../server/telemetry/report-command.ts';

const USAGE = `ccsp-signage: signed playlists for the CCSP information screens and signs

Usage:
  ccsp-signage keygen --out DIR [--name NAME]
  ccsp-signage root init --root-key KEY... --manifest-key KEY... [--threshold N]
                         [--manifest-threshold N] --out root.json
  ccsp-signage root rotate --previous root.json --previous-key KEY... --root-key KEY...
                           --manifest-key KEY... [--threshold N] [--manifest-threshold N] --out root.json
  ccsp-signage validate FILE...
  ccsp-signage sign FILE --key KEY --out DIR [--version N] [--expires-in DAYS]
  ccsp-signage verify ENVELOPE --root root.json [--channel C] [--min-version N] [--fingerprint SHA256]
  ccsp-signage serve [--playlists DIR]     (HOST, PORT, CCSP_DATA_DIR from the environment)
  ccsp-signage serve --publisher [--playlists DIR]   (the ministry's publisher, with the editor)
  ccsp-signage serve --upstream URL --channel C... [--root-fingerprint SHA256]   (a centre's box)
  ccsp-signage sign-token add NAME | remove NAME | list   (tokens for the sign status endpoint)
  ccsp-signage user add LOGIN --role redacteur|validateur|admin --name NAME   (editor accounts;
                    password asked twice, or CCSP_PASSWORD)
  ccsp-signage user list | passwd LOGIN | disable LOGIN | enable LOGIN
  ccsp-signage report --channel C --from YYYY-MM-DD --to YYYY-MM-DD [--format summary|csv] [--out FILE]

Keys are PEM files: NAME.key.pem (private, PKCS#8) and NAME.pub.pem (public, SPKI).
Documentation: docs/cli.md`;

class UsageError extends UserError {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

function parse(args: string[], options: Options, positionals: 'none' | 'some' = 'none') {
  try {
    const parsed = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: positionals === 'some',
      strict: true,
    });
    return parsed as {
      values: Record<string, string | string[] | boolean | undefined>;
      positionals: string[];
    };
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]!.replace(/\. To specify .*$/, ''));
  }
}

function need(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`missing --${name}`);
  return v;
}

function list(values: Record<string, unknown>, name: string): string[] {
  const v = values[name];
  const out = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  if (out.length === 0) throw new UsageError(`missing --${name}`);
  return out as string[];
}

function wholeNumber(values: Record<string, unknown>, name: string, fallback?: number): number | undefined {
  const v = values[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !/^\d+$/.test(v))
    throw new UsageError(`--${name} must be a whole number, not "${String(v)}"`);
  return Number(v);
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

async function keygen(args: string[]) {
  const { values } = parse(args, { out: { type: 'string' }, name: { type: 'string' } });
  const files = await writeKeyPair(
    need(values, 'out'),
    typeof values.name === 'string' ? values.name : 'signing',
  );
  out(`wrote ${files.privatePath} (private, mode 0600) and ${files.publicPath}`);
  out(`keyid ${files.keyid}`);
}

const rootOptions: Options = {
  'root-key': { type: 'string', multiple: true },
  'manifest-key': { type: 'string', multiple: true },
  threshold: { type: 'string' },
  'manifest-threshold': { type: 'string' },
  out: { type: 'string' },
};

async function root(args: string[]) {
  const [sub, ...rest] = args;
  if (sub === 'init') {
    const { values } = parse(rest, rootOptions);
    const rootKeys = await Promise.all(list(values, 'root-key').map(readPrivateKey));
    const manifestKeys = await Promise.all(list(values, 'manifest-key').map(readPublicKey));
    const doc = rootDocument({
      version: 1,
      rootKeys: rootKeys.map((k) => k.publicKey),
      rootThreshold: wholeNumber(values, 'threshold', 1)!,
      manifestKeys,
      manifestThreshold: wholeNumber(values, 'manifest-threshold', 1)!,
    });
    const path = need(values, 'out');
    const bytes = await signRoot(doc, rootKeys);
    await writeFileAtomic(path, bytes);
    out(
      `wrote ${path}: root version 1, ${doc.roles.root.keyids.length} root key(s) (threshold ${doc.roles.root.threshold}), ${doc.roles.manifest.keyids.length} manifest key(s) (threshold ${doc.roles.manifest.threshold})`,
    );
    out(`fingerprint ${await sha256Hex(bytes)} (pin this on the devices)`);
    return;
  }
  if (sub === 'rotate') {
    const { values } = parse(rest, {
      ...rootOptions,
      previous: { type: 'string' },
      'previous-key': { type: 'string', multiple: true },
    });
    const previous = await readRoot(need(values, 'previous'));
    const previousKeys = await Promise.all(list(values, 'previous-key').map(readPrivateKey));
    const rootKeys = await Promise.all(list(values, 'root-key').map(readPrivateKey));
    const doc = rootDocument({
      version: previous.version + 1,
      rootKeys: rootKeys.map((k) => k.publicKey),
      rootThreshold: wholeNumber(values, 'threshold', 1)!,
      manifestKeys: await Promise.all(list(values, 'manifest-key').map(readPublicKey)),
      manifestThreshold: wholeNumber(values, 'manifest-threshold', 1)!,
    });
    const path = need(values, 'out');
    const bytes = await signRoot(doc, [...previousKeys, ...rootKeys], previous);
    await writeFileAtomic(path, bytes);
    out(
      `wrote ${path}: root version ${doc.version}, signed by root version ${previous.version}'s keys and its own`,
    );
    out(`fingerprint ${await sha256Hex(bytes)}`);
    return;
  }
  throw new UsageError(
    sub
      ? `unknown command "root ${sub}"; use "root init" or "root rotate"`
      : 'missing "init" or "rotate" after "root"',
  );
}

/** Validates source playlists, or signed envelopes (their payload's schema, not their signatures). */
/** Legal but odd schedules: printed, without failing the command. */
function warn(file: string, warnings: ScheduleWarning[]) {
  for (const w of warnings) err(`${file}: ${w.pointer}: warning: ${w.en}`);
}

async function validate(args: string[]) {
  const { positionals } = parse(args, {}, 'some');
  if (positionals.length === 0) throw new UsageError('validate needs at least one FILE');
  const problems: string[] = [];
  for (const file of positionals) {
    try {
      const json = parseUserJson(await readUserFile(file), file);
      if (json && typeof json === 'object' && 'payloadType' in json) {
        let payload: unknown;
        try {
          payload = JSON.parse(fromUtf8(decodeEnvelope(await readUserFile(file)).payload));
        } catch (e) {
          throw new UserError(`${file}: malformed envelope: ${(e as Error).message}`);
        }
        const result = validateManifest(payload);
        if (!result.ok)
          throw new UserError(
            `${file}: invalid`,
            result.problems.map((p) => `${file}: ${formatProblem(p)}`),
          );
        warn(file, lintSchedule(result.value, Date.now()));
      } else {
        warn(file, lintSchedule(await readSourcePlaylist(file), Date.now()));
      }
      out(`${file}: ok`);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      problems.push(...(e.details.length > 0 ? e.details : [e.message]));
    }
  }
  if (problems.length > 0) throw new UserError(`${problems.length} problem(s) found`, problems);
}

async function sign(args: string[]) {
  const { values, positionals } = parse(
    args,
    {
      key: { type: 'string' },
      out: { type: 'string' },
      version: { type: 'string' },
      'expires-in': { type: 'string' },
    },
    'some',
  );
  if (positionals.length !== 1) throw new UsageError('sign takes exactly one playlist FILE');
  const outDir = need(values, 'out');
  const version = wholeNumber(values, 'version');
  const expiresInDays = wholeNumber(values, 'expires-in');
  if (version === 0) throw new UsageError('--version must be 1 or more');
  if (expiresInDays === 0) throw new UsageError('--expires-in must be at least 1 day');
  const key = await readPrivateKey(need(values, 'key'));
  let lastShown = 0;
  const result = await publishPlaylist(positionals[0]!, {
    key,
    outDir,
    ...(version !== undefined ? { version } : {}),
    ...(expiresInDays !== undefined ? { expiresInDays } : {}),
    onProgress: (file, done, total) => {
      // Large media only, at most a line per 10 %.
      if (total < 8 << 20) return;
      const pct = Math.floor((done / total) * 10) * 10;
      if (pct !== lastShown || done === total) err(`hashing ${basename(file)}: ${pct} %`);
      lastShown = pct;
    },
  });
  const mb = (result.mediaBytes / 1e6).toFixed(1);
  out(
    `signed ${result.manifest.channel} version ${result.manifest.version} (${result.manifest.items.length} items, ${result.mediaFiles} media files, ${mb} MB, ${result.copied} copied) with key ${key.publicKey.keyid.slice(0, 16)}…`,
  );
  out(`wrote ${result.manifestPath}; expires ${result.manifest.expires}`);
}

async function verify(args: string[]) {
  const { values, positionals } = parse(
    args,
    {
      root: { type: 'string' },
      channel: { type: 'string' },
      'min-version': { type: 'string' },
      fingerprint: { type: 'string' },
    },
    'some',
  );
  if (positionals.length !== 1) throw new UsageError('verify takes exactly one ENVELOPE file');
  const file = positionals[0]!;
  const trust = await readRoot(
    need(values, 'root'),
    typeof values.fingerprint === 'string' ? values.fingerprint : undefined,
  );
  const minVersion = wholeNumber(values, 'min-version');
  const result = await verifyManifest(await readUserFile(file, 'envelope'), {
    root: trust,
    now: new Date(),
    ...(typeof values.channel === 'string' ? { channel: values.channel } : {}),
    ...(minVersion !== undefined ? { minVersion } : {}),
  });
  if (result.status !== 'accepted') {
    // 'unchanged' needs a current version, which the CLI never passes.
    const error = result.status === 'rejected' ? result.error : undefined;
    throw new UserError(
      `${file}: rejected (${error?.check}): ${error?.message}`,
      error?.check === 'schema' ? error.problems.map((p) => `${file}: ${formatProblem(p)}`) : [],
    );
  }
  const m = result.manifest;
  const media = manifestMedia(m);
  out(
    `${file}: ok, channel ${m.channel} version ${m.version}, ${m.items.length} items, ${media.length} media files, signed by ${result.signedBy} of ${trust.document.roles.manifest.threshold} required key(s), expires ${m.expires}`,
  );
}

/** Per-sign tokens for the status endpoint, in the server's data folder (CCSP_DATA_DIR). */
async function signToken(args: string[]) {
  const [sub, ...rest] = args;
  const { positionals } = parse(rest, {}, 'some');
  const dataDir = process.env.CCSP_DATA_DIR ?? '.data';
  if (sub === 'add' && positionals.length === 1) {
    const token = await addToken(dataDir, positionals[0]!);
    out(`token for sign "${positionals[0]}" (shown once; only its hash is kept in ${tokenPath(dataDir)}):`);
    out(token);
    out('the firmware sends it as "Authorization: Bearer <token>" or "?tk=<token>"');
    return;
  }
  if (sub === 'remove' && positionals.length === 1) {
    await removeToken(dataDir, positionals[0]!);
    out(`removed the token of sign "${positionals[0]}"`);
    return;
  }
  if (sub === 'list' && positionals.length === 0) {
    const { tokens } = await readTokens(dataDir);
    out(
      tokens.length === 0
        ? 'no tokens: the status endpoint is open on the network'
        : tokens.map((t) => t.name).join('\n'),
    );
    return;
  }
  throw new UsageError('use "sign-token add NAME", "sign-token remove NAME" or "sign-token list"');
}

async function serveCommand(args: string[]) {
  const { values } = parse(args, {
    playlists: { type: 'string' },
    upstream: { type: 'string' },
    channel: { type: 'string', multiple: true },
    'root-fingerprint': { type: 'string' },
    publisher: { type: 'boolean' },
  });
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  if (!values.upstream && (values.channel || values['root-fingerprint'])) {
    throw new UsageError('--channel and --root-fingerprint go with --upstream');
  }
  if (values.upstream && values.publisher)
    throw new UsageError('--publisher and --upstream exclude each other');
  const upstream = str('upstream');
  const rootFingerprint = str('root-fingerprint');
  await serve({
    playlistsDir: str('playlists') ?? 'playlists',
    ...(upstream ? { upstream, channels: (values.channel as string[] | undefined) ?? [] } : {}),
    ...(rootFingerprint ? { rootFingerprint } : {}),
    ...(values.publisher ? { publisher: true } : {}),
  });
}

/** Proof of play from the data folder's database (CCSP_DATA_DIR): per item per day, or the raw records. */
async function report(args: string[]) {
  const { values } = parse(args, {
    channel: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
  });
  const format = values.format ?? 'summary';
  if (format !== 'summary' && format !== 'csv')
    throw new UsageError(`--format must be summary or csv, not "${String(format)}"`);
  const file = typeof values.out === 'string' ? values.out : undefined;
  const result = await runReport({
    dataDir: process.env.CCSP_DATA_DIR ?? '.data',
    channel: need(values, 'channel'),
    from: need(values, 'from'),
    to: need(values, 'to'),
    format,
    out: file,
  });
  if (file)
    out(`wrote ${file}: ${result.rows} ${format === 'csv' ? 'records and counts' : 'rows (day, item)'}`);
}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  keygen,
  root,
  validate,
  sign,
  verify,
  serve: serveCommand,
  'sign-token': signToken,
  user: (args) => userCommand(args, { out, usage: (message) => new UsageError(message) }),
  report,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (
    !command ||
    command === '--help' ||
    command === '-h' ||
    command === 'help' ||
    args.includes('--help') ||
    args.includes('-h')
  ) {
    out(USAGE);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  try {
    if (!run) throw new UsageError(`unknown command "${command}"`);
    await run(args);
    return 0;
  } catch (e) {
    if (e instanceof UserError) {
      err(`ccsp-signage ${command}: ${e.message}`);
      for (const line of e.details) err(`  ${line}`);
      if (e instanceof UsageError) err(`run "ccsp-signage --help" for usage`);
      return e instanceof UsageError ? 2 : 1;
    }
    throw e;
  }
}
