// The infrastructure on its own, before any view exists: the app starts on temp dirs, the page loads under the
// CSP, and (Electron) the preload exposes exactly the typed API and no Node. Runs wherever dist/ is built.
import { expect, test } from './fixtures';

test('the app starts on temp dirs and its page loads', async ({ launchApp, dirs }, testInfo) => {
  const { page, shell, url, pageErrors } = await launchApp();
  await expect(page).toHaveTitle('Conductor');
  if (shell === 'browser') expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*#token=/);
  else expect(url).toMatch(/^conductor:\/\/app\//);
  const path = testInfo.outputPath(`${shell}-first-load.png`);
  await page.screenshot({ path });
  await testInfo.attach('first load', { path, contentType: 'image/png' });
  expect(pageErrors).toEqual([]);
  expect(dirs.config).toContain('conductor-e2e-');
});

test('the window sees the typed API and nothing else (Electron)', async ({ launchApp, shell }) => {
  test.skip(shell !== 'electron', 'Electron only: browser mode has no preload');
  const { page } = await launchApp();
  const seen = await page.evaluate(async () => {
    type Verbs = Record<string, Record<string, unknown> | undefined>;
    const api = (window as unknown as { conductor?: Verbs }).conductor;
    const g = globalThis as Record<string, unknown>;
    const info = (await (api?.app?.info as () => Promise<{ shell: string }>)()).shell;
    return {
      keys: api ? Object.keys(api).sort() : null,
      fs: typeof api?.fs,
      generic: typeof (api as Record<string, unknown> | undefined)?.call,
      require: typeof g.require,
      process: typeof g.process,
      info,
    };
  });
  expect(seen).toEqual({
    keys: ['app', 'config', 'devices', 'engine', 'gamepads', 'layouts', 'learn', 'plugins', 'profiles', 'system', 'trust', 'virtual'],
    fs: 'undefined',
    generic: 'undefined',
    require: 'undefined',
    process: 'undefined',
    info: 'electron',
  });
});
