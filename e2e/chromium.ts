// Which Chromium the e2e `browser` project drives (playwright.config.ts): CONDUCTOR_CHROMIUM, else a system Chromium,
// else the one inside the @sparticuz/chromium package, else Playwright's own. Test support only: never downloads anything.
//
// CONDUCTOR_CHROMIUM_SKIP_SYSTEM=1 skips the system Chromium (to check the other sources on a machine that has one).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ChromiumChoice {
  /** Where it came from, in words: "CONDUCTOR_CHROMIUM", "the system", "@sparticuz/chromium 147.0.0", "Playwright's own". */
  source: string;
  path: string;
}

export interface ChromiumResolution {
  /** null: no Chromium here; the browser project must fail with `line`. */
  choice: ChromiumChoice | null;
  /** The one line to print: which browser was chosen, or how to get one. */
  line: string;
}

export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  arch?: string;
  exists?: (path: string) => boolean;
  /** The browser inside @sparticuz/chromium, unpacked (Linux x64 only); `problem` says why there is none. */
  bundled?: () => ChromiumChoice | { problem: string };
  /** Where Playwright's own Chromium is (or would be): `chromium.executablePath()`. */
  playwrightOwn?: () => string | undefined;
}

const HOW_TO_GET_ONE = 'set CONDUCTOR_CHROMIUM=/path/to/chrome, install chromium, or run `npx playwright install chromium`';
const UNPACK_TIMEOUT_MS = 120_000;

/** System Chromium/Chrome locations, most specific first. */
export function systemCandidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'darwin') {
    return ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => !!r);
    return roots.map((root) => win32.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'));
  }
  const names = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];
  const dirs = ['/usr/bin', ...(env.PATH ?? '').split(delimiter).filter((d) => d && d !== '/usr/bin')];
  return names.flatMap((name) => dirs.map((dir) => join(dir, name)));
}

export function resolveChromium(options: ResolveOptions = {}): ChromiumResolution {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const exists = options.exists ?? existsSync;
  const chosen = (source: string, path: string): ChromiumResolution => ({ choice: { source, path }, line: `e2e: Chromium from ${source}: ${path}` });

  if (env.CONDUCTOR_CHROMIUM) {
    return exists(env.CONDUCTOR_CHROMIUM)
      ? chosen('CONDUCTOR_CHROMIUM', env.CONDUCTOR_CHROMIUM)
      : { choice: null, line: `e2e: CONDUCTOR_CHROMIUM=${env.CONDUCTOR_CHROMIUM} does not exist` };
  }
  if (env.CONDUCTOR_CHROMIUM_SKIP_SYSTEM !== '1') {
    const system = systemCandidates(platform, env).find((path) => exists(path));
    if (system) return chosen('the system', system);
  }
  let bundledProblem: string;
  if (platform === 'linux' && arch === 'x64') {
    const bundled = (options.bundled ?? unpackBundledChromium)();
    if ('path' in bundled) return chosen(bundled.source, bundled.path);
    bundledProblem = bundled.problem;
  } else {
    bundledProblem = `@sparticuz/chromium ships Linux x64 only, this is ${platform} ${arch}`;
  }
  let own: string | undefined;
  try {
    own = options.playwrightOwn?.();
  } catch {
    own = undefined;
  }
  if (own && exists(own)) return chosen("Playwright's own", own);
  return { choice: null, line: `e2e: no Chromium found (${bundledProblem}): ${HOW_TO_GET_ONE}` };
}

/** The installed @sparticuz/chromium's version, or why it is not there. */
function bundledVersion(projectRoot: string): { version: string } | { problem: string } {
  let entry: string;
  try {
    entry = createRequire(join(projectRoot, 'package.json')).resolve('@sparticuz/chromium');
  } catch {
    return { problem: '@sparticuz/chromium is not installed: run npm install' };
  }
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === '@sparticuz/chromium' && pkg.version) return { version: pkg.version };
  }
  return { problem: `no package.json for @sparticuz/chromium above ${entry}` };
}

/**
 * Unpacks the browser shipped inside @sparticuz/chromium into `cacheDir/<version>/` (once; later calls reuse it) and
 * returns its path. Its `executablePath()` is async and unpacks into os.tmpdir() (reusing any /tmp/chromium, of any
 * version), so it runs in a child process whose TMPDIR is a private staging folder, renamed into place when complete.
 */
export function unpackBundledChromium(
  projectRoot = fileURLToPath(new URL('..', import.meta.url)),
  cacheDir = join(projectRoot, 'node_modules', '.cache', 'conductor-chromium'),
): ChromiumChoice | { problem: string } {
  const pkg = bundledVersion(projectRoot);
  if ('problem' in pkg) return pkg;
  const source = `@sparticuz/chromium ${pkg.version}`;
  const finalDir = join(cacheDir, pkg.version);
  const binary = join(finalDir, 'chromium');
  if (existsSync(binary)) return { source, path: binary };

  const staging = `${finalDir}.partial-${process.pid}`;
  try {
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
  } catch (error) {
    return { problem: `cannot unpack ${source} into ${cacheDir}: ${(error as Error).message}` };
  }
  const script = "const { default: c } = await import('@sparticuz/chromium'); process.stdout.write(await c.executablePath());";
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: projectRoot,
    env: { ...process.env, TMPDIR: staging, TMP: staging, TEMP: staging },
    encoding: 'utf8',
    timeout: UNPACK_TIMEOUT_MS,
  });
  const unpacked = result.stdout?.trim();
  if (result.status !== 0 || unpacked !== join(staging, 'chromium') || !existsSync(unpacked)) {
    rmSync(staging, { recursive: true, force: true });
    const why = result.error?.message ?? result.stderr?.trim().split('\n').find(Boolean) ?? `exit code ${result.status}`;
    return { problem: `unpacking ${source} failed: ${why}` };
  }
  try {
    renameSync(staging, finalDir);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another process unpacked it first
  }
  return existsSync(binary) ? { source, path: binary } : { problem: `unpacking ${source} left no ${binary}` };
}
