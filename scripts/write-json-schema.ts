import { writeFileSync } from 'node:fs';
import { JSON_SCHEMAS } from './json-schema.ts';

for (const [path, render] of Object.entries(JSON_SCHEMAS)) {
  writeFileSync(path, render());
  console.log(`wrote ${path}`);
}
