// Fails at once, with the package to install, when there is no Chromium for the browser tests.
import { accessSync, constants } from 'node:fs';
import { CHROME_PATH as path } from '../test/chromium.mjs';
try {
  accessSync(path, constants.X_OK);
} catch {
  console.error(
    `Chromium not found at ${path}. The browser tests need it:\n` +
      `  Debian/Ubuntu: sudo apt-get install chromium\n` +
      `or point CHROME_PATH at a Chromium or Chrome binary.`,
  );
  process.exit(1);
}
