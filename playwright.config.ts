// e2e: Playwright drives the real UI against the real core (DESIGN §10). Two projects: `browser` (browser mode in
// Chromium, runs anywhere with a Chromium) and `electron` (the desktop app via _electron; skipped without its binary).
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import type { ShellOptions } from './e2e/fixtures';

/** CONDUCTOR_CHROMIUM, else the system's /usr/bin/chromium, else Playwright's own browser (`npx playwright install chromium`). */
function chromiumExecutable(): string | undefined {
  if (process.env.CONDUCTOR_CHROMIUM) return process.env.CONDUCTOR_CHROMIUM;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return undefined;
}

const executablePath = chromiumExecutable();

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
    { name: 'browser', use: { shell: 'browser', browserName: 'chromium' } },
    { name: 'electron', use: { shell: 'electron' } },
  ],
});
