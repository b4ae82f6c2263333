// `npm start` (scripts/start.mjs) without an Electron binary: it must say so and point at browser mode, exit 1,
// and never hang — whether the download is skipped, the host is unreachable, or the download itself fails.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const START = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));
const BOUND_MS = 20_000;
const MESSAGE = /^Electron's binary could not be downloaded here \((.+)\)\. Run the same app in your browser: npm run serve$/m;

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function runStart(extraEnv: Record<string, string>): Promise<{ code: number | null; stderr: string; elapsedMs: number }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(https?_proxy|electron_get_use_proxy|electron_mirror|npm_config_electron_mirror|electron_config_mirror)$/i.test(k)) env[k] = v;
  }
  const cache = mkdtempSync(join(tmpdir(), 'conductor-electron-cache-'));
  cleanups.push(() => rmSync(cache, { recursive: true, force: true }));
  Object.assign(env, {
    CONDUCTOR_SKIP_BUILD: '1',
    ELECTRON_OVERRIDE_DIST_PATH: join(cache, 'no-electron-here'),
    electron_config_cache: cache,
    CONDUCTOR_ELECTRON_PROBE_TIMEOUT_MS: '3000',
    CONDUCTOR_ELECTRON_DOWNLOAD_TIMEOUT_MS: '15000',
    ...extraEnv,
  });
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [START], { env, timeout: BOUND_MS, killSignal: 'SIGKILL' }, (error, _stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stderr, elapsedMs: Date.now() - started });
    });
  });
}

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = createServer(handler).listen(0, '127.0.0.1', () => {
      cleanups.push(() => server.close());
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
    });
  });
}

describe('npm start without an Electron binary', () => {
  it('exits 1 at once with the browser-mode hint when the download is skipped', async () => {
    const result = await runStart({ CONDUCTOR_SKIP_ELECTRON_DOWNLOAD: '1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(MESSAGE);
    expect(result.stderr).toMatch(/CONDUCTOR_SKIP_ELECTRON_DOWNLOAD=1/);
    expect(result.elapsedMs).toBeLessThan(BOUND_MS);
  });

  it('exits 1 quickly when the download host is unreachable', async () => {
    const { server, url } = await listen(() => {});
    await new Promise<void>((resolve) => server.close(() => resolve())); // a port nobody listens on any more
    const result = await runStart({ ELECTRON_MIRROR: url });
    expect(result.code).toBe(1);
    expect(result.stderr.match(MESSAGE)?.[1]).toMatch(/unreachable/);
    expect(result.elapsedMs).toBeLessThan(BOUND_MS);
  });

  it("exits 1 with the installer's reason when Electron's own installer fails", async () => {
    const { url } = await listen((_req, res) => {
      res.statusCode = 404;
      res.end('not here');
    });
    const result = await runStart({ ELECTRON_MIRROR: url });
    expect(result.code).toBe(1);
    expect(result.stderr.match(MESSAGE)?.[1]).toMatch(/404/);
    expect(result.elapsedMs).toBeLessThan(BOUND_MS);
  });
});
