/**
 * Channels in the editor (docs/editor-api.md "Channels, drafts, workflow, history"):
 * one draft per channel, its workflow (save, submit, withdraw, reject, approve),
 * every published version's source playlist, and previews.
 *
 * A channel's playlist names its media by their library names (`<sha256>.<ext>`,
 * `hls/<id>/index.m3u8`), paths relative to `<dataDir>/library`, so publish.ts
 * resolves them there as it resolves playlists/*.json against their folder.
 *
 * Approve signs outside the database (hashing media is slow), then records the
 * version and writes the manifest inside one SQLite transaction: if the write
 * fails nothing is recorded, and if the commit fails the previous manifest is put
 * back, so the served file and the history always agree.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import {
  CAPTION_TYPES,
  DEFAULT_TIMEZONE,
  IMAGE_TYPES,
  TYPES_BY_EXTENSION,
  VALIDATION_MESSAGES,
  VIDEO_TYPES,
  lintSchedule,
  mediaFileName,
  validateManifest,
  validateSourcePlaylist,
  type Manifest,
  type MediaFile,
  type PrivateKey,
  type SourcePlaylist,
  type ValidationProblem,
} from '../../core/index.ts';
import type { Db } from '../db.ts';
import { UserError } from '../errors.ts';
import {
  buildManifestBodyIn,
  DEFAULT_EXPIRES_IN_DAYS,
  prepareManifest,
  readPublishedVersion,
  sourceMediaPaths,
} from '../publish.ts';
import type { User } from './accounts.ts';
import { audit } from './audit.ts';
import { EditorError, type ApiProblem } from './guard.ts';
import { migrateEditor } from './schema.ts';

export type DraftState = 'editing' | 'submitted';

export interface DraftSummary {
  state: DraftState;
  revision: number;
  author: string;
  updatedAt: string;
  updatedBy: string;
  submittedAt?: string;
  comment?: string;
}

export interface Draft extends DraftSummary {
  playlist: SourcePlaylist;
}

export interface PublishedSummary {
  version: number;
  issued: string;
  /** Who approved it. */
  by: string;
}

export interface ChannelSummary {
  id: string;
  name: string;
  timezone: string;
  site: { name: string; commune: string; department: string } | null;
  published: PublishedSummary | null;
  draft: DraftSummary | null;
}

export interface ChannelDetail extends Omit<ChannelSummary, 'draft'> {
  draft: Draft | null;
  publishedPlaylist: SourcePlaylist | null;
}

export interface VersionSummary {
  version: number;
  issued: string;
  author: string;
  approvedBy: string;
  items: number;
}

export interface ScheduleWarningFr {
  pointer: string;
  code: string;
  message: string;
}

export type PlaylistCheck =
  | { ok: true; playlist: SourcePlaylist; problems: []; warnings: ScheduleWarningFr[] }
  | { ok: false; problems: ApiProblem[]; warnings: ScheduleWarningFr[] };

export interface ChannelServiceOptions {
  db: Db;
  /** `<dataDir>/library`: where the playlists' media names point. */
  libraryDir: string;
  publicDir: string;
  manifestKey: PrivateKey;
  now?: () => number;
  expiresInDays?: number;
}

interface ChannelRow {
  id: string;
  name: string;
  timezone: string;
  site: string | null;
  revision: number;
}

interface DraftRow {
  channel: string;
  playlist: string;
  revision: number;
  state: DraftState;
  author_id: number | null;
  author: string;
  updated_at: number;
  updated_by: string;
  submitted_at: number | null;
  comment: string | null;
}

interface VersionRow {
  channel: string;
  version: number;
  playlist: string;
  issued: string;
  expires: string;
  author: string;
  approved_by: string;
  items: number;
  manifest_sha256: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

const LIBRARY_FILE = /^[0-9a-f]{64}\.[a-z0-9]{2,5}$/;
const LIBRARY_HLS = /^hls\/[0-9a-f]{64}\/index\.m3u8$/;

const notFound = (id: string) => new EditorError(404, 'not-found', `La chaîne « ${id} » n’existe pas.`);
const noDraft = () =>
  new EditorError(404, 'not-found', 'Cette chaîne n’a pas de brouillon : enregistrez-en un d’abord.');
const conflict = (message: string) => new EditorError(409, 'conflict', message);
const staleRevision = () =>
  conflict(
    'Quelqu’un d’autre a modifié ce brouillon entre-temps. Rechargez-le pour voir ses changements, puis refaites les vôtres.',
  );

type FileKind = 'image' | 'video' | 'captions';
const KIND_TYPES = { image: IMAGE_TYPES, video: VIDEO_TYPES, captions: CAPTION_TYPES };
const KIND_MESSAGES: Record<FileKind, string> = {
  image: 'doit être une image (SVG, WebP, PNG ou JPEG) de la médiathèque',
  video: 'doit être une vidéo (MP4 ou WebM) de la médiathèque',
  captions: 'doit être un fichier de sous-titres WebVTT (.vtt) de la médiathèque',
};

/** What a media field holds, from its pointer (publish.ts's sourceMediaPaths names them). */
function expectedKind(pointer: string): FileKind | undefined {
  if (/\/(image|poster)$/.test(pointer)) return 'image';
  if (/\/captions\/\d+\/file$/.test(pointer)) return 'captions';
  if (/^\/items\/\d+\/file$/.test(pointer)) return 'video';
  return undefined;
}

/** Says what to do, not only what is wrong (core's text is shorter, for the CLI's line). */
const ANNOUNCEMENT_UNTIL =
  'une annonce doit avoir une date de fin (« until ») : indiquez le dernier jour où elle doit passer, car une annonce officielle périmée induit le public en erreur';

function messageFr(problem: ValidationProblem): string {
  return VALIDATION_MESSAGES[problem.code].fr.replace('{n}', String(problem.limit ?? ''));
}

/**
 * Checks a playlist for a channel: core's schema (the same validateSourcePlaylist as
 * the CLI), then what only the editor knows: the channel it is saved to, and media
 * names that are files of the library. Problems carry JSON pointers into the
 * playlist and French messages; warnings are schedule lint (it can be saved).
 */
export function checkPlaylist(
  input: unknown,
  channel: string,
  libraryDir: string,
  now: number,
): PlaylistCheck {
  const result = validateSourcePlaylist(input);
  if (!result.ok) {
    const items = (input as { items?: unknown } | null)?.items;
    const problems = result.problems.map((p): ApiProblem => {
      // An announcement with no schedule at all lacks its end date first of all.
      const m = /^\/items\/(\d+)\/schedule$/.exec(p.pointer);
      const item =
        m && Array.isArray(items) ? (items[Number(m[1])] as { kind?: unknown } | undefined) : undefined;
      if (m && p.code === 'field.required' && item?.kind === 'announcement')
        return { pointer: `${p.pointer}/until`, message: ANNOUNCEMENT_UNTIL };
      if (p.code === 'announcement.until') return { pointer: p.pointer, message: ANNOUNCEMENT_UNTIL };
      return { pointer: p.pointer, message: messageFr(p) };
    });
    return { ok: false, problems, warnings: [] };
  }
  const playlist = result.value;
  const problems: ApiProblem[] = [];
  if (playlist.channel !== channel) {
    problems.push({
      pointer: '/channel',
      message: `doit être l’identifiant de cette chaîne (« ${channel} »)`,
    });
  }
  for (const { pointer, path } of sourceMediaPaths(playlist)) {
    const isHls = pointer.endsWith('/hls');
    if (!(isHls ? LIBRARY_HLS : LIBRARY_FILE).test(path)) {
      problems.push({
        pointer,
        message: isHls
          ? 'doit être une version HLS de la médiathèque (hls/…/index.m3u8) : choisissez-la dans la médiathèque'
          : 'doit être un fichier de la médiathèque : choisissez-le dans la médiathèque',
      });
      continue;
    }
    const expected = expectedKind(pointer);
    const type = TYPES_BY_EXTENSION[path.slice(path.lastIndexOf('.') + 1)];
    if (!isHls && expected && !(KIND_TYPES[expected] as readonly string[]).includes(type ?? '')) {
      problems.push({ pointer, message: KIND_MESSAGES[expected] });
      continue;
    }
    const exists = (() => {
      try {
        return statSync(join(libraryDir, ...path.split('/'))).isFile();
      } catch {
        return false;
      }
    })();
    if (!exists) {
      problems.push({
        pointer,
        message:
          'ce fichier n’est plus dans la médiathèque : envoyez-le de nouveau ou choisissez-en un autre',
      });
    }
  }
  playlist.items.forEach((item, i) => {
    // A WebM's length cannot be read from its header here (MP4's can): ask for it.
    if (item.kind === 'video' && !item.hls && item.duration === undefined && item.file?.endsWith('.webm')) {
      problems.push({
        pointer: `/items/${i}/duration`,
        message: 'est obligatoire pour une vidéo WebM : indiquez sa durée en secondes',
      });
    }
  });
  const warnings = lintSchedule(playlist, now).map((w) => ({
    pointer: w.pointer,
    code: w.code,
    message: w.fr,
  }));
  if (problems.length > 0) return { ok: false, problems, warnings };
  return { ok: true, playlist, problems: [], warnings };
}

/** A revision is a whole number (0: no draft); anything else is a malformed request, not a conflict. */
function checkRevision(revision: unknown): void {
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) {
    throw new EditorError(422, 'invalid', 'Requête incomplète : le numéro de révision manque.', [
      {
        pointer: '/revision',
        message: 'doit être un nombre entier (0 quand la chaîne n’a pas de brouillon)',
      },
    ]);
  }
}

/** 422 `invalid` with the problems. */
function invalid(problems: ApiProblem[]): EditorError {
  return new EditorError(
    422,
    'invalid',
    problems.length === 1
      ? 'Le contenu a un problème : corrigez-le, puis réessayez.'
      : `Le contenu a ${problems.length} problèmes : corrigez-les, puis réessayez.`,
    problems,
  );
}

/**
 * publish.ts speaks English to the command line ("/items/3/file: x.mp4 looks like …"):
 * for staff, the field and a French message.
 */
function publishProblem(e: UserError): EditorError {
  const m = /^(\/[^:\s]*): (.*)$/.exec(e.message);
  if (!m) throw e;
  const [, pointer, detail] = m as unknown as [string, string, string];
  const message = /could not read the length/.test(detail)
    ? 'la durée de la vidéo n’a pas pu être lue : indiquez « duration » en secondes'
    : 'ce fichier de la médiathèque est illisible ou n’est pas du type attendu ici : envoyez-le de nouveau';
  return invalid([{ pointer, message }]);
}

/** Writes a file so a reader sees the old or the new bytes (files.ts's writeFileAtomic, synchronous). */
function writeFileAtomicSync(path: string, data: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.part`;
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    for (let off = 0; off < data.length;) off += writeSync(fd, data, off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

export class ChannelService {
  readonly db: Db;
  readonly libraryDir: string;
  private readonly now: () => number;
  /** Channels being approved right now: signing is async, a second approve waits its turn. */
  private readonly approving = new Set<string>();

  constructor(readonly options: ChannelServiceOptions) {
    this.db = options.db;
    this.libraryDir = options.libraryDir;
    this.now = options.now ?? Date.now;
    migrateEditor(this.db);
  }

  private channelRow(id: string): ChannelRow {
    const row = this.db.prepare('SELECT * FROM channels WHERE id = ?').get(id) as ChannelRow | undefined;
    if (!row) throw notFound(id);
    return row;
  }

  private draftRow(id: string): DraftRow | undefined {
    return this.db.prepare('SELECT * FROM drafts WHERE channel = ?').get(id) as DraftRow | undefined;
  }

  private latestVersion(id: string): VersionRow | undefined {
    return this.db
      .prepare('SELECT * FROM versions WHERE channel = ? ORDER BY version DESC LIMIT 1')
      .get(id) as VersionRow | undefined;
  }

  private summaryOf(row: DraftRow): DraftSummary {
    return {
      state: row.state,
      revision: row.revision,
      author: row.author,
      updatedAt: iso(row.updated_at),
      updatedBy: row.updated_by,
      ...(row.submitted_at !== null ? { submittedAt: iso(row.submitted_at) } : {}),
      ...(row.comment !== null ? { comment: row.comment } : {}),
    };
  }

  private draftOf(row: DraftRow): Draft {
    return { playlist: JSON.parse(row.playlist) as SourcePlaylist, ...this.summaryOf(row) };
  }

  private publishedOf(id: string): PublishedSummary | null {
    const v = this.latestVersion(id);
    return v ? { version: v.version, issued: v.issued, by: v.approved_by } : null;
  }

  private base(row: ChannelRow) {
    return {
      id: row.id,
      name: row.name,
      timezone: row.timezone,
      site: row.site === null ? null : (JSON.parse(row.site) as ChannelSummary['site']),
    };
  }

  private insertChannel(c: ChannelRow & { createdAt: number; createdBy: string }): void {
    this.db
      .prepare(
        `INSERT INTO channels (id, name, timezone, site, created_at, created_by, revision)
         VALUES (@id, @name, @timezone, @site, @createdAt, @createdBy, @revision)`,
      )
      .run(c);
  }

  private insertVersion(v: VersionRow): void {
    this.db
      .prepare(
        `INSERT INTO versions (channel, version, playlist, issued, expires, author, approved_by, items, manifest_sha256)
         VALUES (@channel, @version, @playlist, @issued, @expires, @author, @approved_by, @items, @manifest_sha256)`,
      )
      .run(v);
  }

  exists(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM channels WHERE id = ?').get(id) !== undefined;
  }

  list(): ChannelSummary[] {
    const rows = this.db.prepare('SELECT * FROM channels ORDER BY id').all() as ChannelRow[];
    return rows.map((row) => {
      const draft = this.draftRow(row.id);
      return {
        ...this.base(row),
        published: this.publishedOf(row.id),
        draft: draft ? this.summaryOf(draft) : null,
      };
    });
  }

  get(id: string): ChannelDetail {
    const row = this.channelRow(id);
    const draft = this.draftRow(id);
    const latest = this.latestVersion(id);
    return {
      ...this.base(row),
      published: this.publishedOf(id),
      draft: draft ? this.draftOf(draft) : null,
      publishedPlaylist: latest ? (JSON.parse(latest.playlist) as SourcePlaylist) : null,
    };
  }

  check(id: string, playlist: unknown): PlaylistCheck {
    this.channelRow(id);
    return checkPlaylist(playlist, id, this.libraryDir, this.now());
  }

  /** A new channel with an empty draft (its site to be completed before it can be saved). */
  create(
    user: User,
    input: { id: unknown; name: unknown; timezone?: unknown; site?: unknown },
  ): ChannelSummary {
    const problems: ApiProblem[] = [];
    const site = (input.site ?? {}) as Record<string, unknown>;
    if (input.site !== undefined && (typeof input.site !== 'object' || input.site === null)) {
      problems.push({ pointer: '/site', message: VALIDATION_MESSAGES['type.object'].fr });
    }
    const draft = {
      channel: input.id,
      timezone: input.timezone ?? DEFAULT_TIMEZONE,
      site: { name: input.name, commune: site.commune ?? '', department: site.department ?? '' },
      hours: [],
      items: [],
    };
    const result = validateSourcePlaylist(draft);
    // Which body field each playlist field came from; the site may be completed later.
    const fields: Record<string, string> = {
      '/channel': '/id',
      '/timezone': '/timezone',
      '/site/name': '/name',
      ...(input.site === undefined
        ? {}
        : { '/site/commune': '/site/commune', '/site/department': '/site/department' }),
    };
    if (!result.ok) {
      for (const p of result.problems) {
        const pointer = fields[p.pointer];
        if (pointer) problems.push({ pointer, message: messageFr(p) });
      }
    }
    if (problems.length > 0) throw invalid(problems);
    const id = input.id as string;
    if (this.exists(id)) {
      throw new EditorError(409, 'conflict', `La chaîne « ${id} » existe déjà.`, [
        { pointer: '/id', message: 'est déjà l’identifiant d’une autre chaîne' },
      ]);
    }
    const now = this.now();
    this.db.transaction(() => {
      this.insertChannel({
        id,
        name: input.name as string,
        timezone: draft.timezone as string,
        site: input.site === undefined ? null : JSON.stringify(draft.site),
        createdAt: now,
        createdBy: user.login,
        revision: 1,
      });
      this.db
        .prepare(
          `INSERT INTO drafts (channel, playlist, revision, state, author_id, author, updated_at, updated_by)
           VALUES (?, ?, 1, 'editing', ?, ?, ?, ?)`,
        )
        .run(id, JSON.stringify(draft), user.id, user.login, now, user.login);
      audit(this.db, user, 'channel-create', id, { name: input.name }, now);
    })();
    return this.list().find((c) => c.id === id)!;
  }

  /**
   * Saves the draft. `revision` is the draft's current one, or 0 when the channel
   * has no draft: anything else means someone else saved (or published) since.
   */
  saveDraft(user: User, id: string, playlist: unknown, revision: unknown): Draft {
    const row = this.channelRow(id);
    const draft = this.draftRow(id);
    checkRevision(revision);
    if (revision !== (draft?.revision ?? 0)) throw staleRevision();
    const checked = checkPlaylist(playlist, id, this.libraryDir, this.now());
    if (!checked.ok) throw invalid(checked.problems);
    // A rejected draft keeps the validateur's comment while it is edited.
    return this.writeDraft(user, row, playlist, { keepComment: true }, 'draft-save', (next) => ({
      revision: next,
      items: checked.playlist.items.length,
    }));
  }

  /**
   * Writes the draft's playlist as the channel's next revision, state editing, with
   * `user` as its author, and its audit row (`detail` of the new revision), in one transaction.
   * Saving a submitted draft takes it back to editing: the validateur approves what was submitted.
   */
  private writeDraft(
    user: User,
    row: ChannelRow,
    playlist: unknown,
    options: { keepComment: boolean },
    action: 'draft-save' | 'restore',
    detail: (revision: number) => Record<string, unknown>,
  ): Draft {
    const now = this.now();
    const next = row.revision + 1;
    this.db.transaction(() => {
      this.db.prepare('UPDATE channels SET revision = ? WHERE id = ?').run(next, row.id);
      this.db
        .prepare(
          `INSERT INTO drafts (channel, playlist, revision, state, author_id, author, updated_at, updated_by)
           VALUES (?, ?, ?, 'editing', ?, ?, ?, ?)
           ON CONFLICT(channel) DO UPDATE SET playlist = excluded.playlist, revision = excluded.revision,
             state = 'editing', author_id = excluded.author_id, author = excluded.author,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by, submitted_at = NULL,
             comment = CASE WHEN ? THEN comment END`,
        )
        .run(
          row.id,
          JSON.stringify(playlist),
          next,
          user.id,
          user.login,
          now,
          user.login,
          options.keepComment ? 1 : 0,
        );
      audit(this.db, user, action, row.id, detail(next), now);
    })();
    return this.draftOf(this.draftRow(row.id)!);
  }

  private requireDraft(id: string): DraftRow {
    this.channelRow(id);
    const draft = this.draftRow(id);
    if (!draft) throw noDraft();
    return draft;
  }

  private setState(
    user: User,
    id: string,
    state: DraftState,
    action: string,
    comment: string | null,
    detail: Record<string, unknown>,
  ): Draft {
    const now = this.now();
    this.db.transaction(() => {
      this.db
        .prepare(
          'UPDATE drafts SET state = ?, submitted_at = ?, comment = ?, updated_at = ?, updated_by = ? WHERE channel = ?',
        )
        .run(state, state === 'submitted' ? now : null, comment, now, user.login, id);
      audit(this.db, user, action, id, detail, now);
    })();
    return this.draftOf(this.draftRow(id)!);
  }

  submit(user: User, id: string, revision: unknown, comment?: unknown): Draft {
    const draft = this.requireDraft(id);
    checkRevision(revision);
    if (revision !== draft.revision) throw staleRevision();
    if (draft.state === 'submitted') throw conflict('Ce brouillon est déjà soumis à validation.');
    const note = this.comment(comment, false);
    const checked = checkPlaylist(JSON.parse(draft.playlist), id, this.libraryDir, this.now());
    if (!checked.ok) throw invalid(checked.problems);
    return this.setState(user, id, 'submitted', 'draft-submit', note, { revision: draft.revision });
  }

  withdraw(user: User, id: string): Draft {
    const draft = this.requireDraft(id);
    if (draft.state !== 'submitted') throw conflict('Ce brouillon n’est pas soumis à validation.');
    return this.setState(user, id, 'editing', 'draft-withdraw', draft.comment, { revision: draft.revision });
  }

  reject(user: User, id: string, comment: unknown): Draft {
    const draft = this.requireDraft(id);
    const text = this.comment(comment, true)!;
    if (draft.state !== 'submitted') throw conflict('Ce brouillon n’est pas soumis à validation.');
    return this.setState(user, id, 'editing', 'draft-reject', text, {
      revision: draft.revision,
      comment: text,
    });
  }

  private comment(value: unknown, required: boolean): string | null {
    const text = typeof value === 'string' ? value.trim() : value;
    if (text === undefined || text === null || text === '') {
      if (!required) return null;
      throw invalid([
        { pointer: '/comment', message: 'est obligatoire : dites au rédacteur ce qu’il faut changer' },
      ]);
    }
    if (typeof text !== 'string' || text.length > 2000) {
      throw invalid([{ pointer: '/comment', message: 'doit être un texte d’au plus 2000 caractères' }]);
    }
    return text;
  }

  /**
   * Publishes the submitted draft: checks it again, signs it with the server's key
   * as version published+1, writes public/channels/<id>/manifest.json and records
   * the version, all or nothing. The approver must not be the draft's author.
   */
  async approve(user: User, id: string, revision: unknown): Promise<{ version: number }> {
    const draft = this.requireDraft(id);
    if (draft.state !== 'submitted')
      throw conflict('Ce brouillon n’est pas soumis à validation : le rédacteur doit le soumettre d’abord.');
    if (draft.author_id === user.id) {
      throw new EditorError(
        403,
        'own-draft',
        'Vous avez rédigé ce brouillon : un autre validateur doit l’approuver.',
      );
    }
    checkRevision(revision);
    if (revision !== draft.revision) throw staleRevision();
    if (this.approving.has(id)) throw conflict('Ce brouillon est déjà en cours de publication.');
    this.approving.add(id);
    try {
      return await this.publish(user, id, draft);
    } finally {
      this.approving.delete(id);
    }
  }

  private async publish(user: User, id: string, draft: DraftRow): Promise<{ version: number }> {
    return this.signAndRecord(id, draft.playlist, {
      author: draft.author,
      approvedBy: user.login,
      auditUser: user,
      action: 'approve',
      detail: { author: draft.author, revision: draft.revision },
      draft,
    });
  }

  /**
   * Signs the latest version's playlist again as a new version when its manifest
   * expires within `withinDays`: an expired manifest keeps playing where it was
   * accepted, but a new or reset screen refuses it (docs/trust.md). Same content,
   * version+1, recorded as approved by `renew`. Returns what was renewed; a channel
   * that cannot be (a file gone from the library) is reported, not thrown.
   */
  async renewExpiring(withinDays = 7): Promise<{
    renewed: { channel: string; version: number }[];
    failed: { channel: string; error: string }[];
  }> {
    const limit = this.now() + withinDays * 86_400_000;
    const renewed: { channel: string; version: number }[] = [];
    const failed: { channel: string; error: string }[] = [];
    for (const { id } of this.db.prepare('SELECT id FROM channels ORDER BY id').all() as { id: string }[]) {
      const latest = this.latestVersion(id);
      if (!latest || Date.parse(latest.expires) > limit) continue;
      try {
        const { version } = await this.signAndRecord(id, latest.playlist, {
          author: latest.author,
          approvedBy: 'renew',
          auditUser: 'renew',
          action: 'renew',
          detail: { from: latest.version },
        });
        renewed.push({ channel: id, version });
      } catch (e) {
        const problems = e instanceof EditorError ? (e.problems ?? []) : [];
        failed.push({
          channel: id,
          error: [(e as Error).message, ...problems.map((p) => `${p.pointer}: ${p.message}`)].join('; '),
        });
      }
    }
    return { renewed, failed };
  }

  /**
   * Checks and signs a playlist as the channel's next version, then records it and
   * writes the manifest in one transaction (see the top of this file). With `draft`,
   * that draft must be unchanged meanwhile and is removed.
   */
  private async signAndRecord(
    id: string,
    playlistJson: string,
    how: {
      author: string;
      approvedBy: string;
      auditUser: User | string;
      action: 'approve' | 'renew';
      detail: Record<string, unknown>;
      draft?: DraftRow;
    },
  ): Promise<{ version: number }> {
    const checked = checkPlaylist(JSON.parse(playlistJson), id, this.libraryDir, this.now());
    if (!checked.ok) throw invalid(checked.problems);
    const latest = this.latestVersion(id);
    // The file decides too: a version signed outside the editor must not be reused.
    const onDisk = (await readPublishedVersion(this.options.publicDir, id).catch(() => undefined)) ?? 0;
    const version = Math.max(latest?.version ?? 0, onDisk) + 1;
    let prepared;
    try {
      const { body, media } = await buildManifestBodyIn(this.libraryDir, checked.playlist);
      prepared = await prepareManifest(
        body,
        media,
        {
          key: this.options.manifestKey,
          outDir: this.options.publicDir,
          version,
          expiresInDays: this.options.expiresInDays ?? DEFAULT_EXPIRES_IN_DAYS,
          now: new Date(this.now()),
        },
        `channel ${id}`,
      );
    } catch (e) {
      if (e instanceof UserError) throw publishProblem(e);
      throw e;
    }
    const { manifest, envelope, manifestPath } = prepared;
    const previous = (() => {
      try {
        return readFileSync(manifestPath);
      } catch {
        return undefined;
      }
    })();
    const { draft } = how;
    let written = false;
    const record = this.db.transaction(() => {
      // Nothing may have changed while the media were hashed and the manifest signed.
      if (draft) {
        const current = this.draftRow(id);
        if (!current || current.revision !== draft.revision || current.state !== 'submitted')
          throw staleRevision();
      }
      if ((this.latestVersion(id)?.version ?? 0) !== (latest?.version ?? 0)) throw staleRevision();
      this.insertVersion({
        channel: id,
        version: manifest.version,
        playlist: playlistJson,
        issued: manifest.issued,
        expires: manifest.expires,
        author: how.author,
        approved_by: how.approvedBy,
        items: manifest.items.length,
        manifest_sha256: createHash('sha256').update(envelope).digest('hex'),
      });
      if (draft) this.db.prepare('DELETE FROM drafts WHERE channel = ?').run(id);
      this.db
        .prepare('UPDATE channels SET timezone = ?, site = ? WHERE id = ?')
        .run(manifest.timezone, JSON.stringify(manifest.site), id);
      audit(
        this.db,
        how.auditUser,
        how.action,
        id,
        { version: manifest.version, ...how.detail, items: manifest.items.length },
        this.now(),
      );
      // Last, so that a failed write rolls everything back.
      writeFileAtomicSync(manifestPath, envelope);
      written = true;
    });
    try {
      record();
    } catch (e) {
      // The commit itself failed after the file was written: put the old file back.
      if (written) {
        if (previous) writeFileAtomicSync(manifestPath, previous);
        else rmSync(manifestPath, { force: true });
      }
      throw e;
    }
    return { version: manifest.version };
  }

  versions(id: string): VersionSummary[] {
    this.channelRow(id);
    const rows = this.db
      .prepare('SELECT * FROM versions WHERE channel = ? ORDER BY version DESC')
      .all(id) as VersionRow[];
    return rows.map((r) => ({
      version: r.version,
      issued: r.issued,
      author: r.author,
      approvedBy: r.approved_by,
      items: r.items,
    }));
  }

  version(id: string, version: number): { version: number; playlist: SourcePlaylist } {
    this.channelRow(id);
    const row = this.db
      .prepare('SELECT * FROM versions WHERE channel = ? AND version = ?')
      .get(id, version) as VersionRow | undefined;
    if (!row) throw new EditorError(404, 'not-found', `La version ${version} de « ${id} » n’existe pas.`);
    return { version: row.version, playlist: JSON.parse(row.playlist) as SourcePlaylist };
  }

  /**
   * The draft becomes a published version's playlist (state editing), written by
   * `user`: someone else approves it. `revision`, when given, is checked as for a save.
   */
  restore(user: User, id: string, version: number, revision?: unknown): Draft {
    const row = this.channelRow(id);
    const { playlist } = this.version(id, version);
    const draft = this.draftRow(id);
    if (revision !== undefined) checkRevision(revision);
    if (revision !== undefined && revision !== (draft?.revision ?? 0)) throw staleRevision();
    return this.writeDraft(user, row, playlist, { keepComment: false }, 'restore', (next) => ({
      version,
      revision: next,
    }));
  }

  /**
   * An unsigned manifest of a playlist for the editor's preview (`<ccsp-player
   * no-fetch>`): every media reference also carries `name`, its library name, so
   * the preview loads it from `/api/editor/media/<name>`.
   */
  async preview(id: string, input: unknown): Promise<{ manifest: Manifest; warnings: ScheduleWarningFr[] }> {
    const checked = this.check(id, input);
    if (!checked.ok) throw invalid(checked.problems);
    let body;
    try {
      ({ body } = await buildManifestBodyIn(this.libraryDir, checked.playlist));
    } catch (e) {
      if (e instanceof UserError) throw publishProblem(e);
      throw e;
    }
    const now = this.now();
    const { format, channel, ...content } = body;
    const manifest = {
      format,
      channel,
      version: (this.latestVersion(id)?.version ?? 0) + 1,
      issued: iso(now),
      expires: iso(now + (this.options.expiresInDays ?? DEFAULT_EXPIRES_IN_DAYS) * 86_400_000),
      ...content,
    };
    const valid = validateManifest(manifest);
    if (!valid.ok) throw invalid(valid.problems.map((p) => ({ pointer: p.pointer, message: messageFr(p) })));
    return { manifest: withLibraryNames(valid.value, checked.playlist), warnings: checked.warnings };
  }

  /** Records a playlist published outside the editor (playlists/*.json at `serve` start). */
  importPublished(
    playlist: SourcePlaylist,
    published: { version: number; issued: string; expires: string; manifestSha256: string; items: number },
    name: string,
  ): void {
    const now = this.now();
    this.db.transaction(() => {
      this.insertChannel({
        id: playlist.channel,
        name,
        timezone: playlist.timezone ?? DEFAULT_TIMEZONE,
        site: JSON.stringify(playlist.site),
        createdAt: now,
        createdBy: 'import',
        revision: 0,
      });
      this.insertVersion({
        channel: playlist.channel,
        version: published.version,
        playlist: JSON.stringify(playlist),
        issued: published.issued,
        expires: published.expires,
        author: 'import',
        approved_by: 'import',
        items: published.items,
        manifest_sha256: published.manifestSha256,
      });
      audit(this.db, 'import', 'import', playlist.channel, { version: published.version }, now);
    })();
  }
}

/** Adds `name` (the library name) to every media reference of a manifest built from `source`. */
function withLibraryNames(manifest: Manifest, source: SourcePlaylist): Manifest {
  const named = <T extends MediaFile>(ref: T) => ({
    ...ref,
    name: mediaFileName(ref),
  });
  const items = manifest.items.map((item, i) => {
    const src = source.items[i]!;
    switch (item.kind) {
      case 'announcement':
        return { ...item, image: item.image && named(item.image) };
      case 'explainer':
        return { ...item, steps: item.steps.map((s) => ({ ...s, image: s.image && named(s.image) })) };
      case 'video': {
        const dir = src.kind === 'video' && src.hls ? src.hls.slice(0, src.hls.lastIndexOf('/') + 1) : '';
        return {
          ...item,
          file: item.file && named(item.file),
          poster: item.poster && named(item.poster),
          captions: item.captions.map((c) => ({ ...c, file: named(c.file) })),
          hls: item.hls && {
            ...item.hls,
            files: item.hls.files.map((f) => ({ ...f, name: `${dir}${f.path}` })),
          },
        };
      }
    }
  });
  return { ...manifest, items } as Manifest;
}

/**
 * Every channel's draft and published playlists (the media library uses it to say
 * where a file is used).
 */
export function channelPlaylists(
  db: Db,
): { channel: string; where: 'draft' | 'published'; playlist: SourcePlaylist }[] {
  migrateEditor(db);
  const drafts = db.prepare('SELECT channel, playlist FROM drafts ORDER BY channel').all() as {
    channel: string;
    playlist: string;
  }[];
  const published = db
    .prepare(
      `SELECT v.channel, v.playlist FROM versions v
       WHERE v.version = (SELECT max(version) FROM versions WHERE channel = v.channel) ORDER BY v.channel`,
    )
    .all() as { channel: string; playlist: string }[];
  return [
    ...drafts.map((r) => ({
      channel: r.channel,
      where: 'draft' as const,
      playlist: JSON.parse(r.playlist) as SourcePlaylist,
    })),
    ...published.map((r) => ({
      channel: r.channel,
      where: 'published' as const,
      playlist: JSON.parse(r.playlist) as SourcePlaylist,
    })),
  ];
}
