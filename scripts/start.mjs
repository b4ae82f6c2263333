// `npm start`: builds, makes sure Electron's binary is there (fetching it with Electron's own installer when it
// is not), then runs the desktop app (dist/main.js). Never hangs: every network step has a deadline. When Electron
// cannot be had it says why, once, and runs the browser version instead (dist/serve.js, as `npm run serve`), opening
// it in the default browser (or printing its address where there is no display) until it exits; Ctrl+C stops it.
//
// Environment:
//   CONDUCTOR_SKIP_BUILD=1                 do not run `npm run build` first (dist/ is already built)
//   CONDUCTOR_SKIP_ELECTRON_DOWNLOAD=1     never try to download Electron; use the browser version when it is missing
//   CONDUCTOR_ELECTRON_PROBE_TIMEOUT_MS    how long the download host may take to answer at all (default 8000)
//   CONDUCTOR_ELECTRON_DOWNLOAD_TIMEOUT_MS how long the whole download may take (default 600000)
//   CONDUCTOR_NO_OPEN=1 (or BROWSER=none)  the browser version prints its address but opens no browser (tests)
//   ELECTRON_OVERRIDE_DIST_PATH, ELECTRON_MIRROR, ELECTRON_GET_USE_PROXY   Electron's own (see its install docs)
/* global fetch, AbortSignal, setTimeout, clearTimeout */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const mainScript = join(root, 'dist', 'main.js');
const serveScript = join(root, 'dist', 'serve.js');
const env = process.env;
/** What dist/serve.js prints once it listens (the URL carries the per-run token in its fragment). */
const SERVE_BANNER = /Conductor is running in browser mode: (http:\/\/127\.0\.0\.1:\d+\/\S*)/;

function build() {
  if (env.CONDUCTOR_SKIP_BUILD === '1') return;
  const npm = env.npm_execpath;
  const result = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    process.stderr.write(`npm start: the build failed (${result.error ? result.error.message : `exit code ${result.status}`}).\n`);
    process.exit(1);
  }
}

/** The electron package's folder, resolved without running its index.js (which would download synchronously). */
function electronPackageDir() {
  try {
    return dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

function platformExecutable() {
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (process.platform === 'win32') return 'electron.exe';
  return 'electron';
}

/** Where the binary is (or would be), mirroring electron/index.js; `exists` says whether it is really there. */
function electronBinary(packageDir) {
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : platformExecutable();
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH || join(packageDir, 'dist');
  const path = join(distDir, relative || platformExecutable());
  return { path, exists: existsSync(path) };
}

function mirrorUrl() {
  return env.ELECTRON_MIRROR || env.npm_config_electron_mirror || env.electron_config_mirror || 'https://github.com/electron/electron/releases/download/';
}

/** Whether the download host answers at all within the deadline (any HTTP status counts); null = yes, else why not. */
async function probe() {
  // Node's fetch ignores proxy settings: behind a proxy, let Electron's installer (and its deadline) decide.
  if (env.ELECTRON_GET_USE_PROXY || env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy) return null;
  const timeoutMs = Number(env.CONDUCTOR_ELECTRON_PROBE_TIMEOUT_MS) || 8000;
  let origin;
  try {
    origin = new URL(mirrorUrl()).origin;
  } catch {
    return `the Electron mirror ${JSON.stringify(mirrorUrl())} is not a URL`;
  }
  try {
    await fetch(origin, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    return null;
  } catch (error) {
    if (error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `${origin} did not answer within ${timeoutMs} ms`;
    const code = error && error.cause && (error.cause.code || error.cause.message);
    return `${origin} is unreachable${code ? `: ${code}` : ''}`;
  }
}

/** Runs electron's own install.js with a deadline; resolves null on success, else the reason it failed. */
function runInstaller(packageDir) {
  const timeoutMs = Number(env.CONDUCTOR_ELECTRON_DOWNLOAD_TIMEOUT_MS) || 600_000;
  return new Promise((resolve) => {
    process.stderr.write('npm start: downloading Electron\u2019s binary (one time)\u2026\n');
    const child = spawn(process.execPath, [join(packageDir, 'install.js')], { cwd: packageDir, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.length > 64_000) stderr = stderr.slice(-64_000);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(`the download did not finish within ${Math.round(timeoutMs / 1000)} s`);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve(`its installer could not run: ${error.message}`);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(null);
      const firstLine = stderr.split('\n').map((l) => l.trim()).find(Boolean);
      resolve(firstLine ? firstLine.slice(0, 300) : `its installer exited with ${signal ?? `code ${code}`}`);
    });
  });
}

/** Electron's binary, fetched when missing: `{ path }`, or `{ problem }` saying why it cannot be had. */
async function ensureElectron() {
  const packageDir = electronPackageDir();
  if (!packageDir) return { problem: 'the electron package is not installed: run npm install' };
  let binary = electronBinary(packageDir);
  if (binary.exists) return { path: binary.path };
  if (env.CONDUCTOR_SKIP_ELECTRON_DOWNLOAD === '1') return { problem: `it is not at ${binary.path} and CONDUCTOR_SKIP_ELECTRON_DOWNLOAD=1 skips the download` };
  const unreachable = await probe();
  if (unreachable) return { problem: unreachable };
  const failed = await runInstaller(packageDir);
  if (failed) return { problem: failed };
  binary = electronBinary(packageDir);
  if (!binary.exists) return { problem: `the installer finished but there is no binary at ${binary.path}` };
  return { path: binary.path };
}

/** The command that opens `url` in the default browser, or why none is run. */
function opener(url) {
  if (env.CONDUCTOR_NO_OPEN === '1') return { skip: 'CONDUCTOR_NO_OPEN=1' };
  if (env.BROWSER === 'none') return { skip: 'BROWSER=none' };
  if (process.platform === 'darwin') return { command: 'open', args: [url] };
  // The token is base64url, so the URL holds nothing cmd.exe would interpret.
  if (process.platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', url], windowsVerbatimArguments: true };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return { skip: 'there is no display: DISPLAY and WAYLAND_DISPLAY are unset' };
  return { command: 'xdg-open', args: [url] };
}

function openBrowser(url) {
  const how = opener(url);
  const openYourself = 'open the address above in a browser on this computer';
  if (how.skip) return void process.stderr.write(`npm start: no browser opened (${how.skip}).\n`);
  const child = spawn(how.command, how.args, { stdio: 'ignore', detached: true, windowsVerbatimArguments: how.windowsVerbatimArguments });
  child.on('error', (error) => process.stderr.write(`npm start: could not open a browser (${how.command}: ${error.message}); ${openYourself}.\n`));
  child.on('exit', (code) => {
    if (code) process.stderr.write(`npm start: could not open a browser (${how.command} exited with code ${code}); ${openYourself}.\n`);
  });
  child.unref();
}

/** Electron cannot be had: runs the browser version (dist/serve.js) and opens it; exits when it exits. */
function runBrowserMode(why) {
  process.stderr.write(`npm start: ${why}. Starting the browser version of the app instead: the same app, served on 127.0.0.1 to your web browser.\n`);
  if (!existsSync(serveScript)) {
    process.stderr.write(`npm start: ${serveScript} is missing — the build did not produce browser mode.\n`);
    process.exit(1);
  }
  // Its own process group (not on Windows, where that means a new console): Ctrl+C reaches only this script, which
  // passes it on once; a second Ctrl+C stops it at once, as with `npm run serve`. Its stdin is a pipe from here, so
  // exit-with-parent.mjs stops it when this script is gone, however it went.
  const child = spawn(process.execPath, ['--import', pathToFileURL(join(root, 'scripts', 'exit-with-parent.mjs')).href, serveScript], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
    detached: process.platform !== 'win32',
  });
  let seen = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (seen === null) return;
    seen = (seen + chunk.toString('utf8')).slice(-4096);
    const match = SERVE_BANNER.exec(seen);
    if (match) {
      seen = null;
      openBrowser(match[1]);
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (process.platform === 'win32' && signal === 'SIGINT') return; // the console gives Ctrl+C to the child itself
      child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal);
    });
  }
  process.on('exit', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });
  child.on('error', (error) => {
    process.stderr.write(`npm start: browser mode could not be started: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function runElectron(electron) {
  if (!existsSync(mainScript)) {
    process.stderr.write(`npm start: ${mainScript} is missing — the build did not produce the Electron main bundle.\n`);
    process.exit(1);
  }
  const childEnv = { ...env };
  delete childEnv.ELECTRON_RUN_AS_NODE; // would make Electron behave as plain Node
  const child = spawn(electron, [mainScript, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env: childEnv });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    process.stderr.write(`npm start: Electron (${electron}) could not be started: ${error.message}. Run the same app in your browser: npm run serve\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (code !== 0 && process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
      process.stderr.write('npm start: there is no display here (DISPLAY/WAYLAND_DISPLAY unset). Run the same app in your browser: npm run serve\n');
    }
    process.exit(code ?? (signal ? 1 : 0));
  });
}

build();
const electron = await ensureElectron();
if (electron.path) runElectron(electron.path);
else runBrowserMode(`Electron's binary could not be downloaded here (${electron.problem})`);
