// The Electron bootstrap (src-main/index.ts) run for real under Node with a stand-in `electron` module
// (test-support/fake-electron.ts): the real core on temp dirs, the real IPC guard and protocol handler, the
// hardened window options, and a quit that stops the core before exiting. No Electron binary needed.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Inside dist/ so the bundle finds node_modules and ../../resources the way dist/main.js does.
const OUT_DIR = join(ROOT, 'dist', '.bootstrap-test');

let report: Record<string, unknown>;
let exitCode: number | null;
let stderr: string;
let tempDir: string;

beforeAll(async () => {
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  await build({
    entryPoints: { main: join(ROOT, 'src-main/index.ts') },
    outdir: OUT_DIR,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    alias: { electron: join(ROOT, 'src-main/electron/test-support/fake-electron.ts') },
    logLevel: 'error',
  });
  mkdirSync(join(OUT_DIR, 'renderer'));
  writeFileSync(join(OUT_DIR, 'renderer', 'index.html'), '<!doctype html><title>Conductor</title>');
  const sandbox = join(ROOT, 'dist', 'sandbox.js'); // built by the global setup
  if (existsSync(sandbox)) copyFileSync(sandbox, join(OUT_DIR, 'sandbox.js'));

  tempDir = mkdtempSync(join(tmpdir(), 'conductor-bootstrap-'));
  const env: NodeJS.ProcessEnv = { ...process.env, CONDUCTOR_CONFIG_DIR: join(tempDir, 'config'), CONDUCTOR_PLUGINS_DIR: join(tempDir, 'plugins'), CONDUCTOR_DATA_DIR: join(tempDir, 'data') };
  delete env.CONDUCTOR_TRUSTED_KEYS;
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [join(OUT_DIR, 'main.js')], { env, timeout: 25_000, killSignal: 'SIGKILL' }, (error, stdout, err) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr: err });
    });
  });
  exitCode = result.code;
  stderr = result.stderr;
  const line = result.stdout.split('\n').find((l) => l.startsWith('FAKE_ELECTRON_REPORT '));
  report = line ? (JSON.parse(line.slice('FAKE_ELECTRON_REPORT '.length)) as Record<string, unknown>) : {};
}, 60_000);

afterAll(() => {
  rmSync(OUT_DIR, { recursive: true, force: true });
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

describe('the Electron bootstrap (under a stand-in electron module)', () => {
  it('starts, serves one scripted session and exits 0 after quitting', () => {
    expect(report.driveError, stderr).toBeUndefined();
    expect(exitCode, stderr).toBe(0);
    const events = report.events as string[];
    expect(events).toContain('app.enableSandbox');
    expect(events).toContain('app.requestSingleInstanceLock');
    expect(events.find((e) => e.startsWith('app.setPath userData'))).toContain(join(tempDir, 'config', 'electron'));
    // Quit: IPC unbound, then exit — after the core stopped (before-quit waited for it).
    expect(events.indexOf('ipcMain.removeHandler conductor:call')).toBeLessThan(events.indexOf('app.exit 0'));
  });

  it('opens a hardened window on conductor://app with the bundled preload', () => {
    expect(report.loadedUrl).toBe('conductor://app/index.html');
    expect(report.webPreferences).toMatchObject({
      preload: 'preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(report.schemes).toEqual([{ scheme: 'conductor', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
  });

  it('asks before a page with unsaved edits unloads, and unloads only when the user says leave', () => {
    expect(report.unloadPrompt).toEqual({ keepEditing: false, leave: true });
    const asked = (report.events as string[]).filter((e) => e.startsWith('dialog.showMessageBoxSync'));
    expect(asked).toEqual([
      'dialog.showMessageBoxSync Your mapping changes are not saved. [Keep editing | Leave without saving] → Keep editing',
      'dialog.showMessageBoxSync Your mapping changes are not saved. [Keep editing | Leave without saving] → Leave without saving',
    ]);
  });

  it('denies every permission and forces the CSP on HTTP responses', () => {
    expect(report.permissionRequestGranted).toBe(false);
    expect(report.permissionCheckGranted).toBe(false);
    expect(report.devicePermissionGranted).toBe(false);
    const headers = report.httpHeaders as Record<string, string[]>;
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers['Content-Security-Policy']?.[0]).toMatch(/^default-src 'self'; script-src 'self'/);
    expect(headers['x-other']).toEqual(['1']);
  });

  it('answers our window through the real services and refuses other senders', () => {
    expect(report.appInfo).toMatchObject({ ok: true, value: { shell: 'electron' } });
    expect(report.badArgs).toMatchObject({ ok: false, error: { name: 'InvalidRequestError' } });
    expect(report.untrusted).toMatch(/^UntrustedSenderError/);
    expect(report.destroyedFrame).toBe('UntrustedSenderError');
    expect(report.press).toEqual({ ok: true, value: { ok: true } });
    expect(report.sentEvents).toEqual(expect.arrayContaining([expect.stringMatching(/^conductor:event engine\.didEmitEvent$/)]));
  });

  it('serves the renderer with the CSP header and never outside its folder', () => {
    const protocol = report.protocol as Record<string, unknown>;
    expect(protocol.indexStatus).toBe(200);
    expect(protocol.indexCsp).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(protocol.escapeStatus).toBe(404);
    expect(protocol.post).toBe(405);
  });

  it('shows a tray icon whose menu comes from the core and pauses it; closing the window only hides it', () => {
    const events = report.events as string[];
    expect(events).toContain('new Tray resources/icons/png/32x32.png');
    const tray = report.tray as { tooltip: string; labels: string[] };
    expect(tray.tooltip).toMatch(/^Conductor\nMode: /);
    expect(tray.labels).toEqual(expect.arrayContaining(['Show Conductor', 'Switch mode', 'Pause mappings', 'Open config file', 'Open config folder', 'Quit Conductor']));
    expect(report.pausedByTray).toEqual({ ok: true, value: { paused: true } });
    expect(events).toContain(`shell.openPath ${join(tempDir, 'config')}`);
    expect(report.closePrevented).toBe(true);
    expect(events).toContain('window.hide');
    // Quitting removes the tray before the core stops; start at login was never touched (off by default).
    expect(events.indexOf('tray.destroy')).toBeGreaterThan(-1);
    expect(events.indexOf('tray.destroy')).toBeLessThan(events.indexOf('app.exit 0'));
    expect(events.some((e) => e.startsWith('app.setLoginItemSettings'))).toBe(false);
  });

  // Core.start has no way to take the plugin host's spawner yet (CoreOptions.pluginHost); once it does, the fake's
  // utilityProcess.fork shows up in report.events when a sandbox starts.
});
