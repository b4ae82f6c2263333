// The editors users expect (issue #15 item 10), against the real core in browser mode: Keystroke key capture (the
// shortcut pressed lands in keys/modifiers, not in the app's own shortcuts), SendMidi's output choice (the virtual
// controller's output listed), Launch's app picker (fed by .desktop files in a temp XDG_DATA_DIRS) and mode colours —
// each saved and checked in config.toml on disk. Screenshots to the output dir.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConductorApp } from './conductor-app';
import { expect, test } from './fixtures';

const EMPTY_CONFIG = `[device]
auto_connect = true

[[modes]]
name = "Default"
`;

test.skip(({ shell }) => shell !== 'browser', 'browser project only');

/** Adds a mapping and sets its action type; the editor is then open on it. */
async function newMappingWithAction(app: ConductorApp, type: string): Promise<void> {
  await app.open('mappings');
  await app.addMappingButton.click();
  await app.actionType.selectOption(type);
  await expect(app.actionType).toHaveValue(type);
}

async function saveAndRead(app: ConductorApp, configFile: string, until: RegExp): Promise<string> {
  await expect(app.saveButton).toBeEnabled();
  await app.saveButton.click();
  await expect.poll(() => readFileSync(configFile, 'utf8'), { timeout: 15_000 }).toMatch(until);
  return readFileSync(configFile, 'utf8');
}

test('Keystroke: "Press the shortcut" captures Ctrl+Shift+K into keys and modifiers, without firing Ctrl+S; Esc cancels', async ({ launchApp, writeConfig }, testInfo) => {
  const configFile = writeConfig(EMPTY_CONFIG);
  const { page, pageErrors } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  await newMappingWithAction(app, 'Keystroke');

  // Esc alone cancels and changes nothing.
  await app.keystroke('capture').click();
  await expect(app.keystroke('capture')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Escape');
  await expect(app.keystroke('capture')).toHaveAttribute('aria-pressed', 'false');
  await expect(app.keystroke('capture-hint')).toContainText('cancelled');

  // While armed, Ctrl+S is captured as the shortcut: it does not save (the file keeps no mapping).
  await app.keystroke('capture').click();
  await page.keyboard.press('Control+s');
  await expect(app.keystroke('keys')).toHaveValue('s');
  await expect(app.keystrokeModifier('ctrl')).toBeChecked();
  // Ctrl+Z too: captured, not an undo of the draft (the action stays a Keystroke).
  await app.keystroke('capture').click();
  await page.keyboard.press('Control+z');
  await expect(app.keystroke('keys')).toHaveValue('z');
  await expect(app.actionType).toHaveValue('Keystroke');

  // A lone modifier is not a shortcut: capture keeps listening and says why.
  await app.keystroke('capture').click();
  await page.keyboard.down('Shift');
  await expect(app.keystroke('keycaps')).toContainText('Shift');
  await page.keyboard.up('Shift');
  await expect(app.keystroke('capture-hint')).toContainText('modifier on its own');
  await expect(app.keystroke('capture')).toHaveAttribute('aria-pressed', 'true');

  await page.keyboard.press('Control+Shift+K');
  await expect(app.keystroke('capture')).toHaveAttribute('aria-pressed', 'false');
  await expect(app.keystroke('keys')).toHaveValue('k');
  await expect(app.keystrokeModifier('ctrl')).toBeChecked();
  await expect(app.keystrokeModifier('shift')).toBeChecked();
  await expect(app.keystrokeModifier('alt')).not.toBeChecked();
  await expect(app.keystroke('keycaps')).toHaveText(/Ctrl\s*\+\s*Shift\s*\+\s*K/);
  await page.screenshot({ path: testInfo.outputPath('keystroke-capture.png') });
  // The Ctrl+S pressed while listening (seconds ago) saved nothing: the file still has no mapping.
  expect(readFileSync(configFile, 'utf8')).not.toContain('Keystroke');
  await expect(page.getByTestId('unsaved-indicator')).toContainText('Unsaved');

  const saved = await saveAndRead(app, configFile, /Keystroke/);
  expect(saved).toMatch(/keys = "k"/);
  expect(saved).toMatch(/modifiers = \[\s*"ctrl",\s*"shift"\s*\]/);
  expect(pageErrors).toEqual([]);
});

test('SendMidi: the output choice lists the virtual controller output; choosing it saves its name; other names are kept as typed', async ({ launchApp, writeConfig }, testInfo) => {
  const configFile = writeConfig(EMPTY_CONFIG);
  const { page, pageErrors } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  await newMappingWithAction(app, 'SendMidi');

  const choice = app.sendMidi('port-choice');
  const virtualOption = choice.locator('option').filter({ hasText: 'Virtual Controller' });
  await expect(virtualOption).toHaveCount(1);
  const virtualName = (await virtualOption.getAttribute('value')) ?? '';
  expect(virtualName).not.toBe('');

  // A name that is not present now is allowed, and said so.
  await app.sendMidi('port').fill('My Synth');
  await expect(app.sendMidi('port-status')).toContainText('Not connected now');
  await expect(choice).toHaveValue('');

  await choice.selectOption(virtualName);
  await expect(app.sendMidi('port')).toHaveValue(virtualName);
  await expect(app.sendMidi('port-status')).toHaveText('Connected now');
  await page.screenshot({ path: testInfo.outputPath('send-midi-port.png') });

  const saved = await saveAndRead(app, configFile, /SendMidi/);
  expect(saved).toContain(`port = "${virtualName}"`);
  expect(pageErrors).toEqual([]);
});

test('Launch: the app picker lists the .desktop entries of XDG_DATA_DIRS (not hidden ones) and fills app and args', async ({ launchApp, writeConfig, dirs }, testInfo) => {
  const configFile = writeConfig(EMPTY_CONFIG);
  const xdg = join(dirs.root, 'xdg');
  const apps = join(xdg, 'applications');
  mkdirSync(apps, { recursive: true });
  writeFileSync(join(apps, 'conductor-test-synth.desktop'), '[Desktop Entry]\nType=Application\nName=Conductor Test Synth\nExec=/opt/test-synth/bin/synth --preset "Warm Pad" %U\nIcon=test-synth\n');
  writeFileSync(join(apps, 'conductor-test-hidden.desktop'), '[Desktop Entry]\nType=Application\nName=Conductor Hidden Helper\nExec=hidden-helper\nNoDisplay=true\n');
  writeFileSync(join(apps, 'broken.desktop'), 'not a desktop entry at all');
  const { page, pageErrors } = await launchApp({ env: { XDG_DATA_DIRS: xdg, XDG_DATA_HOME: join(dirs.root, 'xdg-home') } });
  const app = new ConductorApp(page);
  await app.ready();
  await newMappingWithAction(app, 'Launch');

  await app.launch('app-choose').click();
  await expect(app.launch('app-picker')).toBeVisible();
  await expect(app.launch('app-option')).toHaveCount(1);
  await app.launch('app-search').fill('helper');
  await expect(app.launch('app-option')).toHaveCount(0);
  await app.launch('app-search').fill('test synth');
  const synth = app.launch('app-option').filter({ hasText: 'Conductor Test Synth' });
  await expect(synth).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath('launch-app-picker.png') });
  await synth.click();
  await expect(app.launch('app-picker')).toHaveCount(0);
  await expect(app.launch('app')).toHaveValue('/opt/test-synth/bin/synth');

  const saved = await saveAndRead(app, configFile, /Launch/);
  expect(saved).toContain('app = "/opt/test-synth/bin/synth"');
  expect(saved).toMatch(/args = \[\s*"--preset",\s*"Warm Pad"\s*\]/);
  expect(pageErrors).toEqual([]);
});

test('Mode colour: a swatch sets color, the tab shows its dot, and config.toml gets color = "…"', async ({ launchApp, writeConfig }, testInfo) => {
  const configFile = writeConfig(EMPTY_CONFIG);
  const { page, pageErrors } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  await app.open('mappings');
  await expect(app.modeColour('value')).toHaveText('none');
  await app.modeColour('toggle').click();
  await app.modeColour('purple').click();
  await expect(app.modeColour('purple')).toHaveCount(0); // a swatch closes the choice
  await expect(app.modeColour('value')).toHaveText('purple');
  await app.modeColour('toggle').click();
  await expect(app.modeColour('purple')).toHaveAttribute('aria-pressed', 'true');
  await page.screenshot({ path: testInfo.outputPath('mode-colour.png') });
  await page.keyboard.press('Escape');
  await expect(app.modeColour('purple')).toHaveCount(0);
  await expect(page.getByTestId('mode-tab-m0').getByTestId('mode-colour-dot')).toBeVisible();

  let saved = await saveAndRead(app, configFile, /color = "purple"/);
  expect(saved).toMatch(/name = "Default"\ncolor = "purple"/);

  // A custom colour, then none again.
  await app.modeColour('toggle').click();
  await app.modeColour('custom').fill('#12ab34');
  await expect(app.modeColour('value')).toHaveText('#12ab34');
  await page.mouse.click(5, 5); // a press elsewhere closes the choice
  await expect(app.modeColour('custom')).toHaveCount(0);
  await saveAndRead(app, configFile, /color = "#12ab34"/);
  await app.modeColour('toggle').click();
  await app.modeColour('none').click();
  await expect(page.getByTestId('mode-tab-m0').getByTestId('mode-colour-dot')).toHaveCount(0);
  saved = await saveAndRead(app, configFile, /name = "Default"\n(?!color)/);
  expect(saved).not.toContain('color =');
  expect(pageErrors).toEqual([]);
});
