/**
 * The telemetry routes for staff, behind an editor session (docs/editor-api.md):
 * the fleet view (any role) and proof-of-play reports (validateur). They need
 * editorRoutes() on the same app, before them in AppOptions.routes.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChannelStore } from '../channel-store.ts';
import type { Role } from '../editor/accounts.ts';
import { requireRole, sendError } from '../editor/guard.ts';
import { fleet } from './fleet.ts';
import { buildReport, checkReportQuery, rawCsv, UTF8_BOM } from './report.ts';
import type { TelemetryStore } from './store.ts';

export const FLEET_PATH = '/api/editor/fleet';
export const REPORT_PATH = '/api/telemetry/v1/report';

export interface TelemetryEditorOptions {
  store: TelemetryStore;
  channels: ChannelStore;
  publicDir: string;
  now?: () => number;
}

/**
 * requireRole(role), or a 404 on a server without the editor (a centre's box):
 * these routes can be registered whether or not editorRoutes() is.
 */
function staffOnly(role: Role) {
  const guard = requireRole(role);
  return async (request: FastifyRequest, reply: FastifyReply) =>
    (request.server as { ccspEditor?: unknown }).ccspEditor
      ? guard(request, reply)
      : sendError(reply, 404, 'not-found', 'L’éditeur n’est pas activé sur ce serveur.');
}

function* withBom(chunks: Iterable<string>): Generator<string> {
  yield UTF8_BOM;
  yield* chunks;
}

export function telemetryEditorRoutes(options: TelemetryEditorOptions): (app: FastifyInstance) => void {
  const now = options.now ?? Date.now;
  return (app) => {
    app.get(FLEET_PATH, { preHandler: staffOnly('redacteur') }, async (_request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send(await fleet(options.store, options.channels, options.publicDir, now())),
    );

    app.get<{ Querystring: Record<string, string | undefined> }>(
      REPORT_PATH,
      { preHandler: staffOnly('validateur') },
      async (request, reply) => {
        const { channel, from, to, format = 'json' } = request.query;
        const problem = checkReportQuery({ channel, from, to });
        if (problem || (format !== 'json' && format !== 'csv'))
          return sendError(
            reply,
            400,
            'invalid',
            'Rapport impossible : indiquez une chaîne (channel), des dates de début et de fin au format AAAA-MM-JJ (from, to ; un an au plus) et un format csv ou json.',
          );
        const query = { channel: channel!, from: from!, to: to! };
        const report = buildReport(options.store, query, await options.channels.manifest(query.channel));
        reply.header('cache-control', 'no-store');
        if (format === 'json') {
          const { raw: _raw, ...summary } = report;
          return reply.send(summary);
        }
        // Streamed: a year of records is never one string in memory.
        return reply
          .header('content-type', 'text/csv; charset=utf-8; header=present')
          .header(
            'content-disposition',
            `attachment; filename="diffusions-${query.channel}-${query.from}-${query.to}.csv"`,
          )
          .send(Readable.from(withBom(rawCsv(report))));
      },
    );
  };
}
