// `npm run serve`: its flags, the in-process start/stop, and the real bundled entry as a user runs it — the URL line
// on stdout, the page and a call through it, and a clean stop on SIGTERM.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { decodeWire, encodeWire } from '../../src-shared/contract';
import { parseServeArgs, ServeUsageError, startBrowserMode } from './browser-mode';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
let root: string;
let staticDir: string;
const ENV_KEYS = ['CONDUCTOR_CONFIG_DIR', 'CONDUCTOR_PLUGINS_DIR', 'CONDUCTOR_DATA_DIR'] as const;
const savedEnv = ENV_KEYS.map((k) => [k, process.env[k]] as const);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'conductor-serve-'));
  staticDir = join(root, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Conductor UI</title>');
});
afterAll(() => {
  for (const [key, value] of savedEnv) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(root, { recursive: true, force: true });
});

describe('parseServeArgs', () => {
  it('reads --port, --config, --plugins-dir, --static-dir and --help', () => {
    expect(parseServeArgs([])).toEqual({ port: 0, help: false });
    expect(parseServeArgs(['--port', '8123', '--config', '/c.toml', '--plugins-dir', '/p', '--static-dir', '/s'])).toEqual({
      port: 8123,
      config: '/c.toml',
      pluginsDir: '/p',
      staticDir: '/s',
      help: false,
    });
    expect(parseServeArgs(['-h']).help).toBe(true);
  });

  it('refuses bad ports and unknown flags', () => {
    expect(() => parseServeArgs(['--port', 'abc'])).toThrow(ServeUsageError);
    expect(() => parseServeArgs(['--port', '70000'])).toThrow(/0 to 65535/);
    expect(() => parseServeArgs(['--port', '-1'])).toThrow(ServeUsageError);
    expect(() => parseServeArgs(['--host', '0.0.0.0'])).toThrow(ServeUsageError);
    expect(() => parseServeArgs(['extra'])).toThrow(ServeUsageError);
  });
});

describe('startBrowserMode (in process)', () => {
  it('starts the core and the server, prints the URL, and stops both', async () => {
    const dir = join(root, 'in-process');
    process.env.CONDUCTOR_CONFIG_DIR = join(dir, 'config');
    process.env.CONDUCTOR_PLUGINS_DIR = join(dir, 'plugins');
    process.env.CONDUCTOR_DATA_DIR = join(dir, 'data');
    const lines: string[] = [];
    const running = await startBrowserMode(
      { port: 0, staticDir, help: false },
      { out: (l) => lines.push(l), warn: () => undefined, core: { watchConfig: false, devices: { backends: [], pollIntervalMs: 0, virtualPortName: null, log: () => undefined } } },
    );
    expect(lines[0]).toBe(`Conductor is running in browser mode: ${running.url}`);
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{32}$/);
    expect(lines[1]).toMatch(/Open that address in a browser/);
    // The plugins (here the bundled ones, installed on this first run) load in the background; a line says when.
    await running.core.pluginsLoaded;
    const installed = await running.core.plugins.list();
    expect(installed.length).toBeGreaterThan(0);
    await expect.poll(() => lines[2]).toMatch(new RegExp(`^Plugins loaded: ${installed.length} \\(\\d+ ready, \\d+ waiting for approval, 0 failed\\)$`));
    const page = await fetch(running.url.replace(/#.*$/, ''));
    expect(await page.text()).toContain('Conductor UI');
    expect(running.core.config.path).toBe(join(dir, 'config', 'config.toml'));
    await running.stop();
    await expect(fetch(running.url.replace(/#.*$/, ''))).rejects.toThrow();
  });
});

describe('the serve entry, bundled and run as a process', () => {
  let bundleDir: string;

  beforeAll(async () => {
    // Inside dist/ so the bundle finds resources/ the way dist/serve.js will; the sandbox entry beside it, as in dist/.
    bundleDir = mkdtempSync(join(REPO, 'dist', '.serve-test-'));
    await build({ entryPoints: [join(REPO, 'src-main', 'serve.ts')], outfile: join(bundleDir, 'serve.js'), bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
    copyFileSync(join(REPO, 'dist', 'sandbox.js'), join(bundleDir, 'sandbox.js'));
  });
  afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

  it('prints the URL, serves the UI and the contract, and exits 0 on SIGTERM', async () => {
    const dir = join(root, 'process');
    const child = spawn(process.execPath, [join(bundleDir, 'serve.js'), '--port', '0', '--static-dir', staticDir], {
      env: { ...process.env, CONDUCTOR_CONFIG_DIR: join(dir, 'config'), CONDUCTOR_PLUGINS_DIR: join(dir, 'plugins'), CONDUCTOR_DATA_DIR: join(dir, 'data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const stdout: string[] = [];
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL line; stdout: ${stdout.join('\n')}`)), 20_000);
      createInterface({ input: child.stdout }).on('line', (line) => {
        stdout.push(line);
        const match = /^Conductor is running in browser mode: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)$/.exec(line);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    const { origin } = new URL(url);
    const token = new URL(url).hash.replace('#token=', '');
    expect(await (await fetch(`${origin}/`)).text()).toContain('Conductor UI');

    const ws = new WebSocket(`${origin.replace('http', 'ws')}/ws?token=${token}`, { origin });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const reply = new Promise<unknown>((resolve) => ws.on('message', (data: Buffer) => {
      const m = decodeWire(data.toString('utf8')) as { id?: unknown };
      if (m.id === 1) resolve(m);
    }));
    ws.send(encodeWire({ id: 1, call: 'app.info', args: [] }));
    expect(await reply).toMatchObject({ id: 1, ok: true, reply: { shell: 'browser', configPath: join(dir, 'config', 'config.toml') } });
    const wsClosed = new Promise<void>((resolve) => ws.once('close', () => resolve()));

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await wsClosed;
    expect(stdout.some((l) => l.startsWith('Stopping Conductor (SIGTERM)'))).toBe(true);
  });
});
