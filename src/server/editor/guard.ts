/**
 * Who may call an editor route: the session behind the `ccsp_session` cookie, its
 * role, and a same-origin `Origin` on every request that changes something
 * (docs/editor-api.md "Conventions"). Any module's editor routes use these:
 *
 *   app.post('/api/editor/media', { preHandler: requireRole('redacteur') }, handler)
 *
 * They need editorRoutes() (index.ts) registered on the same app: it puts the
 * database and the clock where the guard finds them (`app.ccspEditor`).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasRole, ROLE_LABELS_FR, type Accounts, type Role, type User } from './accounts.ts';
import { readCookie, sessionCookie, SESSION_COOKIE, type Sessions } from './sessions.ts';
import type { Db } from '../db.ts';

export interface EditorContext {
  db: Db;
  accounts: Accounts;
  sessions: Sessions;
  now: () => number;
  /**
   * The origin browsers use when a TLS proxy sits in front (`https://editeur.example`):
   * accepted besides the request's own, which is then `http://…`.
   */
  publicOrigin?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Set by editorRoutes(); read by requireRole(). */
    ccspEditor: EditorContext | null;
  }
  interface FastifyRequest {
    /** The logged-in user, set by requireRole(). */
    editorUser: User | null;
  }
}

export interface ApiProblem {
  /** JSON pointer into the request body, e.g. `/playlist/items/2/schedule/until` or `/items/2/…`. */
  pointer: string;
  /** French, for staff. */
  message: string;
}

/** The request's JSON object body; anything else (none, an array, a string) reads as `{}`. */
export const bodyOf = (request: FastifyRequest): Record<string, unknown> =>
  request.body && typeof request.body === 'object' && !Array.isArray(request.body)
    ? (request.body as Record<string, unknown>)
    : {};

/** The error answer of docs/editor-api.md: `{error: {code, message, problems?}}`. */
export function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  messageFr: string,
  problems?: readonly ApiProblem[],
): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .send({ error: { code, message: messageFr, ...(problems ? { problems } : {}) } });
}

/** A refused editor request, thrown by the services and answered by sendEditorError. */
export class EditorError extends Error {
  override name = 'EditorError';
  constructor(
    readonly status: number,
    readonly code: string,
    /** French, for staff. */
    readonly messageFr: string,
    readonly problems?: readonly ApiProblem[],
  ) {
    super(messageFr);
  }
}

/** Answers an EditorError; anything else is rethrown (a 500 from the error handler). */
export function sendEditorError(reply: FastifyReply, e: unknown): FastifyReply {
  if (!(e instanceof EditorError)) throw e;
  return sendError(reply, e.status, e.code, e.messageFr, e.problems);
}

/**
 * Fastify's own errors (bad JSON, a body too large or of another type) and crashes,
 * in the docs' error shape; for a scope's setErrorHandler. `badRequestFr` says what
 * was malformed.
 */
export function sendFastifyError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: FastifyError,
  badRequestFr = 'Requête mal formée. Rechargez la page, puis réessayez.',
): FastifyReply {
  const status = error.statusCode ?? 500;
  if (status === 413) return sendError(reply, 413, 'too-large', 'Envoi trop volumineux.');
  if (status === 415)
    return sendError(reply, 415, 'bad-type', 'Type de contenu non pris en charge (attendu : JSON).');
  if (status < 500) return sendError(reply, 400, 'bad-request', badRequestFr);
  request.log.error(error);
  return sendError(
    reply,
    500,
    'internal',
    'Erreur interne du serveur. Réessayez ; si elle persiste, prévenez l’administrateur.',
  );
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `${protocol}://${host}` of the request, as a URL origin (default ports dropped). */
export function ownOrigin(request: FastifyRequest): string | undefined {
  try {
    return new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    return undefined;
  }
}

/** True for GET/HEAD/OPTIONS, or when `Origin` is the server's own. */
export function originAllowed(request: FastifyRequest): boolean {
  if (SAFE_METHODS.has(request.method)) return true;
  const origin = request.headers.origin;
  if (!origin) return false;
  return origin === ownOrigin(request) || origin === request.server.ccspEditor?.publicOrigin;
}

/** Whether the browser reached us over https (directly, or through the public https origin). */
export function isSecure(request: FastifyRequest): boolean {
  if (request.protocol === 'https') return true;
  const pub = request.server.ccspEditor?.publicOrigin;
  return Boolean(pub?.startsWith('https:') && request.headers.origin === pub);
}

const refuseOrigin = (reply: FastifyReply) =>
  sendError(
    reply,
    403,
    'bad-origin',
    'Requête refusée : elle ne vient pas de l’éditeur de ce serveur. Rechargez la page de l’éditeur, puis réessayez.',
  );

/**
 * A preHandler: a cross-site form or script cannot change anything. A request
 * that is not GET/HEAD/OPTIONS needs an `Origin` equal to the server's own; a
 * missing one is refused too (browsers send it on every POST, PUT, PATCH, DELETE).
 */
export async function checkOrigin(
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  // Returning the reply tells Fastify the hook answered (async hooks).
  return originAllowed(request) ? undefined : refuseOrigin(reply);
}

export function editorContext(app: FastifyInstance): EditorContext {
  const ctx = app.ccspEditor;
  if (!ctx)
    throw new Error(
      'the editor routes are not registered on this server: add editorRoutes() to AppOptions.routes',
    );
  return ctx;
}

/** The user a requireRole() preHandler let through. */
export function userOf(request: FastifyRequest): User {
  if (!request.editorUser) throw new Error('this route has no requireRole() preHandler');
  return request.editorUser;
}

/** The session's user, or a 401 sent (not-logged-in / session-expired). */
export function sessionUser(request: FastifyRequest, reply: FastifyReply): User | FastifyReply {
  const { sessions } = editorContext(request.server);
  const found = sessions.lookup(readCookie(request.headers.cookie, SESSION_COOKIE));
  if (found.status === 'ok') return found.user;
  if (found.status === 'expired') {
    reply.header('set-cookie', sessionCookie(undefined, isSecure(request)));
    return sendError(reply, 401, 'session-expired', 'Votre session a expiré. Reconnectez-vous.');
  }
  return sendError(reply, 401, 'not-logged-in', 'Connectez-vous pour continuer.');
}

/**
 * A preHandler: the Origin check (for state-changing methods), then a live session
 * whose user has at least `role` (401, 403 `forbidden`); sets `request.editorUser`.
 */
export function requireRole(role: Role) {
  return async function guard(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply | undefined> {
    if (!originAllowed(request)) return refuseOrigin(reply);
    const user = sessionUser(request, reply);
    if (!('role' in user)) return user;
    if (!hasRole(user.role, role)) {
      return sendError(
        reply,
        403,
        'forbidden',
        `Action réservée au rôle ${ROLE_LABELS_FR[role]}${role === 'admin' ? '' : ' ou supérieur'}.`,
      );
    }
    request.editorUser = user;
    return undefined;
  };
}
