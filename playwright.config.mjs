// End-to-end tests against the release build (`make dist`), served under a sub-path on 127.0.0.1
// by the test run itself and stopped by it. Uses Debian's Chromium: no browser is downloaded.
import { defineConfig } from '@playwright/test';
import { args, executablePath } from './tests/e2e/chromium.mjs';

const port = Number(process.env.FAULTLINE_E2E_PORT || 4517);

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'tests/e2e/output/results',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${port}/faultline/`,
    browserName: 'chromium',
    launchOptions: { executablePath, args },
  },
  webServer: {
    command: `node tests/e2e/serve.mjs dist ${port} /faultline/`,
    url: `http://127.0.0.1:${port}/faultline/`,
    reuseExistingServer: false,
    timeout: 20_000,
  },
});
