import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// core/ runs in Node and in the browser: importing each module under Node must not
// touch the DOM (Lit's node-imports test does the same for its packages).
const modules = (readdirSync(new URL('../../src/core', import.meta.url), { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts'))
  .sort();
const touched: string[] = [];
const names = ['window', 'document', 'navigator', 'localStorage', 'HTMLElement', 'customElements'] as const;

beforeAll(() => {
  for (const name of names) {
    if (name in globalThis) continue; // Node 21+ defines navigator itself.
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        touched.push(name);
        return undefined;
      },
    });
  }
});

afterAll(() => {
  for (const name of names) {
    if (Object.getOwnPropertyDescriptor(globalThis, name)?.get)
      delete (globalThis as Record<string, unknown>)[name];
  }
});

describe('src/core under Node', () => {
  it('has modules to check', () => {
    expect(modules.length).toBeGreaterThan(8);
    expect(modules).toEqual(
      expect.arrayContaining(['schedule/engine.ts', 'sign/status.ts', 'sync/engine.ts']),
    );
  });

  it.each(modules)('imports %s without window or document', async (file) => {
    touched.length = 0;
    await import(/* @vite-ignore */ new URL(`../../src/core/${file}`, import.meta.url).href);
    expect(touched).toEqual([]);
  });
});
