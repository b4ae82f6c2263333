// Conductor's format in the UI (issue #17), against the real core in browser mode: a config written the way
// Conductor writes it is listed in words; the Conditional (with its condition editor), MouseClick and gamepad
// triggers are edited in the mapping editor and saved with Conductor's names, checked in config.toml on disk.
import { readFileSync } from 'node:fs';
import { ConductorApp } from './conductor-app';
import { expect, test } from './fixtures';

const CONDUCTOR_CONFIG = `[device]
name = "Maschine Mikro MK3"
auto_connect = true

[advanced_settings]
hold_threshold_ms = 1500

[[modes]]
name = "Default"
color = "blue"

[[modes.mappings]]
description = "Hold to save"
[modes.mappings.trigger]
type = "LongPress"
note = 36
duration_ms = 800
[modes.mappings.action]
type = "Keystroke"
keys = "s"
modifiers = ["cmd"]

[[modes.mappings]]
[modes.mappings.trigger]
type = "GamepadButton"
button = 128
[modes.mappings.action]
type = "Conditional"
condition = { type = "TimeRange", start = "22:00", end = "06:00" }
then_action = { type = "Text", text = "late" }
else_action = { type = "MouseClick", button = "right" }
`;

const EMPTY_CONFIG = `[device]
auto_connect = true

[[modes]]
name = "Default"
`;

test.skip(({ shell }) => shell !== 'browser', 'browser project only');

async function saveAndRead(app: ConductorApp, configFile: string, until: RegExp): Promise<string> {
  await expect(app.saveButton).toBeEnabled();
  await app.saveButton.click();
  await expect.poll(() => readFileSync(configFile, 'utf8'), { timeout: 15_000 }).toMatch(until);
  return readFileSync(configFile, 'utf8');
}

test("a file in Conductor's own layout loads and is listed in words", async ({ launchApp, writeConfig }) => {
  writeConfig(CONDUCTOR_CONFIG);
  const { page, pageErrors } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  await app.open('mappings');
  await expect(app.mappingRows).toHaveCount(2);
  await expect(app.mappingRows.nth(0)).toContainText('Hold C1 (36) for 800 ms');
  await expect(app.mappingRows.nth(1)).toContainText('Gamepad South (A / Cross) (128)');
  await expect(app.mappingRows.nth(1)).toContainText('If it is 22:00–06:00: type "late"; otherwise click the right mouse button');
  expect(pageErrors).toEqual([]);
});

test('Conditional, MouseClick and a gamepad trigger are edited and saved with Conductor’s names', async ({ launchApp, writeConfig }, testInfo) => {
  const configFile = writeConfig(EMPTY_CONFIG);
  const { page, pageErrors } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  await app.open('mappings');
  await app.addMappingButton.click();

  // Trigger: a gamepad button.
  await page.getByTestId('trigger-type').selectOption('GamepadButton');
  await page.getByTestId('trigger-gamepad-button').selectOption('129');

  // Action: only between 09:00 and 17:00, click the right button at (10, 20); otherwise type "later".
  await app.actionType.selectOption('Conditional');
  const condition = page.getByTestId('condition-editor');
  await condition.getByTestId('condition-type').selectOption('TimeRange');
  await condition.getByTestId('condition-start').fill('09:00');
  await condition.getByTestId('condition-end').fill('17:00');
  const then = page.getByTestId('conditional-then');
  await then.getByRole('combobox', { name: 'Action type' }).selectOption('MouseClick');
  await then.getByTestId('mouse-button').selectOption('right');
  await then.getByRole('textbox', { name: 'X', exact: true }).fill('10');
  await then.getByRole('textbox', { name: 'Y', exact: true }).fill('20');
  await page.getByRole('checkbox', { name: 'Otherwise, another action' }).check();
  await page.getByTestId('conditional-else').getByTestId('text-text').fill('later');
  await page.screenshot({ path: testInfo.outputPath('conditional-editor.png') });

  const saved = await saveAndRead(app, configFile, /Conditional/);
  expect(saved).toContain('GamepadButton = { button = 129 }');
  expect(saved).toMatch(/condition = \{ type = "TimeRange", start = "09:00", end = "17:00" \}/);
  expect(saved).toMatch(/then_action = \{ MouseClick = \{ button = "right", x = 10, y = 20 \} \}/);
  expect(saved).toMatch(/else_action = \{ Text = \{ text = "later" \} \}/);
  await expect(app.mappingRows.first()).toContainText('If it is 09:00–17:00: click the right mouse button at 10, 20; otherwise type "later"');
  expect(pageErrors).toEqual([]);
});
