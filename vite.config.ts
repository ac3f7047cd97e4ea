import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

// The player is built from index.html. Lit decorators use TypeScript's legacy
// form (tsconfig experimentalDecorators), which Vite 8's Oxc transform lowers;
// see ../shared/TOOLCHAIN.md "Gotchas seen".
// `npm run dev` serves the player with hot reload and forwards the data routes
// to a running `npm start` (127.0.0.1:8080, or CCSP_DEV_BACKEND).
const backend = process.env.CCSP_DEV_BACKEND ?? 'http://127.0.0.1:8080';

/**
 * Builds src/player/sw.ts as /sw.js (the scope of a service worker is its own
 * folder, so it must sit at the root) and prepends the list of the build's files
 * for it to cache at install; the list's hash names the cache, so a new build
 * gets a new cache and a changed sw.js, which the browser installs.
 */
function serviceWorker(): Plugin {
  const entry = fileURLToPath(new URL('src/player/sw.ts', import.meta.url));
  return {
    name: 'ccsp-service-worker',
    apply: 'build',
    buildStart() {
      this.emitFile({ type: 'chunk', id: entry, fileName: 'sw.js' });
    },
    // Once written: Vite drops chunks in its own generateBundle hooks (an HTML entry that only
    // imports, as editor/preview-frame.html; a chunk that is only CSS), which would otherwise
    // be listed here, never written, and fail the worker's install.
    async writeBundle(options, bundle) {
      const sw = bundle['sw.js'];
      if (sw?.type !== 'chunk' || !options.dir) return;
      const files = Object.keys(bundle)
        .filter((f) => f !== 'sw.js' && f !== 'index.html' && !f.startsWith('editor/') && !f.startsWith('.'))
        .sort();
      const id = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
      const path = join(options.dir, 'sw.js');
      await writeFile(
        path,
        `self.__CCSP_BUILD = ${JSON.stringify({ id, files })};\n${await readFile(path, 'utf8')}`,
      );
    },
  };
}

export default defineConfig({
  plugins: [serviceWorker()],
  resolve: {
    // rxjs's ES2015 build: classes instead of ES5 functions and tslib's helpers, a smaller
    // screen (issue 3: initial JavaScript ≤ 60 KB gzipped). Only rxjs offers this condition.
    conditions: ['es2015', ...defaultClientConditions],
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // Two pages: the player (screen and sign) at /, the editor at /editor/.
    rollupOptions: {
      input: {
        player: fileURLToPath(new URL('index.html', import.meta.url)),
        editor: fileURLToPath(new URL('editor/index.html', import.meta.url)),
        // The editor's preview frames: a viewport of the screen's size (src/editor/preview-frame.ts).
        'editor-preview': fileURLToPath(new URL('editor/preview-frame.html', import.meta.url)),
      },
    },
    // hls.js is loaded with a dynamic import only when an HLS item is due.
    chunkSizeWarningLimit: 600,
  },
  server: {
    host: '127.0.0.1',
    proxy: Object.fromEntries(
      ['/channels', '/media', '/trust', '/config.json', '/api'].map((p) => [p, backend]),
    ),
  },
});
