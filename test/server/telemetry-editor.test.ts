import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelStore } from '../../src/server/channel-store.ts';
import { openDataDir, publishDirectory } from '../../src/server/data-dir.ts';
import { openDatabase, type Db } from '../../src/server/db.ts';
import { telemetryEditorRoutes } from '../../src/server/telemetry/editor-routes.ts';
import type { FleetChannel } from '../../src/server/telemetry/fleet.ts';
import { telemetryRoutes } from '../../src/server/telemetry/routes.ts';
import { TelemetryStore } from '../../src/server/telemetry/store.ts';
import { cli, REPO } from '../cli/run-cli.ts';
import { startEditorServer, type EditorServer } from './editor-server.ts';
import { heartbeat, post, record, tempDir } from './telemetry-helpers.ts';

// docs/editor-api.md "Fleet" and docs/telemetry.md "Reports", on a real editor server
// with the telemetry routes on their own data folder (published sample channel, SQLite file).

/** Tuesday 1 December 2026, 10:00 in Porto-Novo (UTC+1). */
const NOW = Date.parse('2026-12-01T10:00:00+01:00');

describe('fleet view and reports', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let db: Db;
  let server: EditorServer;
  let redacteur: string;
  let validateur: string;
  let clock = NOW;
  const beat = (body: Record<string, unknown>) =>
    post(`${server.url}/api/telemetry/v1/heartbeat`, heartbeat(body));

  beforeAll(async () => {
    tmp = await tempDir();
    const data = await openDataDir(tmp.dir);
    await publishDirectory(join(REPO, 'playlists'), data, new Date(NOW - 86_400_000));
    db = openDatabase(tmp.dir);
    const store = new TelemetryStore(db);
    const now = () => clock;
    server = await startEditorServer({
      routes: [
        telemetryRoutes({ store, now }),
        telemetryEditorRoutes({
          store,
          channels: new ChannelStore(data.publicDir),
          publicDir: data.publicDir,
          now,
        }),
      ],
    });
    await server.createUser('awa', 'redacteur');
    await server.createUser('koffi', 'validateur');
    redacteur = await server.login('awa');
    validateur = await server.login('koffi');

    // A screen heard at 09:50 (down by 10:00), one just now, one on a channel never published.
    clock = NOW - 10 * 60_000;
    // It was showing an item the published manifest no longer holds.
    await beat({ player: 'p-screen-silent', name: 'Écran hall', item: 'clip' });
    clock = NOW - 20_000;
    const records = [
      record(1, 'p-screen-salle', Date.parse('2026-12-01T09:00:00+01:00')),
      record(2, 'p-screen-salle', Date.parse('2026-12-01T09:00:12+01:00')),
      record(3, 'p-screen-salle', Date.parse('2026-12-01T09:00:24+01:00')), // skipped (clip)
      // 23:30 UTC on 1 December is 00:30 on 2 December in Porto-Novo.
      record(4, 'p-screen-salle', Date.parse('2026-12-01T23:30:00Z')),
    ];
    const counts = [
      {
        id: 'c-1',
        item: 'bienvenue-ccsp',
        version: 7,
        hour: '2026-12-01T07:00:00.000Z',
        plays: 40,
        shownS: 480,
        skipped: 1,
      },
    ];
    await beat({
      player: 'p-screen-salle',
      name: '=HYPERLINK("x"), "salle"',
      plays: { batch: 'b-1', records, counts },
    });
    await beat({ player: 'p-screen-other', channel: 'ccsp-ailleurs', state: 'no-content', painting: null });
    clock = NOW;
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    db?.close();
    await tmp?.remove();
  });

  it('GET /api/editor/fleet needs a session', async () => {
    const res = await server.fetchAs(undefined, 'GET', 'fleet');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not-logged-in');
  });

  it('lists published channels and reported ones, with each screen’s state', async () => {
    const res = await server.fetchAs(redacteur, 'GET', 'fleet');
    expect(res.status).toBe(200);
    const { channels } = (await res.json()) as { channels: FleetChannel[] };
    expect(channels.map((c) => [c.id, c.name, c.published?.version ?? null])).toEqual([
      ['ccsp-ailleurs', 'ccsp-ailleurs', null],
      ['ccsp-lokossa', 'CCSP de Lokossa', 1],
    ]);
    const lokossa = channels[1]!;
    expect(lokossa.screens.map((s) => [s.id, s.state])).toEqual([
      ['p-screen-salle', 'ok'],
      ['p-screen-silent', 'down'],
    ]);
    expect(lokossa.screens[0]).toMatchObject({
      version: 7,
      item: 'bienvenue-ccsp',
      // Its French title in the published manifest.
      itemTitle: 'Bienvenue au Centre Communal de Service Public',
      lastSeen: new Date(NOW - 20_000).toISOString(),
      painting: { ok: true },
      power: 'ok',
      clockSkewS: 0,
      errors: [],
      via: null,
    });
    expect(channels[0]!.screens[0]!.state).toBe('no-content');
    // An item the published manifest does not hold, or a channel never published: no
    // title (the page shows the id).
    expect(lokossa.screens[1]).toMatchObject({ item: 'clip', itemTitle: null });
    expect(channels[0]!.screens[0]).toMatchObject({ item: 'bienvenue-ccsp', itemTitle: null });
  });

  it('the report needs a validateur', async () => {
    const q = '/api/telemetry/v1/report?channel=ccsp-lokossa&from=2026-12-01&to=2026-12-02';
    expect((await server.fetchAs(undefined, 'GET', q)).status).toBe(401);
    const res = await server.fetchAs(redacteur, 'GET', q);
    expect(res.status).toBe(403);
  });

  it('JSON: plays and minutes per item per day in the channel’s time zone, counts merged in', async () => {
    const res = await server.fetchAs(
      validateur,
      'GET',
      '/api/telemetry/v1/report?channel=ccsp-lokossa&from=2026-12-01&to=2026-12-02&format=json',
    );
    expect(res.status).toBe(200);
    const report = (await res.json()) as Record<string, unknown>;
    expect(report).toMatchObject({
      channel: 'ccsp-lokossa',
      timezone: 'Africa/Porto-Novo',
      records: 4,
      counts: 1,
    });
    expect(report.days).toEqual([
      {
        day: '2026-12-01',
        item: 'bienvenue-ccsp',
        title: 'Bienvenue au Centre Communal de Service Public',
        plays: 42,
        skipped: 1,
        minutes: 8.4,
      },
      { day: '2026-12-01', item: 'clip', title: null, plays: 1, skipped: 1, minutes: 0 },
      {
        day: '2026-12-02',
        item: 'bienvenue-ccsp',
        title: 'Bienvenue au Centre Communal de Service Public',
        plays: 1,
        skipped: 0,
        minutes: 0.2,
      },
    ]);
  });

  it('CSV: the raw records, RFC 4180, UTF-8 with French titles, formulas defused', async () => {
    const res = await server.fetchAs(
      validateur,
      'GET',
      '/api/telemetry/v1/report?channel=ccsp-lokossa&from=2026-12-01&to=2026-12-01&format=csv',
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the UTF-8 BOM spreadsheets need
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe(
      'kind,player,player_name,channel,item,title,version,start,local_day,shown_s,outcome,reason,plays,skipped',
    );
    expect(lines).toHaveLength(1 + 4 + 1); // header, 3 records and a count of 1 December, final CRLF
    expect(lines[1]).toBe(
      'count,p-screen-salle,"\'=HYPERLINK(""x""), ""salle""",ccsp-lokossa,bienvenue-ccsp,Bienvenue au Centre Communal de Service Public,7,2026-12-01T07:00:00.000Z,2026-12-01,480,,,40,1',
    );
    expect(lines[4]).toContain(',clip,,7,2026-12-01T08:00:24.000Z,2026-12-01,1.2,skipped,stalled,1,1');
  });

  it('a wrong query is a 400 in French', async () => {
    const res = await server.fetchAs(
      validateur,
      'GET',
      '/api/telemetry/v1/report?channel=ccsp-lokossa&from=2026-12-02&to=2026-12-01',
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /^Rapport impossible/,
    );
  });

  it('ccsp-signage report reads the data folder: summary and raw CSV, to stdout or a file', async () => {
    const env = { CCSP_DATA_DIR: tmp.dir };
    const summary = await cli(
      ['report', '--channel', 'ccsp-lokossa', '--from', '2026-12-01', '--to', '2026-12-02'],
      { env },
    );
    expect(summary.stderr).toBe('');
    expect(summary.code).toBe(0);
    expect(summary.stdout.split('\r\n')).toEqual([
      'day,item,title,plays,skipped,minutes',
      '2026-12-01,bienvenue-ccsp,Bienvenue au Centre Communal de Service Public,42,1,8.4',
      '2026-12-01,clip,,1,1,0.0',
      '2026-12-02,bienvenue-ccsp,Bienvenue au Centre Communal de Service Public,1,0,0.2',
      '',
    ]);
    const file = join(tmp.dir, 'out', 'plays.csv');
    const raw = await cli(
      [
        'report',
        '--channel',
        'ccsp-lokossa',
        '--from',
        '2026-12-01',
        '--to',
        '2026-12-02',
        '--format',
        'csv',
        '--out',
        file,
      ],
      { env },
    );
    expect(raw.code).toBe(0);
    expect(raw.stdout).toBe(`wrote ${file}: 5 records and counts\n`);
    expect((await readFile(file, 'utf8')).split('\r\n')).toHaveLength(1 + 5 + 1);
  }, 90_000);

  it('ccsp-signage report: usage and data folder errors', async () => {
    const bad = await cli(
      [
        'report',
        '--channel',
        'ccsp-lokossa',
        '--from',
        '2026-12-01',
        '--to',
        '2026-12-01',
        '--format',
        'xlsx',
      ],
      { env: { CCSP_DATA_DIR: tmp.dir } },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be summary or csv');
    const date = await cli(
      ['report', '--channel', 'ccsp-lokossa', '--from', '2026-02-30', '--to', '2026-03-01'],
      { env: { CCSP_DATA_DIR: tmp.dir } },
    );
    expect(date.code).toBe(1);
    expect(date.stderr).toContain('from must be a date YYYY-MM-DD');
    const none = await cli(
      ['report', '--channel', 'ccsp-lokossa', '--from', '2026-12-01', '--to', '2026-12-01'],
      { env: { CCSP_DATA_DIR: join(tmp.dir, 'nothing') } },
    );
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no database in');
  }, 90_000);
});
