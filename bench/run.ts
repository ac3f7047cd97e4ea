/**
 * `npm run bench`: runs every bench/*.bench.ts and prints one table each. Targets
 * are compared against a baseline measured in the same run (a ratio), so that a
 * slow or busy machine shifts both; nothing here is a pass/fail test.
 */
import { readdirSync } from 'node:fs';
import { printTable, type Bench } from './harness.ts';

const only = process.argv[2];
const files = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
  .sort();
console.log(`Node ${process.version}, ${new Date().toISOString()}`);
for (const file of files) {
  const bench = (await import(new URL(file, import.meta.url).href)).default as Bench;
  printTable(bench.title, await bench.run());
}
