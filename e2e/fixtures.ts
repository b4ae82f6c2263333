// Playwright fixtures: every test gets its own temp config/plugins/data dirs and, on demand, a running app on
// them — browser mode (`node dist/serve.js --port 0` + Chromium) or the real Electron app (`_electron.launch`).
// Test support only: never imported by the app. Never touches the user's real config or plugins.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, test as base, type Browser, type ElectronApplication, type Page, type TestInfo } from '@playwright/test';
import { watBytes } from '../plugins/fixtures/index';
import { findElectronBinary } from './electron-binary';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Browser mode's entry (CONDUCTOR_E2E_SERVE_SCRIPT overrides it, e.g. to run the suite against another build). */
export const SERVE_SCRIPT = process.env.CONDUCTOR_E2E_SERVE_SCRIPT || join(PROJECT_ROOT, 'dist', 'serve.js');
export const ELECTRON_MAIN = join(PROJECT_ROOT, 'dist', 'main.js');

/** What serve.ts prints once it listens (the URL carries the per-run token in its fragment). */
export const SERVE_BANNER = /Conductor is running in browser mode: (http:\/\/127\.0\.0\.1:\d+\/\S*#token=\S+)/;
const SERVER_START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

export type Shell = 'browser' | 'electron';

/** The per-project options (playwright.config.ts sets them). */
export interface ShellOptions {
  /** Which shell the app runs in. */
  shell: Shell;
  /** Set when no Chromium was found (e2e/chromium.ts): how to get one. Browser-mode tests then fail with it. */
  chromiumMissing: string | null;
}

export interface AppDirs {
  /** The temp root holding the three below (removed after the test). */
  root: string;
  /** CONDUCTOR_CONFIG_DIR: config.toml, trusted_keys.toml, plugin_grants.toml. */
  config: string;
  /** CONDUCTOR_PLUGINS_DIR: installed plugins. */
  plugins: string;
  /** CONDUCTOR_DATA_DIR: plugin data dirs. */
  data: string;
}

export interface LaunchedApp {
  shell: Shell;
  page: Page;
  /** The URL the page was opened at (browser mode: http://127.0.0.1:PORT/#token=…; Electron: conductor://app/…). */
  url: string;
  /** Everything the server / Electron main process printed so far. */
  output(): string;
  /** Uncaught page errors and console errors (CSP violations land here) since the page opened. */
  pageErrors: string[];
  /** The Electron app (Electron project only): `evaluate` runs code in its main process. */
  electron?: ElectronApplication;
}

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // Chromium asks every page for /favicon.ico on its own; its 404 is not the app's error.
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) errors.push(`console: ${message.text()}`);
  });
  return errors;
}

export interface AppFixtures {
  dirs: AppDirs;
  /**
   * Starts the app on `dirs` (seed the dirs first) and opens its window/page. One app per test. `env`: extra
   * environment for the app's process (e.g. XDG_DATA_DIRS holding test .desktop entries).
   */
  launchApp: (options?: LaunchOptions) => Promise<LaunchedApp>;
  /** Compiles plugins/fixtures/wat/<name>.wat into the plugins dir as <name>.wasm; returns its path. */
  installWatPlugin: (name: string) => Promise<string>;
  /** Writes config.toml into the config dir (before launchApp: the app then starts with it). */
  writeConfig: (toml: string) => string;
}

export interface LaunchOptions {
  env?: Record<string, string>;
}

function appEnv(dirs: AppDirs, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...extra,
    CONDUCTOR_CONFIG_DIR: dirs.config,
    CONDUCTOR_PLUGINS_DIR: dirs.plugins,
    CONDUCTOR_DATA_DIR: dirs.data,
    NODE_ENV: 'test',
  };
  delete env.CONDUCTOR_TRUSTED_KEYS; // the trusted keys live in the temp config dir too
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

/** Starts browser mode and resolves with the URL it prints; rejects with its output when it exits or times out. */
/** What browser mode prints once its background plugin load has ended. */
const PLUGINS_LOADED = /^Plugins loaded: /m;

function startServer(dirs: AppDirs, log: { text: string }, extraEnv: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVE_SCRIPT, '--port', '0'], { cwd: PROJECT_ROOT, env: appEnv(dirs, extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`browser mode did not start: ${why}\n--- output ---\n${log.text}`));
    };
    const timer = setTimeout(() => fail(`no "Conductor is running in browser mode: …" and "Plugins loaded: …" lines within ${SERVER_START_TIMEOUT_MS} ms`), SERVER_START_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      log.text += chunk.toString('utf8');
      const match = SERVE_BANNER.exec(log.text);
      // Also wait for the background plugin load to end, so every test starts from loaded plugins (an approval
      // request arriving mid-test would open its dialog over whatever the test clicks).
      if (match?.[1] && PLUGINS_LOADED.test(log.text) && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`it exited (${signal ?? `code ${code}`})`));
  });
}

/** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

async function screenshotOnFailure(page: Page | null, testInfo: TestInfo): Promise<void> {
  if (!page || page.isClosed() || testInfo.status === testInfo.expectedStatus) return;
  const path = testInfo.outputPath('failure.png');
  await page.screenshot({ path, fullPage: true }).then(
    () => testInfo.attachments.push({ name: 'failure', path, contentType: 'image/png' }),
    () => {},
  );
}

export const test = base.extend<AppFixtures & ShellOptions>({
  shell: ['browser', { option: true }],
  chromiumMissing: [null, { option: true }],

  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  dirs: async ({}, use) => {
    const root = mkdtempSync(join(tmpdir(), 'conductor-e2e-'));
    const dirs: AppDirs = { root, config: join(root, 'config'), plugins: join(root, 'plugins'), data: join(root, 'data') };
    for (const dir of [dirs.config, dirs.plugins, dirs.data]) mkdirSync(dir, { recursive: true });
    await use(dirs);
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  },

  installWatPlugin: async ({ dirs }, use) => {
    await use(async (name) => {
      const path = join(dirs.plugins, `${name}.wasm`);
      writeFileSync(path, await watBytes(name));
      return path;
    });
  },

  writeConfig: async ({ dirs }, use) => {
    await use((toml) => {
      const path = join(dirs.config, 'config.toml');
      writeFileSync(path, toml);
      return path;
    });
  },

  // Not Playwright's built-in `page`: the Electron project must not launch a browser, and the browser project
  // must not open a page before the server is up. Browser-mode tests get a fresh Chromium (the config's
  // launchOptions: the one e2e/chromium.ts chose).
  launchApp: async ({ shell, chromiumMissing, dirs, playwright, launchOptions }, use, testInfo) => {
    const log = { text: '' };
    let server: ChildProcess | null = null;
    let browser: Browser | null = null;
    let electron: ElectronApplication | null = null;
    let page: Page | null = null;

    await use(async (options = {}) => {
      if (page) throw new Error('launchApp: one app per test');
      if (shell === 'browser') {
        if (chromiumMissing) throw new Error(chromiumMissing);
        testInfo.skip(!existsSync(SERVE_SCRIPT), `browser mode is not built (no ${SERVE_SCRIPT}): run npm run build`);
        const started = await startServer(dirs, log, options.env);
        server = started.child;
        browser = await playwright.chromium.launch({ ...launchOptions, headless: true });
        const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
        page = await context.newPage();
        const pageErrors = collectErrors(page);
        await page.goto(started.url);
        return { shell, page, url: started.url, output: () => log.text, pageErrors };
      }
      const binary = findElectronBinary(PROJECT_ROOT);
      testInfo.skip(!binary.exists || !binary.path, `Electron project skipped: ${binary.problem ?? 'no Electron binary'}`);
      testInfo.skip(!existsSync(ELECTRON_MAIN), `the Electron app is not built (no ${ELECTRON_MAIN}): run npm run build`);
      // Chromium refuses to run as root with its sandbox on (containers, some CI): only there, turn the OS sandbox off.
      const rootArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
      electron = await _electron.launch({
        executablePath: binary.path ?? undefined,
        args: [...rootArgs, ELECTRON_MAIN],
        cwd: PROJECT_ROOT,
        env: Object.fromEntries(Object.entries(appEnv(dirs, options.env)).filter((e): e is [string, string] => e[1] !== undefined)),
        timeout: SERVER_START_TIMEOUT_MS,
      });
      electron.process().stdout?.on('data', (c: Buffer) => (log.text += c.toString('utf8')));
      electron.process().stderr?.on('data', (c: Buffer) => (log.text += c.toString('utf8')));
      page = await electron.firstWindow();
      const pageErrors = collectErrors(page);
      await page.waitForLoadState('domcontentloaded');
      return { shell, page, url: page.url(), output: () => log.text, pageErrors, electron };
    });

    // Browser mode: Playwright's own `screenshot: 'only-on-failure'` and trace cover this context; Electron: ours.
    if (electron) await screenshotOnFailure(page, testInfo);
    if (log.text && testInfo.status !== testInfo.expectedStatus) await testInfo.attach(`${shell}-output`, { body: log.text, contentType: 'text/plain' });
    // Electron: close() runs before-quit → core.stop() → app.exit(); browser mode: SIGTERM → the server stops its core.
    if (electron) await (electron as ElectronApplication).close().catch(() => {});
    if (browser) await (browser as Browser).close().catch(() => {});
    if (server) await stopProcess(server);
  },
});

export { expect } from '@playwright/test';
