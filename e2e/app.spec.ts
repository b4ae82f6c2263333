// The issue's scenario against the real UI and the real core (browser mode in Chromium; the Electron app where its
// binary exists): learn a pad, bind it to a WasmPlugin action, save, press, see the plugin's result; config errors
// at their field; the saved mapping after a reload; a commented config.toml kept through a UI save; screenshots of the main views.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConductorApp, VIEWS } from './conductor-app';
import { expect, test } from './fixtures';

/** One mode, no mappings: whatever mapping shows up afterwards was made by the test. */
const EMPTY_CONFIG = `[device]
auto_connect = true

[[modes]]
name = "Default"
`;

/** A config whose only mapping has an out-of-range note (line 9): the core reports it at that field. */
const BROKEN_CONFIG = `[device]
auto_connect = true

[[modes]]
name = "Default"

[[modes.mappings]]
description = "Broken pad"
trigger = { Note = { note = 300 } }
action = { ModeChange = { mode = "Default" } }
`;

const PAD = 40;

test('learn a pad, bind it to a plugin action, save, press the pad: the plugin result shows in the console', async ({
  launchApp,
  installWatPlugin,
  writeConfig,
  dirs,
}) => {
  writeConfig(EMPTY_CONFIG);
  // echo.wat requests no capability, so it runs without an approval dialog; it logs its whole input.
  const pluginPath = await installWatPlugin('echo');
  const { page } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();

  // A new mapping, its trigger learned by touching a virtual pad.
  await app.open('mappings');
  await expect(app.mappingRows).toHaveCount(0);
  await app.addMappingButton.click();
  await expect(app.mappingEditor).toBeVisible();
  await app.learnButton.click();
  await expect(app.learnActive).toBeVisible();
  await app.pressPad(PAD);
  await app.open('mappings');
  await expect(app.learnResult).toContainText(`note ${PAD}`);
  await expect(app.triggerNote).toHaveValue(String(PAD));

  // Bound to the plugin's `hello` action, then saved.
  await app.bindWasmPlugin(pluginPath, 'hello');
  await app.saveButton.click();
  const configFile = join(dirs.config, 'config.toml');
  await expect.poll(() => readFileSync(configFile, 'utf8')).toMatch(/WasmPlugin/);
  const saved = readFileSync(configFile, 'utf8');
  expect(saved).toContain('echo.wasm');
  expect(saved).toContain('hello');
  expect(saved).toMatch(new RegExp(`note = ${PAD}\\b`));

  // Pressing the pad runs the plugin in its sandbox; the console shows the call and what the plugin logged.
  await app.pressPad(PAD);
  await app.open('console');
  await expect(app.finishedActionRows.filter({ hasText: 'hello' }).first()).toBeVisible();

  // The saved mapping is still there after a reload (it comes from the core, not from page state).
  await page.reload();
  await app.ready();
  await app.open('mappings');
  await expect(app.mappingRows).toHaveCount(1);
  await expect(app.mappingRows.first()).toContainText('echo');
});

test('config errors show where they are: the file problem with its line, a refused save at its field', async ({ launchApp, writeConfig }) => {
  writeConfig(BROKEN_CONFIG);
  const { page } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  await app.open('mappings');
  // config.toml on disk: path, message and line.
  await expect(app.configFileIssues).toContainText('modes[0].mappings[0].trigger.Note.note: expected 0–127, got 300 (line 9)');

  // A mapping saved without its plugin's path: the save is refused and the message sits at the Path field.
  await app.addMappingButton.click();
  await app.actionType.selectOption('WasmPlugin');
  await app.pluginPath.fill('');
  await app.saveButton.click();
  await expect(await app.fieldIssues(app.pluginPath)).toContainText(/non-empty|required/i);
});

/** A hand-written config: comments above and beside values, blank lines, odd spacing, inline tables. */
const COMMENTED_CONFIG = `# My pads — hand-written, please keep my notes.
[device]
auto_connect = true   # plug and play

# ── the only mode ──
[[modes]]
name = "Default"

# Top-left pad: back to the default mode.
[[modes.mappings]]
description   = "Reset"        # short label
trigger = { Note = { note = 36 } }
action = { ModeChange = { mode = "Default" } }

# Second pad (velocity does not matter).
[[modes.mappings]]
description = "Also reset"
trigger = { Note = { note = 37 } }   # pad 2
action = { ModeChange = { mode = "Default" } }
`;

test('a hand-written, commented config.toml survives a save from the UI byte-for-byte outside the changed value', async ({
  launchApp,
  writeConfig,
  dirs,
}) => {
  writeConfig(COMMENTED_CONFIG);
  const { page } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  await app.open('mappings');
  await expect(app.mappingRows).toHaveCount(2);
  await app.mappingEditButtons.nth(1).click();
  await expect(app.mappingDescription).toHaveValue('Also reset');
  await app.mappingDescription.fill('Pad two');
  await app.saveButton.click();
  const configFile = join(dirs.config, 'config.toml');
  await expect.poll(() => readFileSync(configFile, 'utf8')).toContain('Pad two');
  const before = COMMENTED_CONFIG.split('\n');
  const after = readFileSync(configFile, 'utf8').split('\n');
  expect(after).toHaveLength(before.length);
  const changed = before.flatMap((line, i) => (line === after[i] ? [] : [{ line: i + 1, before: line, after: after[i] }]));
  expect(changed).toEqual([{ line: 17, before: 'description = "Also reset"', after: 'description = "Pad two"' }]);
});

test('screenshots of the main views', async ({ launchApp, installWatPlugin }, testInfo) => {
  await installWatPlugin('echo');
  const { page, shell } = await launchApp(); // first run: the default config
  const app = new ConductorApp(page);
  await app.ready();
  for (const view of VIEWS) {
    await app.open(view);
    const path = testInfo.outputPath(`${shell}-${view}.png`);
    await page.screenshot({ path, fullPage: true });
    await testInfo.attach(`${view} view`, { path, contentType: 'image/png' });
  }
});
