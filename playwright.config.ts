import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests: the real portal (backend on :7007, frontend on :3000)
 * driven through Debian's Chromium. `scripts/test-all.sh` runs them; locally
 * `yarn test:e2e` reuses a portal that is already running.
 */
const chromium = process.env.PRAEVISIO_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  outputDir: 'test-results/e2e',
  reporter: [
    ['list'],
    ['json', { outputFile: 'test-results/e2e-results.json' }],
  ],
  use: {
    baseURL: 'http://localhost:3000',
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      // The machine has no network: keep Chromium from calling home.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
  // The same processes as scripts/start-demo.sh: sandbox, backend, frontend.
  webServer: [
    {
      command:
        'node packages/sandbox/bin/praevisio-sandbox start --argocd-port 7010 --tick-ms 1000',
      url: 'http://127.0.0.1:7010/api/version',
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: 'bash scripts/run-backend.sh --config app-config.demo.yaml',
      url: 'http://localhost:7007/api/praevisio/health',
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: 'bash scripts/run-frontend.sh',
      url: 'http://localhost:3000',
      reuseExistingServer: !process.env.CI,
      timeout: 300_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
