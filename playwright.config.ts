// e2e: Playwright drives the real UI against the real core (DESIGN §10). Two projects: `browser` (browser mode in
// Chromium, runs anywhere with a Chromium) and `electron` (the desktop app via _electron; skipped without its binary).
import { chromium, defineConfig } from '@playwright/test';
import { resolveChromium } from './e2e/chromium';
import type { ShellOptions } from './e2e/fixtures';

// CONDUCTOR_CHROMIUM, a system Chromium, @sparticuz/chromium's, Playwright's own (e2e/chromium.ts). The config is loaded
// again in every worker (TEST_WORKER_INDEX set there); only the runner prints the choice.
const resolution = resolveChromium({ playwrightOwn: () => chromium.executablePath() });
if (process.env.TEST_WORKER_INDEX === undefined) process.stderr.write(`${resolution.line}\n`);
const executablePath = resolution.choice?.path;

export default defineConfig<ShellOptions>({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // Artifacts (screenshots, traces, server output of failed tests) per test under test-results/e2e/.
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  // Each test starts its own core (and sandbox processes): keep the machine from drowning.
  workers: process.env.CI ? 2 : undefined,
  reporter: [['list'], ['html', { outputFolder: 'test-results/e2e-report', open: 'never' }], ['json', { outputFile: 'test-results/e2e-results.json' }]],
  use: {
    headless: true,
    actionTimeout: 15_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: executablePath ? { executablePath } : {},
  },
  projects: [
    { name: 'browser', use: { shell: 'browser', browserName: 'chromium', chromiumMissing: resolution.choice ? null : resolution.line } },
    { name: 'electron', use: { shell: 'electron' } },
  ],
});
