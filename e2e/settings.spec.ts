// Settings → Device and Timing against the real core (browser mode): the MIDI input, auto-connect/reconnect and the
// three timing windows are edited, refused live when out of bounds, saved into a hand-commented config.toml (comments
// kept), still there after a reload, reset to defaults; a save main refuses is shown. Screenshots go to the output dir.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { ConductorApp } from './conductor-app';
import { expect, test } from './fixtures';

test.skip(({ shell }) => shell !== 'browser', 'browser project only');

/** A screenshot of the page's viewport or of one element, saved to the test's output dir and attached. */
async function shoot(testInfo: TestInfo, target: Page | Locator, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await target.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** A hand-written config with comments above and beside the values the test changes. */
const COMMENTED_CONFIG = `# My controller — hand-written, please keep my notes.
[device]
# no name: the first hardware input
auto_connect = true   # plug and play
auto_reconnect = true

# Timing, tuned by hand.
[advanced_settings]
hold_threshold_ms = 1500   # quicker than the default
double_tap_timeout_ms = 300
chord_timeout_ms = 100     # chords

[[modes]]
name = "Default"

# Pad 1 goes home.
[[modes.mappings]]
description = "Reset"
trigger = { Note = { note = 36 } }
action = { ModeChange = { mode = "Default" } }
`;

test('device and timing: edited, refused out of bounds, saved with the file’s comments, kept after a reload, reset to defaults', async ({
  launchApp,
  writeConfig,
  dirs,
}, testInfo) => {
  const configFile = writeConfig(COMMENTED_CONFIG);
  expect(configFile).toBe(join(dirs.config, 'config.toml'));
  const { page } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  await app.open('settings');

  // What the file says, shown.
  const hold = app.timingSetting('hold_threshold_ms');
  const doubleTap = app.timingSetting('double_tap_timeout_ms');
  const chord = app.timingSetting('chord_timeout_ms');
  await expect(hold).toHaveValue('1500');
  await expect(doubleTap).toHaveValue('300');
  await expect(chord).toHaveValue('100');
  await expect(app.deviceSetting('input')).toHaveValue('first');
  await expect(app.deviceSetting('auto-connect')).toBeChecked();
  await expect(app.deviceSetting('auto-reconnect')).toBeChecked();
  await expect(app.settingsBar('unsaved')).toHaveText('All changes saved');
  await expect(app.settingsBar('save-config')).toBeDisabled();
  // Bounds and defaults are shown at the fields.
  await expect(page.getByTestId('settings-timing')).toContainText('1–60,000 ms, default 2,000');
  await expect(page.getByTestId('settings-timing')).toContainText('1–5,000 ms, default 300');

  // Out of bounds or not a number: the message at the field, Save disabled.
  await hold.fill('0');
  await expect(await app.fieldIssues(hold)).toHaveText(/Must be 1–60,000 ms/);
  await expect(app.settingsBar('save-config')).toBeDisabled();
  await expect(app.settingsBar('unsaved')).toHaveText('Fix the marked values to save');
  await chord.fill('5001');
  await expect(await app.fieldIssues(chord)).toHaveText(/Must be 1–5,000 ms/);
  await doubleTap.fill('fast');
  await expect(await app.fieldIssues(doubleTap)).toHaveText(/whole number/);
  await expect(app.settingsBar('save-config')).toBeDisabled();
  await shoot(testInfo, page.getByTestId('settings-timing'), 'settings-timing-invalid');

  // Valid values: no message, Save enabled, the change counted as unsaved.
  await hold.fill('2500');
  await doubleTap.fill('250');
  await chord.fill('80');
  for (const input of [hold, doubleTap, chord]) await expect(input).not.toHaveAttribute('aria-invalid', 'true');
  await expect(app.settingsBar('unsaved')).toHaveText('● Unsaved changes: Timing');
  await expect(app.settingsBar('save-config')).toBeEnabled();

  // Device: "name contains…" must not be blank; then a name, and auto-reconnect off.
  await app.deviceSetting('input').selectOption('contains');
  const name = app.deviceSetting('name');
  await expect(name).toHaveValue('');
  await expect(await app.fieldIssues(name)).toHaveText(/First hardware input/);
  await expect(app.settingsBar('save-config')).toBeDisabled();
  await name.fill('Mikro');
  await expect(name).not.toHaveAttribute('aria-invalid', 'true');
  await app.deviceSetting('auto-reconnect').uncheck();
  await expect(app.settingsBar('unsaved')).toHaveText('● Unsaved changes: Device and Timing');
  await shoot(testInfo, page.getByTestId('settings-device'), 'settings-device');
  await shoot(testInfo, page.getByTestId('settings-timing'), 'settings-timing');
  await page.getByRole('heading', { name: 'Settings' }).scrollIntoViewIfNeeded();
  await shoot(testInfo, page, 'settings-view');

  // Saved: the file has the new values where the old ones stood, every comment and other line kept.
  await app.settingsBar('save-config').click();
  await expect(app.settingsBar('unsaved')).toHaveText('All changes saved');
  await expect.poll(() => readFileSync(configFile, 'utf8')).toContain('hold_threshold_ms = 2500');
  const saved = readFileSync(configFile, 'utf8');
  const expected = COMMENTED_CONFIG.replace('hold_threshold_ms = 1500   #', 'hold_threshold_ms = 2500   #')
    .replace('double_tap_timeout_ms = 300', 'double_tap_timeout_ms = 250')
    .replace('chord_timeout_ms = 100     #', 'chord_timeout_ms = 80     #')
    .replace('auto_reconnect = true', 'auto_reconnect = false');
  const savedLines = saved.split('\n');
  const nameLine = savedLines.indexOf('name = "Mikro"');
  expect(nameLine, 'name is written into [device]').toBeGreaterThan(savedLines.indexOf('[device]'));
  expect(nameLine).toBeLessThan(savedLines.indexOf('[advanced_settings]'));
  expect(savedLines.filter((_, i) => i !== nameLine).join('\n')).toBe(expected);

  // A reload shows what was saved (it comes from the core).
  await page.reload();
  await app.ready();
  await app.open('settings');
  await expect(hold).toHaveValue('2500');
  await expect(doubleTap).toHaveValue('250');
  await expect(chord).toHaveValue('80');
  await expect(app.deviceSetting('input')).toHaveValue('contains');
  await expect(app.deviceSetting('name')).toHaveValue('Mikro');
  await expect(app.deviceSetting('auto-connect')).toBeChecked();
  await expect(app.deviceSetting('auto-reconnect')).not.toBeChecked();
  await expect(app.settingsBar('unsaved')).toHaveText('All changes saved');

  // Reset to defaults, back to the first hardware input, saved.
  await app.timingSetting('reset').click();
  await expect(hold).toHaveValue('2000');
  await expect(doubleTap).toHaveValue('300');
  await expect(chord).toHaveValue('50');
  await expect(app.timingSetting('reset')).toBeDisabled();
  await app.deviceSetting('input').selectOption('first');
  await expect(app.deviceSetting('name')).toHaveCount(0);
  await app.settingsBar('save-config').click();
  await expect(app.settingsBar('unsaved')).toHaveText('All changes saved');
  await expect.poll(() => readFileSync(configFile, 'utf8')).toContain('hold_threshold_ms = 2000   # quicker than the default');
  const reset = readFileSync(configFile, 'utf8');
  expect(reset).toContain('chord_timeout_ms = 50     # chords');
  expect(reset).not.toContain('Mikro');
  expect(reset).toContain('# no name: the first hardware input');
});

test('a save main refuses is shown in Settings, and nothing is written', async ({ launchApp, writeConfig }, testInfo) => {
  const configFile = writeConfig(COMMENTED_CONFIG);
  const { page } = await launchApp();
  // The small window, dark: the banner and the save bar must still fit.
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.emulateMedia({ colorScheme: 'dark' });
  const app = new ConductorApp(page);
  await app.ready();

  // An unsaved mapping main will refuse (a WasmPlugin action without its path)…
  await app.open('mappings');
  await app.addMappingButton.click();
  await app.actionType.selectOption('WasmPlugin');
  await app.pluginPath.fill('');

  // …saved from Settings along with a timing change: the same save, refused as a whole.
  await app.open('settings');
  await app.timingSetting('chord_timeout_ms').fill('60');
  await expect(app.settingsBar('unsaved')).toHaveText('● Unsaved changes: Timing (and mappings)');
  await app.settingsBar('save-config').click();
  const refused = app.settingsBar('save-refused');
  await expect(refused).toContainText('Not saved: 1 problem in the config.');
  await expect(refused).toContainText(/modes\[0\]\.mappings\[1\]\.action\.WasmPlugin\.path/);
  await expect(refused).toContainText(/non-empty|required/i);
  await expect(app.settingsBar('unsaved')).toContainText('Unsaved changes');
  expect(readFileSync(configFile, 'utf8')).toBe(COMMENTED_CONFIG);
  await shoot(testInfo, page, 'settings-save-refused-dark-1024');

  // "open Mappings" leads to the problem.
  await page.getByTestId('settings-open-mappings').click();
  await expect(app.nav('mappings')).toHaveAttribute('aria-current', 'page');
  await expect(await app.fieldIssues(app.pluginPath)).toContainText(/non-empty|required/i);
});
