// The e2e suite's Chromium resolution (e2e/chromium.ts): the order CONDUCTOR_CHROMIUM → system → @sparticuz/chromium
// → Playwright's own → a line saying how to get one; and the real unpack of @sparticuz/chromium's browser.
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveChromium, systemCandidates, unpackBundledChromium, type ResolveOptions } from '../e2e/chromium';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLED = { source: '@sparticuz/chromium 1.0.0', path: '/cache/1.0.0/chromium' };
const OWN = '/home/u/.cache/ms-playwright/chromium-1/chrome-linux/chrome';

/** Linux x64 with the given files present; the bundled browser and Playwright's own are fakes. */
function options(files: string[], over: ResolveOptions = {}) {
  const bundled = vi.fn((): ReturnType<NonNullable<ResolveOptions['bundled']>> => BUNDLED);
  return { env: { PATH: '/usr/local/bin:/usr/bin' }, platform: 'linux' as const, arch: 'x64', exists: (p: string) => files.includes(p), bundled, playwrightOwn: () => OWN, ...over };
}

describe('resolveChromium', () => {
  it('takes CONDUCTOR_CHROMIUM first, and fails with its name when it does not exist', () => {
    const o = options(['/opt/my-chrome', '/usr/bin/chromium'], { env: { CONDUCTOR_CHROMIUM: '/opt/my-chrome' } });
    expect(resolveChromium(o)).toEqual({ choice: { source: 'CONDUCTOR_CHROMIUM', path: '/opt/my-chrome' }, line: 'e2e: Chromium from CONDUCTOR_CHROMIUM: /opt/my-chrome' });
    expect(o.bundled).not.toHaveBeenCalled();
    expect(resolveChromium(options(['/usr/bin/chromium'], { env: { CONDUCTOR_CHROMIUM: '/nope' } }))).toEqual({ choice: null, line: 'e2e: CONDUCTOR_CHROMIUM=/nope does not exist' });
  });

  it('then a system Chromium: /usr/bin/chromium, else chromium-browser or Google Chrome on PATH', () => {
    const o = options(['/usr/bin/chromium', '/usr/bin/google-chrome-stable']);
    expect(resolveChromium(o).choice).toEqual({ source: 'the system', path: '/usr/bin/chromium' });
    expect(o.bundled).not.toHaveBeenCalled();
    expect(resolveChromium(options(['/usr/local/bin/chromium-browser', '/usr/bin/google-chrome'])).choice?.path).toBe('/usr/local/bin/chromium-browser');
    expect(resolveChromium(options(['/usr/bin/google-chrome'])).choice?.path).toBe('/usr/bin/google-chrome');
  });

  it('then the browser inside @sparticuz/chromium (Linux x64 only); CONDUCTOR_CHROMIUM_SKIP_SYSTEM=1 skips the system one', () => {
    expect(resolveChromium(options([OWN])).choice).toEqual(BUNDLED);
    const skip = options(['/usr/bin/chromium', OWN], { env: { CONDUCTOR_CHROMIUM_SKIP_SYSTEM: '1' } });
    expect(resolveChromium(skip)).toEqual({ choice: BUNDLED, line: `e2e: Chromium from ${BUNDLED.source}: ${BUNDLED.path}` });
    const arm = options([OWN], { arch: 'arm64' });
    expect(resolveChromium(arm).choice).toEqual({ source: "Playwright's own", path: OWN });
    expect(arm.bundled).not.toHaveBeenCalled();
  });

  it("then Playwright's own when it is installed; else one line saying how to get a Chromium", () => {
    const noBundled = { bundled: () => ({ problem: '@sparticuz/chromium is not installed: run npm install' }) };
    expect(resolveChromium(options([OWN], noBundled)).choice).toEqual({ source: "Playwright's own", path: OWN });
    const none = resolveChromium(options([], noBundled));
    expect(none.choice).toBeNull();
    expect(none.line).toBe(
      'e2e: no Chromium found (@sparticuz/chromium is not installed: run npm install): set CONDUCTOR_CHROMIUM=/path/to/chrome, install chromium, or run `npx playwright install chromium`',
    );
    expect(resolveChromium(options([], { ...noBundled, playwrightOwn: () => { throw new Error('unsupported platform'); } })).choice).toBeNull();
    expect(resolveChromium(options([], { platform: 'darwin', playwrightOwn: undefined })).line).toMatch(/^e2e: no Chromium found \(@sparticuz\/chromium ships Linux x64 only, this is darwin x64\)/);
  });

  it('knows where Chromium and Chrome live on macOS and Windows', () => {
    expect(systemCandidates('darwin', {})).toContain('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    expect(systemCandidates('win32', { PROGRAMFILES: 'C:\\Program Files', LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' })).toEqual([
      'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
      'C:\\Users\\u\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe',
    ]);
  });
});

describe('unpackBundledChromium', () => {
  let cache: string | null = null;
  afterEach(() => {
    if (cache) rmSync(cache, { recursive: true, force: true });
    cache = null;
  });

  it.skipIf(process.platform !== 'linux' || process.arch !== 'x64')('unpacks the browser once into its own folder and reuses it', () => {
    cache = mkdtempSync(join(tmpdir(), 'conductor-chromium-test-'));
    const first = unpackBundledChromium(ROOT, cache);
    if (!('path' in first)) throw new Error(first.problem);
    expect(first.source).toMatch(/^@sparticuz\/chromium \d+\.\d+\.\d+$/);
    expect(first.path).toBe(join(cache, first.source.split(' ')[1] ?? '', 'chromium'));
    accessSync(first.path, constants.X_OK);
    const started = Date.now();
    expect(unpackBundledChromium(ROOT, cache)).toEqual(first);
    expect(Date.now() - started).toBeLessThan(1000); // no second unpack
  });
});
