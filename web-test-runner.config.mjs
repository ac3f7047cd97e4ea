// Browser tests in real Chromium (Debian's /usr/bin/chromium or CHROME_PATH).
// scripts/check-chromium.mjs runs first and names the package to install.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROME_PATH, CHROMIUM_ARGS } from './test/chromium.mjs';

export default {
  files: ['test/**/*.browser.test.ts'],
  // Lit's production build: its dev-mode banner would be the only output of a green run.
  nodeResolve: { exportConditions: ['production'] },
  // Legacy decorators need the tsconfig; target es2022 lowers them (TOOLCHAIN.md).
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
  // The editor's tests have no server: its media route (GET /api/editor/media/<name>) serves
  // assets/<name> here, so thumbnails load instead of printing 404s.
  middleware: [
    function editorMedia(context, next) {
      if (context.method === 'GET' && context.url.startsWith('/api/editor/media/'))
        context.url = `/assets/${context.url.slice('/api/editor/media/'.length)}`;
      return next();
    },
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROME_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
      },
    }),
  ],
  testFramework: { config: { timeout: 20000 } },
  testsFinishTimeout: 180000,
  concurrency: 1,
};
