/** The HTTP side of channels.ts (docs/editor-api.md "Channels, drafts, workflow, history"). */
import type { FastifyInstance } from 'fastify';
import { bodyOf, requireRole, sendEditorError, sendError, userOf } from './guard.ts';
import type { ChannelService } from './channels.ts';

/** A playlist of 500 items with long texts fits; Fastify's default is 1 MiB. */
const PLAYLIST_BODY_LIMIT = 4 << 20;

type Params = { id: string };
type VersionParams = { id: string; version: string };

export function registerChannelRoutes(app: FastifyInstance, channels: ChannelService): void {
  const any = requireRole('redacteur');
  const redacteur = { preHandler: requireRole('redacteur') };
  const validateur = { preHandler: requireRole('validateur') };

  app.get('/api/editor/channels', { preHandler: any }, async () => ({ channels: channels.list() }));

  app.post('/api/editor/channels', { preHandler: requireRole('admin') }, async (request, reply) => {
    try {
      const b = bodyOf(request);
      const channel = channels.create(userOf(request), {
        id: b.id,
        name: b.name,
        timezone: b.timezone,
        site: b.site,
      });
      return reply.code(201).send({ channel });
    } catch (e) {
      return sendEditorError(reply, e);
    }
  });

  app.get<{ Params: Params }>('/api/editor/channels/:id', { preHandler: any }, async (request, reply) => {
    try {
      return channels.get(request.params.id);
    } catch (e) {
      return sendEditorError(reply, e);
    }
  });

  app.post<{ Params: Params }>(
    '/api/editor/channels/:id/validate',
    { preHandler: any, bodyLimit: PLAYLIST_BODY_LIMIT },
    async (request, reply) => {
      try {
        const { ok, problems, warnings } = channels.check(request.params.id, bodyOf(request).playlist);
        return { ok, problems, warnings };
      } catch (e) {
        return sendEditorError(reply, e);
      }
    },
  );

  app.put<{ Params: Params }>(
    '/api/editor/channels/:id/draft',
    { ...redacteur, bodyLimit: PLAYLIST_BODY_LIMIT },
    async (request, reply) => {
      try {
        const b = bodyOf(request);
        const draft = channels.saveDraft(userOf(request), request.params.id, b.playlist, b.revision);
        const { warnings } = channels.check(request.params.id, draft.playlist);
        return { draft, warnings };
      } catch (e) {
        return sendEditorError(reply, e);
      }
    },
  );

  app.post<{ Params: Params }>('/api/editor/channels/:id/submit', redacteur, async (request, reply) => {
    try {
      const b = bodyOf(request);
      return { draft: channels.submit(userOf(request), request.params.id, b.revision, b.comment) };
    } catch (e) {
      return sendEditorError(reply, e);
    }
  });

  app.post<{ Params: Params }>('/api/editor/channels/:id/withdraw', redacteur, async (request, reply) => {
    try {
      return { draft: channels.withdraw(userOf(request), request.params.id) };
    } catch (e) {
      return sendEditorError(reply, e);
    }
  });

  app.post<{ Params: Params }>('/api/editor/channels/:id/reject', validateur, async (request, reply) => {
    try {
      return { draft: channels.reject(userOf(request), request.params.id, bodyOf(request).comment) };
    } catch (e) {
      return sendEditorError(reply, e);
    }
  });

  app.post<{ Params: Params }>('/api/editor/channels/:id/approve', validateur, async (request, reply) => {
    try {
      return await channels.approve(userOf(request), request.params.id, bodyOf(request).revision);
    } catch (e) {
      return sendEditorError(reply, e);
    }
  });

  app.get<{ Params: Params }>(
    '/api/editor/channels/:id/versions',
    { preHandler: any },
    async (request, reply) => {
      try {
        return { versions: channels.versions(request.params.id) };
      } catch (e) {
        return sendEditorError(reply, e);
      }
    },
  );

  const versionNumber = (text: string) => (/^[1-9]\d{0,9}$/.test(text) ? Number(text) : undefined);

  app.get<{ Params: VersionParams }>(
    '/api/editor/channels/:id/versions/:version',
    { preHandler: any },
    async (request, reply) => {
      const version = versionNumber(request.params.version);
      if (version === undefined) return sendError(reply, 404, 'not-found', 'Cette version n’existe pas.');
      try {
        return channels.version(request.params.id, version);
      } catch (e) {
        return sendEditorError(reply, e);
      }
    },
  );

  app.post<{ Params: VersionParams }>(
    '/api/editor/channels/:id/versions/:version/restore',
    redacteur,
    async (request, reply) => {
      const version = versionNumber(request.params.version);
      if (version === undefined) return sendError(reply, 404, 'not-found', 'Cette version n’existe pas.');
      try {
        return {
          draft: channels.restore(userOf(request), request.params.id, version, bodyOf(request).revision),
        };
      } catch (e) {
        return sendEditorError(reply, e);
      }
    },
  );

  app.post<{ Params: Params }>(
    '/api/editor/channels/:id/preview',
    { preHandler: any, bodyLimit: PLAYLIST_BODY_LIMIT },
    async (request, reply) => {
      try {
        return await channels.preview(request.params.id, bodyOf(request).playlist);
      } catch (e) {
        return sendEditorError(reply, e);
      }
    },
  );
}
