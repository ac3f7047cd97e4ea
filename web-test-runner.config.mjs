// Browser tests in real Chromium (Debian's /usr/bin/chromium or CHROME_PATH).
// scripts/check-chromium.mjs runs first and names the package to install.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';

const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';

export default {
  files: ['test/**/*.browser.test.ts'],
  // Lit's production build: its dev-mode banner would be the only output of a green run.
  nodeResolve: { exportConditions: ['production'] },
  // Legacy decorators need the tsconfig; target es2022 lowers them (TOOLCHAIN.md).
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--autoplay-policy=no-user-gesture-required',
        ],
      },
    }),
  ],
  testFramework: { config: { timeout: 20000 } },
  testsFinishTimeout: 180000,
  concurrency: 1,
};
