/**
 * The sign status endpoint under load (issue 6, "Benchmark"): requests per second
 * and p99 latency of GET /api/sign/v1/status on loopback, against nginx serving
 * the same bytes as a static file in the same run. Both are driven by the same
 * `wrk` command. The endpoint answers `Connection: close` (a sign makes one
 * request per poll), so nginx is set to close too (`keepalive_timeout 0`): both
 * pay for a new TCP connection per request. nginx gets one worker, as Node has
 * one event loop; the server runs as a child process (the real
 * `ccsp-signage serve`), so that wrk and it do not share an event loop. A bare
 * node:http server sending the same bytes shows what Node itself manages here,
 * so that the endpoint's own cost per request shows apart from Node's.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort, startServeWithoutPlayer, stopServe } from '../test/server/serve-process.ts';
import { target, type Bench, type BenchRow } from './harness.ts';

const PATH = '/api/sign/v1/status';
const WRK_ARGS = ['-t1', '-c16', '-d5s', '--latency'];
const WARM_UP_ARGS = ['-t1', '-c16', '-d1s'];

interface Load {
  rps: number;
  p99Ms: number;
  /** wrk's "Non-2xx or 3xx responses" and socket errors, which would void the figure. */
  errors: number;
}

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/** nginx and wrk from Debian, installed once if missing; returns what is still missing. */
function ensureTools(): string[] {
  const missing = () => ['nginx', 'wrk'].filter((c) => !has(c));
  if (missing().length === 0) return [];
  spawnSync(
    'sh',
    ['-c', 'apt-get update -qq && apt-get install -y -qq --no-install-recommends nginx-light wrk'],
    { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } },
  );
  return missing();
}

/**
 * The same bytes from a bare node:http server with Connection: close: what Node
 * itself can do here, so that the endpoint's own cost shows apart from Node's.
 */
const BARE_NODE = `
const [body, port] = [Buffer.from(process.argv[1], 'base64'), Number(process.argv[2])];
require('node:http')
  .createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length, Connection: 'close' });
    res.end(body);
  })
  .listen(port, '127.0.0.1', () => console.log('ready'));
`;

function startBareNode(body: Buffer, port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', BARE_NODE, body.toString('base64'), String(port)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.once('data', () => resolve(child));
    child.on('exit', (code) => reject(new Error(`the bare node:http server exited with ${code}`)));
  });
}

/** nginx in the foreground with everything (config, pid, logs, temp files) in a scratch folder. */
async function startNginx(dir: string, root: string, port: number): Promise<ChildProcess> {
  mkdirSync(dir);
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;
worker_processes 1;
${process.getuid?.() === 0 ? 'user root;' : ''}
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  server_tokens off;
  keepalive_timeout 0;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  types { application/json json; }
  server {
    listen 127.0.0.1:${port};
    root ${root};
  }
}
`,
  );
  const child = spawn('nginx', ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => s.end(() => resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (up) return child;
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGTERM');
  const log = (() => {
    try {
      return readFileSync(join(dir, 'error.log'), 'utf8');
    } catch {
      return '(no error.log)';
    }
  })();
  throw new Error(`nginx did not start:\n${log}`);
}

/** GET over a fresh connection: status, headers and body bytes. */
function get(url: string): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };

function wrk(url: string): Load {
  spawnSync('wrk', [...WARM_UP_ARGS, url], { stdio: 'ignore' });
  const result = spawnSync('wrk', [...WRK_ARGS, url], { encoding: 'utf8' });
  const out = `${result.stdout}${result.stderr}`;
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s)\s*$/m.exec(out);
  if (result.status !== 0 || !rps || !p99) throw new Error(`wrk failed on ${url}:\n${out}`);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = socket ? socket.slice(1).reduce((n, x) => n + Number(x), 0) : 0;
  return { rps: Number(rps[1]), p99Ms: Number(p99[1]) * MS[p99[2]!]!, errors: non2xx + socketErrors };
}

/** Without wrk: 16 loops of fresh-connection GETs for 5 s, from this process. */
async function nodeLoad(url: string): Promise<Load> {
  const samples: number[] = [];
  let errors = 0;
  const end = performance.now() + 5000;
  const loop = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const r = await get(url).catch(() => undefined);
      if (r?.status === 200) samples.push(performance.now() - t0);
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: 16 }, loop));
  samples.sort((a, b) => a - b);
  return { rps: samples.length / 5, p99Ms: samples[Math.floor(samples.length * 0.99)] ?? NaN, errors };
}

/** Two decimals: harness.ts's one would print 0.46 as "0.5×" beside a missed "≥ 0.5×" target. */
const ratio = (value: number, baseline: number) => `${(value / baseline).toFixed(2)}×`;
const rate = (l: Load) => `${Math.round(l.rps)} req/s${l.errors ? ` (${l.errors} errors)` : ''}`;
const ms = (l: Load) => `${l.p99Ms.toFixed(2)} ms`;

const bench: Bench = {
  title: 'Sign status endpoint under load (loopback)',
  async run() {
    const missing = ensureTools();
    const work = mkdtempSync(join(tmpdir(), 'ccsp-bench-sign-'));
    const port = await freePort();
    const server = (
      await startServeWithoutPlayer(join(work, 'cwd'), {
        CCSP_DATA_DIR: join(work, 'data'),
        PORT: String(port),
      })
    ).child;
    const children: ChildProcess[] = [server];
    try {
      const url = `http://127.0.0.1:${port}${PATH}`;
      const sample = await get(url);
      if (sample.status !== 200 || sample.headers.connection !== 'close')
        throw new Error(`${url} answered ${sample.status}, connection ${String(sample.headers.connection)}`);
      const rows: BenchRow[] = [];

      if (missing.includes('wrk')) {
        const endpoint = await nodeLoad(url);
        return [
          { case: `${missing.join(' and ')} missing (apt-get install nginx-light wrk failed)`, value: '—' },
          {
            case: `${PATH}, 16 Node loops, new connection per request, ${sample.body.length} B`,
            value: rate(endpoint),
          },
          {
            case: `${PATH}, p99 latency`,
            value: ms(endpoint),
            target: target(endpoint.p99Ms <= 5, '≤ 5 ms'),
          },
        ];
      }

      let baseline: Load | undefined;
      if (missing.includes('nginx')) {
        rows.push({ case: 'nginx missing (apt-get install nginx-light failed): no baseline', value: '—' });
      } else {
        const www = join(work, 'www');
        mkdirSync(www);
        writeFileSync(join(www, 'status.json'), sample.body);
        const nginxPort = await freePort();
        const nginx = await startNginx(join(work, 'nginx'), www, nginxPort);
        children.push(nginx);
        const nginxUrl = `http://127.0.0.1:${nginxPort}/status.json`;
        const check = await get(nginxUrl);
        if (!check.body.equals(sample.body) || check.headers.connection !== 'close')
          throw new Error(`nginx does not serve the same bytes with Connection: close`);
        baseline = wrk(nginxUrl);
        rows.push(
          {
            case: `baseline: nginx, the same ${sample.body.length} B as a static file (1 worker, keepalive_timeout 0)`,
            value: rate(baseline),
            ratio: '1.00×',
          },
          { case: 'baseline: nginx, p99 latency', value: ms(baseline), ratio: '1.00×' },
        );
      }

      const barePort = await freePort();
      const bare = await startBareNode(sample.body, barePort);
      children.push(bare);
      const bareLoad = wrk(`http://127.0.0.1:${barePort}/`);
      await stopServe(bare);
      rows.push(
        {
          case: 'reference: bare node:http, the same bytes, Connection: close',
          value: rate(bareLoad),
          ...(baseline && { ratio: ratio(bareLoad.rps, baseline.rps) }),
        },
        {
          case: 'reference: bare node:http, p99 latency',
          value: ms(bareLoad),
          ...(baseline && { ratio: ratio(bareLoad.p99Ms, baseline.p99Ms) }),
        },
      );

      const endpoint = wrk(url);
      const text = wrk(`${url}.txt`);
      rows.push(
        {
          case: `${PATH} (ccsp-signage serve, Connection: close)`,
          value: rate(endpoint),
          ...(baseline && {
            ratio: ratio(endpoint.rps, baseline.rps),
            target: target(endpoint.rps >= 0.5 * baseline.rps, '≥ 0.5× nginx'),
          }),
        },
        {
          case: `${PATH}, p99 latency`,
          value: ms(endpoint),
          ...(baseline && { ratio: ratio(endpoint.p99Ms, baseline.p99Ms) }),
          target: target(endpoint.p99Ms <= 5, '≤ 5 ms'),
        },
        {
          case: `${PATH}.txt (text variant)`,
          value: rate(text),
          ...(baseline && { ratio: ratio(text.rps, baseline.rps) }),
        },
        { case: `load: wrk ${WRK_ARGS.join(' ')}, after a 1 s warm-up, each server alone`, value: '' },
      );
      return rows;
    } finally {
      for (const child of children.reverse()) await stopServe(child);
      rmSync(work, { recursive: true, force: true });
    }
  },
};
export default bench;
