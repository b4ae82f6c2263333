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
    const api = (window as unknown as { conductor?: Record<string, unknown> }).conductor;
    const g = globalThis as Record<string, unknown>;
    const unknownCall = await (api?.call as (n: string) => Promise<unknown>)('fs.readFile').then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    const info = (await (api?.call as (n: string) => Promise<{ shell: string }>)('app.info')).shell;
    return { keys: api ? Object.keys(api).sort() : null, require: typeof g.require, process: typeof g.process, unknownCall, info };
  });
  expect(seen).toEqual({ keys: ['call', 'installPluginFromDisk', 'on'], require: 'undefined', process: 'undefined', unknownCall: expect.stringMatching(/unknown call/), info: 'electron' });
});
