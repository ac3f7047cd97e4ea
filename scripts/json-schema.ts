/**
 * Exports the JSON Schemas of the source playlist and the signed manifest from
 * the valibot schemas in core, the single source. `npm run schema` writes them;
 * test/core/json-schema.test.ts fails when the committed files are stale.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import { ManifestSchema, SourcePlaylistSchema } from '../src/core/manifest-schema.ts';

function render(schema: Parameters<typeof toJsonSchema>[0], id: string, title: string): string {
  // Custom checks (unique ids, time zone names, hours order) have no JSON Schema
  // form; the CLI's `validate` runs them. errorMode 'ignore' leaves them out.
  const json = toJsonSchema(schema, { errorMode: 'ignore', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...json, $id: id, title }, null, 2)}\n`;
}

export const JSON_SCHEMAS = {
  'playlists/manifest.schema.json': () =>
    render(
      SourcePlaylistSchema,
      'https://ccsp-signage.bj/schema/playlist-1.json',
      'ccsp-signage source playlist, format 1',
    ),
  'playlists/signed-manifest.schema.json': () =>
    render(
      ManifestSchema,
      'https://ccsp-signage.bj/schema/manifest-1.json',
      'ccsp-signage signed manifest payload, format 1',
    ),
};
