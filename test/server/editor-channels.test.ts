/**
 * Channels, drafts and the publishing workflow against the real editor server on
 * 127.0.0.1, its real SQLite file and its data folder: each refusal has its named
 * error and leaves the database and the published files as they were.
 */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyManifest, type SourcePlaylist } from '../../src/core/index.ts';
import { ChannelService, channelPlaylists } from '../../src/server/editor/channels.ts';
import { samplePlaylist, startEditorServer, type EditorServer } from './editor-server.ts';

/** Each test has its own channel on one server (logging in costs a scrypt hash each). */
let CHANNEL = '';
let serial = 0;
let server: EditorServer;
let admin: string;
let redacteur: string;
let validateur: string;
let validateur2: string;
let playlist: SourcePlaylist;

interface ErrorBody {
  error: { code: string; message: string; problems?: { pointer: string; message: string }[] };
}
interface DraftBody {
  draft: { revision: number; state: string; author: string; comment?: string; playlist: SourcePlaylist };
  warnings?: { pointer: string; code: string; message: string }[];
}

beforeAll(async () => {
  server = await startEditorServer();
  await server.createUser('admin', 'admin');
  await server.createUser('awa', 'redacteur');
  await server.createUser('kossi', 'validateur');
  await server.createUser('bio', 'validateur');
  [admin, redacteur, validateur, validateur2] = (await Promise.all(
    ['admin', 'awa', 'kossi', 'bio'].map((l) => server.login(l)),
  )) as [string, string, string, string];
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  CHANNEL = `ccsp-test-${++serial}`;
  const res = await server.fetchAs(admin, 'POST', 'channels', {
    id: CHANNEL,
    name: 'CCSP de test',
    site: { commune: 'Lokossa', department: 'Mono' },
  });
  expect(res.status).toBe(201);
  playlist = await samplePlaylist(server.dataDir, CHANNEL);
});
afterEach(() => {
  server.clock.offsetMs = 0;
});

const json = async <T>(res: Response) => (await res.json()) as T;
const errorOf = async (res: Response) => (await json<ErrorBody>(res)).error;
const manifestFile = () => join(server.data.publicDir, 'channels', CHANNEL, 'manifest.json');
const draftRow = () => server.db.prepare('SELECT * FROM drafts WHERE channel = ?').get(CHANNEL);
const auditActions = () =>
  (
    server.db.prepare('SELECT action FROM audit WHERE channel = ? ORDER BY id').all(CHANNEL) as {
      action: string;
    }[]
  ).map((r) => r.action);
const currentRevision = async () =>
  (
    await json<{ draft: { revision: number } | null }>(
      await server.fetchAs(redacteur, 'GET', `channels/${CHANNEL}`),
    )
  ).draft?.revision ?? 0;

async function save(cookie: string, body: SourcePlaylist, revision?: number) {
  return server.fetchAs(cookie, 'PUT', `channels/${CHANNEL}/draft`, {
    playlist: body,
    revision: revision ?? (await currentRevision()),
  });
}

/** Saves (as `author`) and submits the playlist; the draft's revision. */
async function submitted(author = redacteur, body = playlist): Promise<number> {
  const res = await save(author, body);
  expect(res.status).toBe(200);
  const { draft } = await json<DraftBody>(res);
  const sub = await server.fetchAs(author, 'POST', `channels/${CHANNEL}/submit`, {
    revision: draft.revision,
  });
  expect(sub.status).toBe(200);
  return draft.revision;
}

describe('channels', () => {
  it('an admin creates a channel with an empty draft; a bad id or a taken one is refused', async () => {
    const list = await json<{ channels: { id: string }[] }>(
      await server.fetchAs(redacteur, 'GET', 'channels'),
    );
    expect(list.channels.filter((c) => c.id === CHANNEL)).toEqual([
      {
        id: CHANNEL,
        name: 'CCSP de test',
        timezone: 'Africa/Porto-Novo',
        site: { name: 'CCSP de test', commune: 'Lokossa', department: 'Mono' },
        published: null,
        draft: expect.objectContaining({
          state: 'editing',
          revision: 1,
          author: 'admin',
          updatedBy: 'admin',
        }),
      },
    ]);
    const bad = await server.fetchAs(admin, 'POST', 'channels', {
      id: 'Pas Bon',
      name: '',
      timezone: 'Mars/Base',
    });
    expect(bad.status).toBe(422);
    const error = await errorOf(bad);
    expect(error.code).toBe('invalid');
    expect(error.problems!.map((p) => p.pointer).sort()).toEqual(['/id', '/name', '/timezone']);
    expect(error.problems!.find((p) => p.pointer === '/id')!.message).toMatch(
      /minuscules, chiffres et tirets/,
    );
    const taken = await server.fetchAs(admin, 'POST', 'channels', { id: CHANNEL, name: 'Autre' });
    expect(taken.status).toBe(409);
    const forbidden = await server.fetchAs(validateur, 'POST', 'channels', { id: 'autre', name: 'Autre' });
    expect((await errorOf(forbidden)).code).toBe('forbidden');
    expect(
      server.db.prepare("SELECT count(*) AS n FROM channels WHERE id IN ('pas bon', 'autre')").get(),
    ).toEqual({
      n: 0,
    });
  });

  it('an unknown channel is not-found', async () => {
    const res = await server.fetchAs(redacteur, 'GET', 'channels/nope');
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('not-found');
  });
});

describe('drafts', () => {
  it('a rédacteur saves a draft; a stale revision is a conflict and changes nothing', async () => {
    const res = await save(redacteur, playlist, 1);
    expect(res.status).toBe(200);
    const { draft } = await json<DraftBody>(res);
    expect(draft).toMatchObject({ revision: 2, state: 'editing', author: 'awa' });
    expect(draft.playlist).toEqual(playlist);

    const before = draftRow();
    const stale = await save(validateur, { ...playlist, items: playlist.items.slice(1) }, 1);
    expect(stale.status).toBe(409);
    expect((await errorOf(stale)).code).toBe('conflict');
    expect(draftRow()).toEqual(before);
    expect(auditActions()).toEqual(['channel-create', 'draft-save']);
  });

  it('refuses an invalid playlist with pointers and French messages; nothing is saved', async () => {
    const before = draftRow();
    const items = structuredClone(playlist.items) as unknown as Record<string, unknown>[];
    items[0]!.title = '';
    items[1]!.colour = 'rouge';
    delete (items[2]!.schedule as Record<string, unknown>).until;
    delete items[5]!.schedule;
    items[3]!.image = '../../etc/passwd';
    const res = await save(redacteur, { ...playlist, channel: 'autre', items } as unknown as SourcePlaylist);
    expect(res.status).toBe(422);
    const error = await errorOf(res);
    expect(error.code).toBe('invalid');
    expect(error.message).toMatch(/problèmes?/);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        { pointer: '/items/0/title', message: 'ne doit pas être vide' },
        { pointer: '/items/1/colour', message: "n'est pas un champ connu (vérifiez l'orthographe)" },
        {
          pointer: '/items/2/schedule/until',
          message: expect.stringMatching(/^une annonce doit avoir une date de fin/),
        },
        {
          pointer: '/items/5/schedule/until',
          message: expect.stringMatching(/^une annonce doit avoir une date de fin/),
        },
      ]),
    );
    // Schema problems come first; then the editor's own checks (channel, library names).
    const second = await save(redacteur, {
      ...playlist,
      channel: 'autre',
      items: playlist.items.map((it) =>
        it.kind === 'explainer' ? { ...it, steps: [{ ...it.steps[0]!, image: '../../etc/passwd' }] } : it,
      ),
    } as SourcePlaylist);
    expect((await errorOf(second)).problems).toEqual([
      { pointer: '/channel', message: `doit être l’identifiant de cette chaîne (« ${CHANNEL} »)` },
      { pointer: '/items/3/steps/0/image', message: expect.stringMatching(/fichier de la médiathèque/) },
    ]);
    expect(draftRow()).toEqual(before);
    expect(auditActions()).toEqual(['channel-create']);
  });

  it('a library file of the wrong kind for its field is refused', async () => {
    const video = playlist.items.find((i) => i.kind === 'video')!;
    const mp4 = video.kind === 'video' ? video.file! : '';
    const items = playlist.items.map((it, i) => (i === 0 ? { ...it, image: mp4 } : it));
    const res = await save(redacteur, { ...playlist, items } as SourcePlaylist);
    expect(res.status).toBe(422);
    expect((await errorOf(res)).problems).toEqual([
      {
        pointer: '/items/0/image',
        message: 'doit être une image (SVG, WebP, PNG ou JPEG) de la médiathèque',
      },
    ]);
  });

  it('a media file missing from the library is refused', async () => {
    const name = `${'0'.repeat(64)}.svg`;
    const items = playlist.items.map((it, i) => (i === 0 ? { ...it, image: name } : it));
    const res = await save(redacteur, { ...playlist, items } as SourcePlaylist);
    expect(res.status).toBe(422);
    expect((await errorOf(res)).problems).toEqual([
      { pointer: '/items/0/image', message: expect.stringMatching(/n’est plus dans la médiathèque/) },
    ]);
  });

  it('a schedule that makes no sense: until before from is refused, an item that can never play is warned', async () => {
    const announcement = playlist.items[0]!;
    const backwards = {
      ...playlist,
      items: [{ ...announcement, schedule: { from: '2027-03-01', until: '2027-02-01' } }],
    } as SourcePlaylist;
    const refused = await save(redacteur, backwards);
    expect(refused.status).toBe(422);
    expect((await errorOf(refused)).problems).toEqual([
      { pointer: '/items/0/schedule/until', message: 'doit être après la date de début' },
    ]);
    // An every rule the item cannot meet (it lasts longer than the period) is refused too.
    const video = playlist.items.find((it) => it.kind === 'video')!;
    const tooOften = {
      ...playlist,
      items: [{ ...video, duration: 120, schedule: { every: 1 } }],
    } as SourcePlaylist;
    const res2 = await save(redacteur, tooOften);
    expect((await errorOf(res2)).problems).toContainEqual({
      pointer: '/items/0/schedule/every',
      message: 'impossible à tenir : l’élément dure lui-même plus longtemps',
    });

    // Sundays only, opening hours only, and the centre is closed on Sundays: legal, but never plays.
    const never = {
      ...playlist,
      items: [{ ...announcement, schedule: { until: '2027-12-31', when: 'open', days: ['sun'] } }],
    } as SourcePlaylist;
    const validate = await server.fetchAs(redacteur, 'POST', `channels/${CHANNEL}/validate`, {
      playlist: never,
    });
    const result = await json<{
      ok: boolean;
      problems: unknown[];
      warnings: { pointer: string; code: string }[];
    }>(validate);
    expect(result.ok).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.warnings).toContainEqual({
      pointer: '/items/0/schedule',
      code: 'never-plays',
      message: expect.stringMatching(/ne laisse aucun moment de diffusion/),
    });
    const saved = await save(redacteur, never);
    expect(saved.status).toBe(200);
    expect((await json<DraftBody>(saved)).warnings).toContainEqual(
      expect.objectContaining({ pointer: '/items/0/schedule', code: 'never-plays' }),
    );
  });

  it('refuses a change without Origin or from another origin (bad-origin)', async () => {
    const before = draftRow();
    for (const origin of [undefined, 'https://evil.example']) {
      const res = await server.fetchAs(
        redacteur,
        'PUT',
        `channels/${CHANNEL}/draft`,
        { playlist, revision: 1 },
        { origin },
      );
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('bad-origin');
    }
    expect(draftRow()).toEqual(before);
  });

  it('not logged in, or a session expired, cannot read channels', async () => {
    expect((await errorOf(await server.fetchAs(undefined, 'GET', 'channels'))).code).toBe('not-logged-in');
    const cookie = await server.login('awa');
    server.clock.offsetMs = 13 * 3600_000;
    expect((await errorOf(await server.fetchAs(cookie, 'GET', 'channels'))).code).toBe('session-expired');
    server.clock.offsetMs = 0;
  });
});

describe('workflow', () => {
  it('submit, reject with a comment, withdraw', async () => {
    const revision = await submitted();
    const reject = await server.fetchAs(validateur, 'POST', `channels/${CHANNEL}/reject`, {});
    expect((await errorOf(reject)).problems).toEqual([{ pointer: '/comment', message: expect.any(String) }]);
    const ok = await server.fetchAs(validateur, 'POST', `channels/${CHANNEL}/reject`, {
      comment: 'Le titre de la 2e annonce est trop long.',
    });
    expect((await json<DraftBody>(ok)).draft).toMatchObject({
      state: 'editing',
      revision,
      comment: 'Le titre de la 2e annonce est trop long.',
    });
    const withdrawNothing = await server.fetchAs(redacteur, 'POST', `channels/${CHANNEL}/withdraw`);
    expect(withdrawNothing.status).toBe(409);
    await server.fetchAs(redacteur, 'POST', `channels/${CHANNEL}/submit`, { revision });
    const withdraw = await server.fetchAs(redacteur, 'POST', `channels/${CHANNEL}/withdraw`);
    expect((await json<DraftBody>(withdraw)).draft.state).toBe('editing');
    expect(auditActions()).toEqual([
      'channel-create',
      'draft-save',
      'draft-submit',
      'draft-reject',
      'draft-submit',
      'draft-withdraw',
    ]);
  });

  it('saving a rejected draft keeps the comment; restoring a version clears it', async () => {
    const revision = await submitted();
    expect(
      (await server.fetchAs(validateur, 'POST', `channels/${CHANNEL}/approve`, { revision })).status,
    ).toBe(200);
    await submitted();
    await server.fetchAs(validateur, 'POST', `channels/${CHANNEL}/reject`, { comment: 'Trop long.' });
    const saved = await save(redacteur, playlist);
    expect((await json<DraftBody>(saved)).draft).toMatchObject({ state: 'editing', comment: 'Trop long.' });
    const restored = await server.fetchAs(redacteur, 'POST', `channels/${CHANNEL}/versions/1/restore`);
    expect((await json<DraftBody>(restored)).draft.comment).toBeUndefined();
  });

  it('a rédacteur cannot approve; a validateur cannot approve their own draft; nothing is published', async () => {
    const revision = await submitted();
    const res = await server.fetchAs(redacteur, 'POST', `channels/${CHANNEL}/approve`, { revision });
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toEqual({
      code: 'forbidden',
      message: 'Action réservée au rôle Validateur ou supérieur.',
    });

    // kossi saves last: kossi is the author now, whoever wrote before.
    const own = await submitted(validateur);
    const mine = await server.fetchAs(validateur, 'POST', `channels/${CHANNEL}/approve`, { revision: own });
    expect(mine.status).toBe(403);
    expect((await errorOf(mine)).code).toBe('own-draft');
    await expect(stat(manifestFile())).rejects.toThrow();
    expect(server.db.prepare('SELECT count(*) AS n FROM versions WHERE channel = ?').get(CHANNEL)).toEqual({
      n: 0,
    });
    expect(draftRow()).toMatchObject({ state: 'submitted', author: 'kossi' });
  });

  it('two validateurs approving at once: one publishes, the other gets a conflict', async () => {
    const revision = await submitted();
    const answers = await Promise.all(
      [validateur, validateur2].map((c) =>
        server.fetchAs(c, 'POST', `channels/${CHANNEL}/approve`, { revision }),
      ),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(server.db.prepare('SELECT version FROM versions WHERE channel = ?').all(CHANNEL)).toEqual([
      { version: 1 },
    ]);
  });

  it('a missing or malformed revision is invalid, not a conflict', async () => {
    for (const revision of [undefined, '1', -1, 1.5]) {
      const res = await server.fetchAs(redacteur, 'PUT', `channels/${CHANNEL}/draft`, { playlist, revision });
      expect(res.status).toBe(422);
      expect((await errorOf(res)).problems).toEqual([{ pointer: '/revision', message: expect.any(String) }]);
    }
  });

  it('approving a draft that is not submitted, or with a stale revision, is a conflict', async () => {
    const res = await save(redacteur, playlist);
    const { draft } = await json<DraftBody>(res);
    const notSubmitted = await server.fetchAs(validateur, 'POST', `channels/${CHANNEL}/approve`, {
      revision: draft.revision,
    });
    expect(notSubmitted.status).toBe(409);
    await server.fetchAs(redacteur, 'POST', `channels/${CHANNEL}/submit`, { revision: draft.revision });
    const stale = await server.fetchAs(validateur, 'POST', `channels/${CHANNEL}/approve`, {
      revision: draft.revision - 1,
    });
    expect(stale.status).toBe(409);
    expect((await errorOf(stale)).code).toBe('conflict');
    await expect(stat(manifestFile())).rejects.toThrow();
  });

  it('approve signs version 1 then 2 with the data folder key; verifyManifest accepts them; history and restore', async () => {
    const revision = await submitted();
    const res = await server.fetchAs(validateur, 'POST', `channels/${CHANNEL}/approve`, { revision });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ version: 1 });
    const bytes = await readFile(manifestFile());
    const verified = await verifyManifest(bytes, {
      root: server.data.root,
      now: new Date(),
      channel: CHANNEL,
    });
    expect(verified.status).toBe('accepted');
    if (verified.status !== 'accepted') return;
    expect(verified.manifest.version).toBe(1);
    expect(verified.manifest.items.map((i) => i.id)).toEqual(playlist.items.map((i) => i.id));
    // Its media are in the public tree, and the server serves the manifest.
    const served = await fetch(`${server.url}/channels/${CHANNEL}/manifest.json`);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(bytes);
    // The draft is gone; the channel shows the published version.
    const detail = await json<{ draft: unknown; published: unknown; publishedPlaylist: unknown }>(
      await server.fetchAs(redacteur, 'GET', `channels/${CHANNEL}`),
    );
    expect(detail.draft).toBeNull();
    expect(detail.published).toEqual({ version: 1, issued: verified.manifest.issued, by: 'kossi' });
    expect(detail.publishedPlaylist).toEqual(playlist);

    // A new draft starts from revision 0 (no draft); the next approval is version 2.
    const shorter = { ...playlist, items: playlist.items.slice(0, 2) };
    const rev2 = await submitted(redacteur, shorter);
    expect(rev2).toBeGreaterThan(revision);
    const second = await server.fetchAs(validateur2, 'POST', `channels/${CHANNEL}/approve`, {
      revision: rev2,
    });
    expect(await second.json()).toEqual({ version: 2 });
    const v2 = await verifyManifest(await readFile(manifestFile()), {
      root: server.data.root,
      now: new Date(),
      channel: CHANNEL,
      minVersion: 1,
    });
    expect(v2.status === 'accepted' && v2.manifest.version).toBe(2);

    const history = await json<{ versions: unknown[] }>(
      await server.fetchAs(redacteur, 'GET', `channels/${CHANNEL}/versions`),
    );
    expect(history.versions).toEqual([
      { version: 2, issued: expect.any(String), author: 'awa', approvedBy: 'bio', items: 2 },
      {
        version: 1,
        issued: verified.manifest.issued,
        author: 'awa',
        approvedBy: 'kossi',
        items: playlist.items.length,
      },
    ]);
    const one = await json<{ version: number; playlist: SourcePlaylist }>(
      await server.fetchAs(redacteur, 'GET', `channels/${CHANNEL}/versions/1`),
    );
    expect(one).toEqual({ version: 1, playlist });
    expect((await server.fetchAs(redacteur, 'GET', `channels/${CHANNEL}/versions/9`)).status).toBe(404);

    // Restore: version 1 becomes the draft, written by whoever restored it.
    const restore = await server.fetchAs(validateur, 'POST', `channels/${CHANNEL}/versions/1/restore`);
    const restored = (await json<DraftBody>(restore)).draft;
    expect(restored).toMatchObject({ state: 'editing', author: 'kossi' });
    expect(restored.playlist).toEqual(playlist);
    expect(channelPlaylists(server.db).filter((c) => c.channel === CHANNEL)).toEqual([
      { channel: CHANNEL, where: 'draft', playlist },
      { channel: CHANNEL, where: 'published', playlist: shorter },
    ]);

    expect(auditActions()).toEqual([
      'channel-create',
      'draft-save',
      'draft-submit',
      'approve',
      'draft-save',
      'draft-submit',
      'approve',
      'restore',
    ]);
    const audit = await json<{ entries: { action: string; user: string; detail: unknown }[] }>(
      await server.fetchAs(validateur, 'GET', `audit?channel=${CHANNEL}&limit=2`),
    );
    expect(audit.entries).toEqual([
      {
        at: expect.any(String),
        user: 'kossi',
        action: 'restore',
        channel: CHANNEL,
        detail: expect.objectContaining({ version: 1 }),
      },
      {
        at: expect.any(String),
        user: 'bio',
        action: 'approve',
        channel: CHANNEL,
        detail: { version: 2, author: 'awa', revision: rev2, items: 2 },
      },
    ]);
    expect((await server.fetchAs(redacteur, 'GET', 'audit')).status).toBe(403);
  });

  it('when the manifest cannot be written, nothing is recorded', async () => {
    const revision = await submitted();
    // A file where the channel's folder should be: the write fails.
    await mkdir(join(server.data.publicDir, 'channels'), { recursive: true });
    await writeFile(join(server.data.publicDir, 'channels', CHANNEL), 'in the way');
    const before = draftRow();
    const res = await server.fetchAs(validateur, 'POST', `channels/${CHANNEL}/approve`, { revision });
    expect(res.status).toBe(500);
    expect((await errorOf(res)).code).toBe('internal');
    expect(draftRow()).toEqual(before);
    expect(server.db.prepare('SELECT count(*) AS n FROM versions WHERE channel = ?').get(CHANNEL)).toEqual({
      n: 0,
    });
    expect(auditActions()).not.toContain('approve');
    // Once the obstacle is gone, the same approval works.
    await rm(join(server.data.publicDir, 'channels', CHANNEL));
    const again = await server.fetchAs(validateur, 'POST', `channels/${CHANNEL}/approve`, { revision });
    expect(await again.json()).toEqual({ version: 1 });
  });

  it('a published version about to expire is signed again as version+1, same content', async () => {
    const revision = await submitted();
    await server.fetchAs(validateur, 'POST', `channels/${CHANNEL}/approve`, { revision });
    const later = () => Date.now() + 24 * 86_400_000;
    const service = new ChannelService({
      db: server.db,
      libraryDir: join(server.dataDir, 'library'),
      publicDir: server.data.publicDir,
      manifestKey: server.data.manifestKey,
      now: later,
    });
    // Not yet within 7 days of expiry today.
    const none = await new ChannelService({ ...service.options, now: Date.now }).renewExpiring();
    expect(none.renewed.filter((r) => r.channel === CHANNEL)).toEqual([]);
    const { renewed } = await service.renewExpiring();
    expect(renewed.filter((r) => r.channel === CHANNEL)).toEqual([{ channel: CHANNEL, version: 2 }]);
    const verified = await verifyManifest(await readFile(manifestFile()), {
      root: server.data.root,
      now: new Date(later()),
      channel: CHANNEL,
    });
    expect(verified.status === 'accepted' && verified.manifest.version).toBe(2);
    expect(service.versions(CHANNEL)[0]).toMatchObject({ version: 2, author: 'awa', approvedBy: 'renew' });
    expect(service.version(CHANNEL, 2).playlist).toEqual(playlist);
    expect(auditActions().at(-1)).toBe('renew');
  });

  it('a version signed outside the editor is not reused: the next one is above it', async () => {
    const revision = await submitted();
    await server.fetchAs(validateur, 'POST', `channels/${CHANNEL}/approve`, { revision });
    // Pretend the CLI signed version 7 into the same folder.
    const { prepareManifest, buildManifestBodyIn } = await import('../../src/server/publish.ts');
    const { body, media } = await buildManifestBodyIn(join(server.dataDir, 'library'), playlist);
    const p = await prepareManifest(
      body,
      media,
      { key: server.data.manifestKey, outDir: server.data.publicDir, version: 7 },
      'x',
    );
    await writeFile(p.manifestPath, p.envelope);
    const rev = await submitted();
    const res = await server.fetchAs(validateur, 'POST', `channels/${CHANNEL}/approve`, { revision: rev });
    expect(await res.json()).toEqual({ version: 8 });
  });
});

describe('preview', () => {
  it('returns an unsigned manifest whose media carry their library names; writes nothing', async () => {
    const res = await server.fetchAs(redacteur, 'POST', `channels/${CHANNEL}/preview`, { playlist });
    expect(res.status).toBe(200);
    const { manifest } = await json<{ manifest: { version: number; items: Record<string, unknown>[] } }>(res);
    expect(manifest.version).toBe(1);
    const image = manifest.items[0]!.image as { name: string; sha256: string };
    expect(image.name).toBe(playlist.items[0]!.kind === 'announcement' && playlist.items[0]!.image);
    expect(image.name).toBe(`${image.sha256}.svg`);
    const video = manifest.items.find((i) => i.kind === 'video')!;
    const hls = video.hls as { files: { path: string; name: string }[] };
    const source = playlist.items.find((i) => i.kind === 'video')!;
    const dir = source.kind === 'video' ? source.hls!.replace(/index\.m3u8$/, '') : '';
    expect(hls.files.map((f) => f.name)).toEqual(hls.files.map((f) => `${dir}${f.path}`));
    for (const f of hls.files) await stat(join(server.dataDir, 'library', f.name));
    await expect(stat(manifestFile())).rejects.toThrow();

    const bad = await server.fetchAs(redacteur, 'POST', `channels/${CHANNEL}/preview`, {
      playlist: { ...playlist, items: 'rien' },
    });
    expect(bad.status).toBe(422);
    expect((await errorOf(bad)).problems).toEqual([{ pointer: '/items', message: 'doit être une liste' }]);
  });
});
