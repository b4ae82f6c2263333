// `npm start` (scripts/start.mjs) without an Electron binary: it must say why, once, and run the browser version
// instead — dist/serve.js answering on 127.0.0.1 with the UI — until Ctrl+C, which it passes on; and never hang,
// whether the download is skipped, the host is unreachable, or the download itself fails. Real processes throughout.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const START = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));
/** From start to the browser version's address: the probe (3 s) or the installer (15 s) plus the core starting. */
const START_DEADLINE_MS = 45_000;
const STOP_DEADLINE_MS = 20_000;
const TEST_TIMEOUT_MS = 90_000;
const MESSAGE = /^npm start: Electron's binary could not be downloaded here \((.+)\)\. Starting the browser version of the app instead/m;
const SERVE_URL = /Conductor is running in browser mode: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/;
const LINUX = process.platform === 'linux';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Started {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects when the process exits or the deadline passes. */
  waitFor(pattern: RegExp, deadlineMs?: number): Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when nothing holds its stderr any more: it and the browser-mode server it started (which inherits it) are gone. */
  stderrClosed: Promise<void>;
}

function startNpmStart(extraEnv: Record<string, string>, unset: string[] = []): Started {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(https?_proxy|electron_get_use_proxy|electron_mirror|npm_config_electron_mirror|electron_config_mirror)$/i.test(k)) env[k] = v;
  }
  for (const k of ['CONDUCTOR_NO_OPEN', 'BROWSER', ...unset]) delete env[k];
  const cache = tempDir('conductor-electron-cache-');
  const app = tempDir('conductor-npm-start-');
  for (const sub of ['config', 'plugins', 'data']) mkdirSync(join(app, sub));
  Object.assign(env, {
    CONDUCTOR_SKIP_BUILD: '1', // vitest's global setup has built dist/
    ELECTRON_OVERRIDE_DIST_PATH: join(cache, 'no-electron-here'),
    electron_config_cache: cache,
    CONDUCTOR_ELECTRON_PROBE_TIMEOUT_MS: '3000',
    CONDUCTOR_ELECTRON_DOWNLOAD_TIMEOUT_MS: '15000',
    CONDUCTOR_CONFIG_DIR: join(app, 'config'),
    CONDUCTOR_PLUGINS_DIR: join(app, 'plugins'),
    CONDUCTOR_DATA_DIR: join(app, 'data'),
    ...extraEnv,
  });
  const child = spawn(process.execPath, [START], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    for (const check of [...waiters]) check();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const stderrClosed = new Promise<void>((resolve) => child.stderr?.once('close', () => resolve()));
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM'); // it passes this on to the server, which stops within its own 10 s deadline
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS);
    await exited;
    clearTimeout(timer);
  });
  const waitFor = (pattern: RegExp, deadlineMs = START_DEADLINE_MS): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      const done = (): void => {
        waiters.delete(check);
        clearTimeout(timer);
      };
      const check = (): void => {
        const match = pattern.exec(text);
        if (match) {
          done();
          resolve(match);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${pattern} within ${deadlineMs} ms\n--- output ---\n${text}`));
      }, deadlineMs);
      void exited.then(({ code, signal }) => {
        if (!waiters.has(check)) return;
        check();
        if (!waiters.has(check)) return;
        done();
        reject(new Error(`npm start exited (${signal ?? `code ${code}`}) before ${pattern}\n--- output ---\n${text}`));
      });
      waiters.add(check);
      check();
    });
  return { child, output: () => text, waitFor, exited, stderrClosed };
}

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = createServer(handler).listen(0, '127.0.0.1', () => {
      cleanups.push(() => void server.close());
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
    });
  });
}

/** The browser version runs: the message once with its reason, the UI served on 127.0.0.1; Ctrl+C stops both, exit 0. */
async function expectBrowserVersion(started: Started, openLine: RegExp): Promise<string> {
  const url = (await started.waitFor(SERVE_URL))[1] ?? '';
  expect(new URL(url).hostname).toBe('127.0.0.1');
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(await response.text()).toContain('<title>Conductor</title>');
  await started.waitFor(openLine);
  const reason = MESSAGE.exec(started.output())?.[1];
  expect(started.output().match(/browser version of the app/g)).toHaveLength(1);

  started.child.kill('SIGINT');
  await started.waitFor(/Stopping Conductor \(SIGINT\)/, STOP_DEADLINE_MS);
  expect(await started.exited).toEqual({ code: 0, signal: null });
  await expect(fetch(url)).rejects.toThrow(); // the server is gone with it
  return reason ?? '';
}

describe('npm start without an Electron binary runs the browser version', () => {
  it('when the download is skipped: says so once, serves the UI, opens nothing under CONDUCTOR_NO_OPEN=1', { timeout: TEST_TIMEOUT_MS }, async () => {
    const started = startNpmStart({ CONDUCTOR_SKIP_ELECTRON_DOWNLOAD: '1', CONDUCTOR_NO_OPEN: '1' });
    const reason = await expectBrowserVersion(started, /^npm start: no browser opened \(CONDUCTOR_NO_OPEN=1\)\.$/m);
    expect(reason).toMatch(/CONDUCTOR_SKIP_ELECTRON_DOWNLOAD=1/);
  });

  it("when the download host is unreachable (within the probe's deadline): without a display it only prints the address", { timeout: TEST_TIMEOUT_MS }, async () => {
    const { server, url } = await listen(() => {});
    await new Promise<void>((resolve) => server.close(() => resolve())); // a port nobody listens on any more
    const started = startNpmStart({ ELECTRON_MIRROR: url, ...(LINUX ? {} : { CONDUCTOR_NO_OPEN: '1' }) }, ['DISPLAY', 'WAYLAND_DISPLAY']);
    const reason = await expectBrowserVersion(started, LINUX ? /^npm start: no browser opened \(there is no display\b.*\)\.$/m : /no browser opened/);
    expect(reason).toMatch(/unreachable/);
  });

  it("when Electron's own installer fails: gives its reason and opens the address with xdg-open", { timeout: TEST_TIMEOUT_MS }, async () => {
    const { url } = await listen((_req, res) => {
      res.statusCode = 404;
      res.end('not here');
    });
    // A stand-in xdg-open that opens nothing: exit code 3 says it was given browser mode's address, 4 anything else.
    const bin = tempDir('conductor-fake-xdg-open-');
    writeFileSync(join(bin, 'xdg-open'), '#!/bin/sh\ncase "$1" in http://127.0.0.1:*/#token=*) exit 3 ;; esac\nexit 4\n');
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const started = LINUX
      ? startNpmStart({ ELECTRON_MIRROR: url, DISPLAY: ':99', PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` }, ['WAYLAND_DISPLAY'])
      : startNpmStart({ ELECTRON_MIRROR: url, CONDUCTOR_NO_OPEN: '1' });
    const reason = await expectBrowserVersion(started, LINUX ? /could not open a browser \(xdg-open exited with code 3\)/ : /no browser opened/);
    expect(reason).toMatch(/404/);
  });

  it('stops the browser version when npm start itself is killed outright', { timeout: TEST_TIMEOUT_MS }, async () => {
    const started = startNpmStart({ CONDUCTOR_SKIP_ELECTRON_DOWNLOAD: '1', CONDUCTOR_NO_OPEN: '1' });
    const url = (await started.waitFor(SERVE_URL))[1] ?? '';
    expect((await fetch(url)).status).toBe(200);
    started.child.kill('SIGKILL');
    let timer: NodeJS.Timeout | undefined;
    const stillRunning = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`browser mode still runs ${STOP_DEADLINE_MS} ms after npm start was killed`)), STOP_DEADLINE_MS);
    });
    await Promise.race([started.stderrClosed, stillRunning]).finally(() => clearTimeout(timer)); // the server held stderr too: it has exited
    await expect(fetch(url)).rejects.toThrow();
  });
});
