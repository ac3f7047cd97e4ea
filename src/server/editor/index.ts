/**
 * The editor's HTTP API (docs/editor-api.md), served by `ccsp-signage serve --publisher`:
 * sessions and accounts here, channels and their workflow in channels.ts.
 *
 *   buildApp({ publicDir, routes: [editorRoutes({ db, dataDir, publicDir, manifestKey })] })
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PrivateKey } from '../../core/index.ts';
import type { Db } from '../db.ts';
import { AccountError, Accounts, toUser } from './accounts.ts';
import { audit, auditEntries } from './audit.ts';
import {
  bodyOf,
  checkOrigin,
  isSecure,
  requireRole,
  sendError,
  sendFastifyError,
  sessionUser,
  userOf,
  type EditorContext,
} from './guard.ts';
import { readCookie, sessionCookie, SESSION_COOKIE, Sessions } from './sessions.ts';
import { LoginLimiter } from './login-limit.ts';
import { ChannelService } from './channels.ts';
import { registerChannelRoutes } from './channel-routes.ts';
import { MediaLibrary } from './media-library.ts';
import { mediaRoutes } from './media-routes.ts';
import { join } from 'node:path';

export { requireRole, checkOrigin, sendError, userOf } from './guard.ts';

export interface EditorOptions {
  db: Db;
  /** The data folder (CCSP_DATA_DIR): the media library lives in <dataDir>/library. */
  dataDir: string;
  /** Where approved manifests are written: <publicDir>/channels/<id>/manifest.json. */
  publicDir: string;
  /** Signs approved manifests; never leaves the server. */
  manifestKey: PrivateKey;
  /** The clock (tests move it to expire sessions). */
  now?: () => number;
  /** Days a published manifest is accepted for (publish.ts's default otherwise). */
  expiresInDays?: number;
  /** The https origin of a TLS proxy in front (CCSP_PUBLIC_ORIGIN), accepted as Origin too. */
  publicOrigin?: string;
}

function sendAccountError(reply: FastifyReply, e: unknown): FastifyReply {
  if (!(e instanceof AccountError)) throw e;
  const status = e.code === 'conflict' ? 409 : e.code === 'not-found' ? 404 : 422;
  return sendError(
    reply,
    status,
    e.code,
    e.messageFr,
    e.pointer ? [{ pointer: e.pointer, message: e.messageFr }] : undefined,
  );
}

/** The editor's routes, for AppOptions.routes. */
export function editorRoutes(options: EditorOptions): (app: FastifyInstance) => void {
  return (app) => {
    const now = options.now ?? Date.now;
    const accounts = new Accounts(options.db, now);
    const ctx: EditorContext = {
      db: options.db,
      accounts,
      sessions: new Sessions(options.db, now),
      now,
      ...(options.publicOrigin ? { publicOrigin: options.publicOrigin } : {}),
    };
    app.decorate('ccspEditor', ctx);
    app.decorateRequest('editorUser', null);
    void app.register(async (scope) => {
      // Every answer under /api/editor/ has the docs' error shape, Fastify's own
      // errors (bad JSON, a body too large) included.
      scope.setErrorHandler((error: FastifyError, request, reply) => sendFastifyError(request, reply, error));
      scope.setNotFoundHandler((_request, reply) =>
        sendError(reply, 404, 'not-found', 'Cette adresse de l’éditeur n’existe pas.'),
      );
      registerSessionRoutes(scope, ctx);
      registerUserRoutes(scope, ctx);
      registerChannelRoutes(scope, channelService(options));
      mediaRoutes({
        db: options.db,
        library: new MediaLibrary(options.db, join(options.dataDir, 'library')),
      })(scope);
    });
  };
}

/** The channels of this editor: their playlists' media live in <dataDir>/library. */
export function channelService(options: EditorOptions): ChannelService {
  return new ChannelService({
    db: options.db,
    libraryDir: join(options.dataDir, 'library'),
    publicDir: options.publicDir,
    manifestKey: options.manifestKey,
    ...(options.now ? { now: options.now } : {}),
    ...(options.expiresInDays ? { expiresInDays: options.expiresInDays } : {}),
  });
}

/**
 * The address to count login failures against. Behind the TLS proxy named by
 * CCSP_PUBLIC_ORIGIN every request comes from the proxy, which appends the real
 * client as the last X-Forwarded-For entry (earlier entries are the client's word).
 */
function clientAddress(request: FastifyRequest, ctx: EditorContext): string {
  const forwarded = request.headers['x-forwarded-for'];
  if (!ctx.publicOrigin || typeof forwarded !== 'string') return request.ip;
  return forwarded.split(',').at(-1)!.trim() || request.ip;
}

function registerSessionRoutes(app: FastifyInstance, ctx: EditorContext) {
  const limiter = new LoginLimiter(ctx.db, ctx.now);

  app.post('/api/editor/login', { preHandler: checkOrigin }, async (request, reply) => {
    const { login, password } = bodyOf(request);
    if (typeof login !== 'string' || typeof password !== 'string' || login === '') {
      return sendError(reply, 400, 'invalid', 'Saisissez votre identifiant et votre mot de passe.');
    }
    const ip = clientAddress(request, ctx);
    const wait = limiter.retryAfter(login, ip);
    if (wait !== undefined) {
      reply.header('retry-after', String(wait));
      const minutes = Math.ceil(wait / 60);
      return sendError(
        reply,
        429,
        'rate-limited',
        `Trop de tentatives de connexion. Réessayez dans ${minutes} minute${minutes > 1 ? 's' : ''}.`,
      );
    }
    // Counted as a failure before the password is checked: scrypt takes tens of
    // milliseconds, and attempts sent at once must not all pass the check above.
    // A success forgets it (limiter.succeed).
    limiter.fail(login, ip);
    const user = await ctx.accounts.authenticate(login, password);
    if (!user) return sendError(reply, 401, 'bad-credentials', 'Identifiant ou mot de passe incorrect.');
    const token = ctx.db.transaction(() => {
      limiter.succeed(login);
      audit(ctx.db, user, 'login', null, { ip }, ctx.now());
      return ctx.sessions.create(user.id, ip);
    })();
    reply.header('set-cookie', sessionCookie(token, isSecure(request)));
    return reply.header('cache-control', 'no-store').send({ user });
  });

  app.post('/api/editor/logout', { preHandler: checkOrigin }, async (request, reply) => {
    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    const found = ctx.sessions.lookup(token);
    ctx.db.transaction(() => {
      if (found.status === 'ok') audit(ctx.db, found.user, 'logout', null, {}, ctx.now());
      ctx.sessions.destroy(token);
    })();
    reply.header('set-cookie', sessionCookie(undefined, isSecure(request)));
    return reply.code(204).send();
  });

  app.get('/api/editor/me', async (request, reply) => {
    const user = sessionUser(request, reply);
    if (!('role' in user)) return user;
    return reply.header('cache-control', 'no-store').send({ user });
  });

  // A repeated parameter (`?channel=a&channel=b`) arrives as an array.
  app.get<{ Querystring: { channel?: string | string[]; limit?: string | string[] } }>(
    '/api/editor/audit',
    { preHandler: requireRole('validateur') },
    async (request, reply) => {
      const { channel, limit } = request.query;
      const n = limit === undefined ? 100 : typeof limit === 'string' ? Number(limit) : NaN;
      if (!Number.isSafeInteger(n) || n < 1)
        return sendError(reply, 400, 'invalid', 'Le paramètre « limit » doit être un nombre entier positif.');
      if (channel !== undefined && typeof channel !== 'string')
        return sendError(reply, 400, 'invalid', 'Le paramètre « channel » ne peut nommer qu’une chaîne.');
      return { entries: auditEntries(ctx.db, { ...(channel ? { channel } : {}), limit: n }) };
    },
  );
}

function registerUserRoutes(app: FastifyInstance, ctx: EditorContext) {
  const admin = { preHandler: requireRole('admin') };

  app.get('/api/editor/users', admin, async () => ({ users: ctx.accounts.list() }));

  app.post('/api/editor/users', admin, async (request, reply) => {
    const b = bodyOf(request);
    const fields = ['login', 'name', 'role', 'password'] as const;
    const missing = fields.filter((f) => typeof b[f] !== 'string');
    if (missing.length > 0) {
      return sendError(
        reply,
        422,
        'invalid',
        'Le compte est incomplet.',
        missing.map((f) => ({ pointer: `/${f}`, message: 'est obligatoire' })),
      );
    }
    try {
      const user = await ctx.accounts.add(b as Record<(typeof fields)[number], string>, (added) =>
        audit(ctx.db, userOf(request), 'user-add', null, { login: added.login, role: added.role }, ctx.now()),
      );
      return reply.code(201).send({ user });
    } catch (e) {
      return sendAccountError(reply, e);
    }
  });

  app.patch<{ Params: { id: string } }>('/api/editor/users/:id', admin, async (request, reply) => {
    const id = Number(request.params.id);
    const b = bodyOf(request);
    const changes: { name?: string; role?: string; password?: string; disabled?: boolean } = {};
    const problems: { pointer: string; message: string }[] = [];
    for (const f of ['name', 'role', 'password'] as const) {
      if (b[f] === undefined) continue;
      if (typeof b[f] === 'string') changes[f] = b[f];
      else problems.push({ pointer: `/${f}`, message: 'doit être un texte' });
    }
    if (b.disabled !== undefined) {
      if (typeof b.disabled === 'boolean') changes.disabled = b.disabled;
      else problems.push({ pointer: '/disabled', message: 'doit valoir true ou false' });
    }
    if (problems.length > 0) return sendError(reply, 422, 'invalid', 'Modification invalide.', problems);
    if (!Number.isSafeInteger(id) || !ctx.accounts.get(id))
      return sendError(reply, 404, 'not-found', 'Ce compte n’existe pas.');
    try {
      const user = await ctx.accounts.update(id, changes, (updated) => {
        const detail = {
          login: updated.login,
          ...(changes.name !== undefined ? { name: updated.name } : {}),
          ...(changes.role !== undefined ? { role: updated.role } : {}),
          ...(changes.disabled !== undefined ? { disabled: updated.disabled } : {}),
          ...(changes.password !== undefined ? { password: 'changed' } : {}),
        };
        audit(ctx.db, userOf(request), 'user-update', null, detail, ctx.now());
      });
      return { user: { ...toUser(user), disabled: user.disabled, createdAt: user.createdAt } };
    } catch (e) {
      return sendAccountError(reply, e);
    }
  });
}
