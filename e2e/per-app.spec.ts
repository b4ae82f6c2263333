// Per-app profiles in the mode editor against the real core (browser mode): a mode's app list (add, refuse a twin,
// remove, save to config.toml), "Follow the frontmost app" with its reason line; under a private Xvfb with a real
// window, "Use the current app" fills in the window's app and focusing it switches the mode.
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { ConductorApp } from './conductor-app';
import { X_SKIP_MESSAGE, XDisplay, xToolsAvailable } from '../src-main/system/test-support/x-display';

test.skip(({ shell }) => shell !== 'browser', 'browser project only');

const CONFIG = `[[modes]]
name = "Default"

[[modes]]
name = "Editing"
apps = ["code"]
`;

async function saveAndRead(app: ConductorApp, configFile: string, until: RegExp): Promise<string> {
  await expect(app.saveButton).toBeEnabled();
  await app.saveButton.click();
  await expect.poll(() => readFileSync(configFile, 'utf8'), { timeout: 15_000 }).toMatch(until);
  return readFileSync(configFile, 'utf8');
}

test("a mode's apps: add, refuse a twin, remove, save; follow on and off", async ({ launchApp, writeConfig }, testInfo) => {
  const configFile = writeConfig(CONFIG);
  const { page, pageErrors } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  await app.open('mappings');

  await page.getByTestId('mode-tab-m1').click();
  await expect(app.modeApp('name')).toHaveText(['code']);
  await page.getByTestId('mode-tab-m0').click();
  await expect(page.getByTestId('mode-apps-empty')).toBeVisible();

  await app.modeApp('input').fill('firefox');
  await app.modeApp('input').press('Enter');
  await app.modeApp('input').fill('*Adobe*');
  await app.modeApp('add').click();
  await expect(app.modeApp('name')).toHaveText(['firefox', '*Adobe*']);
  await expect(app.modeApp('input')).toHaveValue('');
  await app.modeApp('input').fill('FIREFOX');
  await app.modeApp('add').click();
  await expect(app.modeApp('problem')).toHaveText('FIREFOX is already in the list');
  await app.modeApp('input').fill('');
  await app.modeApp().filter({ hasText: 'firefox' }).getByTestId('mode-app-remove').click();
  await expect(app.modeApp('name')).toHaveText(['*Adobe*']);
  await page.screenshot({ path: testInfo.outputPath('mode-apps.png') });

  const saved = await saveAndRead(app, configFile, /apps = \["\*Adobe\*"\]/);
  expect(saved).toContain('name = "Default"\napps = ["*Adobe*"]\n');
  expect(saved).toContain('name = "Editing"\napps = ["code"]\n');

  // Following: on by default; off says so; on again leaves that line.
  await expect(app.profiles('follow')).toBeChecked();
  await app.profiles('follow').click();
  await expect(app.profiles('reason')).toHaveText(/^Not following the frontmost app/);
  await expect(app.profiles('follow')).not.toBeChecked();
  await app.profiles('follow').click();
  await expect(app.profiles('follow')).toBeChecked();
  await expect(app.profiles('reason')).not.toHaveText(/^Not following/);
  expect(pageErrors).toEqual([]);
});

test('under Xvfb: "Use the current app" adds the window in front, and focusing it switches the mode', async ({ launchApp, writeConfig }, testInfo) => {
  test.skip(!xToolsAvailable(), X_SKIP_MESSAGE);
  const x = await XDisplay.start(130);
  try {
    const window = await x.openWindow('xmessage', 'Profiles e2e', 'hello');
    await x.activate(window.id);
    const configFile = writeConfig(CONFIG);
    const { page, pageErrors } = await launchApp({ env: { DISPLAY: x.display } });
    const app = new ConductorApp(page);
    await app.ready();
    await app.open('mappings');
    // Editing lists code, not this window: the mode stays Default and the line says what is in front.
    await expect(app.profiles('reason')).toHaveText(/no mode lists Xmessage/, { timeout: 30_000 });

    await page.getByTestId('mode-tab-m1').click();
    await app.modeApp('use-current').click();
    await expect(app.modeApp('name')).toHaveText(['code', 'Xmessage']);
    await saveAndRead(app, configFile, /apps = \["code", "Xmessage"\]/);
    // Saved: the app in front is now listed by Editing, which becomes current.
    await expect(app.profiles('reason')).toHaveText('Mode Editing because Xmessage is in front', { timeout: 30_000 });
    await expect(page.getByTestId('mode-is-current')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('mode-apps-xvfb.png') });

    await x.activate(0); // nothing in front: the mode from before comes back
    await expect(app.profiles('reason')).toHaveText(/^Mode Default: no app is in front/, { timeout: 30_000 });
    expect(pageErrors).toEqual([]);
  } finally {
    await x.stop();
  }
});
