// Edits that cannot be saved broken (issue #15 items 5 and 7), against the real core in browser mode: switching a plugin
// action drops the params it does not declare behind an Undo; a missing required param holds Save back with the reason on
// the card; a Test result goes when its params change; invalid JSON holds Test back; a new mapping starts from the pad
// last pressed; a trigger mapped twice in a mode is noted on the cards without blocking Save. Screenshots to the output dir.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConductorApp } from './conductor-app';
import { expect, test } from './fixtures';

/** One mode, no mappings: the mapping the test adds is the only one. */
const EMPTY_CONFIG = `[device]
auto_connect = true

[[modes]]
name = "Default"
`;

/** One mode whose pad 36 is already taken. */
const PAD_36_TAKEN = `[device]
auto_connect = true

[[modes]]
name = "Default"

[[modes.mappings]]
description = "Play"
trigger = { Note = { note = 36 } }
action = { ModeChange = { mode = "Default" } }
`;

/** echo.wasm has no metadata of its own: this sidecar gives it two actions, the second with a required parameter. */
const TWO_ACTIONS = [
  'name = "obs-shaped"',
  'version = "2.0.0"',
  'description = "Two actions, one with a required parameter"',
  '[[actions]]',
  'name = "switch_scene"',
  'description = "Switch to a scene"',
  'parameters = ["scene_name"]',
  '[[actions]]',
  'name = "fade"',
  'description = "Fade a source"',
  'parameters = ["source", { name = "fade_ms", type = "number", required = true, description = "Fade length" }]',
  '',
].join('\n');

test.skip(({ shell }) => shell !== 'browser', 'browser project only');

test('a plugin action switch drops stale params behind Undo; a missing required param holds Save back; Test results and invalid JSON', async ({
  launchApp,
  installWatPlugin,
  writeConfig,
  dirs,
}, testInfo) => {
  writeConfig(EMPTY_CONFIG);
  await installWatPlugin('echo');
  writeFileSync(join(dirs.plugins, 'echo.plugin.toml'), TWO_ACTIONS);
  const { page } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  await app.open('mappings');
  await app.addMappingButton.click();
  await app.bindInstalledPlugin('obs-shaped', 'switch_scene');
  await app.pluginParam('scene_name').fill('Intermission');
  await app.pluginParamsJson.fill('{"volume": 50}');

  // A Test shows what it ran with; changing a parameter clears it (it no longer describes these params).
  await app.pluginTestButton.click();
  await expect(app.pluginTestResult).toContainText('✓ Succeeded');
  await expect(app.pluginTestResult).toContainText('"scene_name":"Intermission"');
  await app.pluginParam('scene_name').fill('Intro');
  await expect(app.pluginTestResult).toHaveCount(0);
  await app.pluginTestButton.click();
  await expect(app.pluginTestResult).toContainText('"scene_name":"Intro"');

  // While the parameters' JSON is not valid, Test waits; valid again, it is back (and the value was never sent to the draft).
  await app.pluginParamsJson.fill('{"volume": ');
  await expect(app.pluginParamsJson).toHaveAttribute('aria-invalid', 'true');
  await expect(app.pluginTestButton).toBeDisabled();
  await expect(page.getByTestId('plugin-test-blocked')).toContainText('valid JSON');
  await expect(app.pluginTestResult).toContainText('"scene_name":"Intro"');
  await app.pluginParamsJson.fill('{"volume": 50}');
  await expect(app.pluginTestButton).toBeEnabled();
  await expect(app.pluginTestResult).toContainText('"volume":50');

  // Switching to fade drops scene_name and volume (fade declares neither), says so with an Undo, and clears the Test.
  await app.pluginAction.selectOption('fade');
  await expect(app.pluginParamsDropped).toContainText('Dropped scene_name and volume — not parameters of fade.');
  await expect(app.pluginTestResult).toHaveCount(0);
  await expect(app.pluginParam('fade_ms')).toBeVisible();
  await expect(app.pluginParamsJson).toHaveValue('');
  await expect(app.mappingRows.first()).toContainText('Run plugin echo.wasm: fade');

  // fade_ms is required: Save waits, and both the Save bar and the mapping's card say why.
  await expect(app.saveButton).toBeDisabled();
  await expect(app.saveBlocked).toHaveText("Can't save yet: fade_ms is required for fade");
  await expect(app.mappingRequired).toContainText('fade_ms is required for fade');
  await expect(app.pluginTestButton).toBeDisabled();
  // The view scrolls inside the window: a tall window shows the Save bar and the whole card at once.
  await page.setViewportSize({ width: 1280, height: 1500 });
  await page.screenshot({ path: testInfo.outputPath('mapping-action-switched.png') });
  await page.setViewportSize({ width: 1024, height: 700 });
  await expect(app.saveBlocked).toBeInViewport();
  await page.screenshot({ path: testInfo.outputPath('mapping-save-blocked-1024x700.png') });
  await page.setViewportSize({ width: 1280, height: 820 });

  // Undo puts back the previous action with the dropped params, and Save is free again.
  await app.pluginParamsUndo.click();
  await expect(app.pluginParamsDropped).toHaveCount(0);
  await expect(app.pluginAction).toHaveValue('switch_scene');
  await expect(app.pluginParam('scene_name')).toHaveValue('Intro');
  await expect(app.pluginParamsJson).toHaveValue('{"volume":50}');
  await expect(app.saveBlocked).toHaveCount(0);
  await expect(app.mappingRequired).toHaveCount(0);
  await expect(app.saveButton).toBeEnabled();

  // Switched again and the required parameter filled in: Save goes through with only fade's params.
  await app.pluginAction.selectOption('fade');
  await expect(app.saveButton).toBeDisabled();
  await app.pluginParam('fade_ms').fill('250');
  await expect(app.saveBlocked).toHaveCount(0);
  await expect(app.mappingRequired).toHaveCount(0);
  await expect(app.saveButton).toBeEnabled();
  await app.saveButton.click();
  const configFile = join(dirs.config, 'config.toml');
  await expect.poll(() => readFileSync(configFile, 'utf8')).toMatch(/fade_ms = 250/);
  const saved = readFileSync(configFile, 'utf8');
  expect(saved).toMatch(/action = "fade"/);
  expect(saved).not.toContain('scene_name');
  expect(saved).not.toContain('volume');
});

test('a new mapping starts from the pad last pressed; the same trigger twice in a mode is noted on both cards, Save still allowed', async ({
  launchApp,
  writeConfig,
}, testInfo) => {
  writeConfig(PAD_36_TAKEN);
  const { page } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  await app.open('mappings');
  await expect(app.mappingRows).toHaveCount(1);
  await expect(app.mappingConflicts).toHaveCount(0);

  // Nothing pressed yet: note 36 as before, with a key press that saves as it is — and pad 36 is taken.
  await app.addMappingButton.click();
  await expect(app.triggerNote).toHaveValue('36');
  await expect(app.actionType).toHaveValue('Keystroke');
  await expect(page.getByTestId('keystroke-keys')).toHaveValue('space');
  const newRow = app.mappingRows.nth(1);
  await expect(newRow.getByTestId('mapping-conflict')).toHaveText('Note 36 is already mapped in Default: Play');
  await expect(app.mappingRows.first().getByTestId('mapping-conflict')).toHaveText(/^Note 36 is already mapped in Default: Press space/);
  await expect(app.saveButton).toBeEnabled();
  await newRow.screenshot({ path: testInfo.outputPath('mapping-conflict.png') });

  // Another note: no conflict left on either card.
  await app.triggerNote.fill('37');
  await expect(app.mappingConflicts).toHaveCount(0);

  // Pad 40 pressed on the virtual controller (seen in the console): the next new mapping starts from it.
  await app.pressPad(40);
  await app.open('console');
  await expect(app.consoleRows.filter({ hasText: /Note on .*\(40\)/ }).first()).toBeVisible();
  await app.open('mappings');
  await app.addMappingButton.click();
  await expect(app.mappingRows).toHaveCount(3);
  await expect(app.triggerNote).toHaveValue('40');
  await expect(app.mappingRows.nth(2)).toContainText('Press space');
  await expect(app.mappingConflicts).toHaveCount(0);
  await app.saveButton.click();
  await expect(page.getByTestId('unsaved-indicator')).toHaveText('All changes saved');
});
