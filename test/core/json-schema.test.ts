import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMAS } from '../../scripts/json-schema.ts';

describe('committed JSON Schemas', () => {
  it.each(Object.entries(JSON_SCHEMAS))(
    '%s is up to date with the valibot schema (run `npm run schema`)',
    (path, render) => {
      const committed = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
      expect(committed).toBe(render());
    },
  );

  it('describes the source playlist that staff write', () => {
    const schema = JSON.parse(JSON_SCHEMAS['playlists/manifest.schema.json']()) as {
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(schema.required).toEqual(expect.arrayContaining(['channel', 'site', 'hours', 'items', 'sign']));
    expect(schema.properties).not.toHaveProperty('version');
  });
});
