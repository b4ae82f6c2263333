// LED feedback edited in the app (issue #17 item 5), against the real core in browser mode: Settings → LED feedback
// turned on and a mode's own scheme chosen under Lights are saved into a hand-written config.toml (its comment and an
// unknown key kept), the on-screen pad of a mapped note lights in the mode colour, and clearing the override removes
// `led_scheme` from the file. Changes nothing outside its temp dirs.
import { readFileSync } from 'node:fs';
import { ConductorApp } from './conductor-app';
import { expect, test } from './fixtures';

const CONFIG = `# My controller: hand-written, this comment stays.
[device]
vendor_hint = "kept"

[[modes]]
name = "Default"
color = "green"

[[modes.mappings]]
description = "Pad 36"
trigger = { Note = { note = 36 } }
action = { Delay = { ms = 1 } }
`;

test.skip(({ shell }) => shell !== 'browser', 'browser project only');

test('LED feedback on, a mode’s own scheme and brightness: saved to config.toml and lit on screen; clearing the override removes led_scheme', async ({ launchApp, writeConfig }, testInfo) => {
  const configFile = writeConfig(CONFIG);
  const { page, pageErrors } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();

  // Off at first: no lights on the virtual controller's pads.
  await app.open('devices');
  await expect(app.pad(36)).toBeVisible();
  await expect(app.pad(36)).not.toHaveAttribute('data-lit');

  // Settings → LED feedback: turn it on (not saved yet: one Save below writes the whole draft).
  await app.open('settings');
  const panel = page.getByTestId('settings-leds');
  await expect(panel.getByTestId('led-off-note')).toBeVisible();
  await panel.getByLabel('Light the pads (LED feedback)').check();
  await expect(panel.getByTestId('led-off-note')).toHaveCount(0);
  await expect(app.settingsBar('unsaved')).toHaveText('● Unsaved changes: LED feedback');
  // The advanced MIDI fields refuse what main would refuse, and keep the draft as it was.
  await panel.getByText('Advanced (MIDI)').click();
  const channel = panel.getByLabel('Channel');
  await channel.fill('16');
  await expect(panel.getByRole('alert')).toHaveText(/Must be 0–15/);
  await expect(channel).toHaveAttribute('aria-invalid', 'true');
  await panel.screenshot({ path: testInfo.outputPath('settings-led-panel.png') });
  await channel.fill('');
  await expect(panel.getByRole('alert')).toHaveCount(0);

  // Mappings → the mode's Lights: static, idle at full brightness.
  await app.open('mappings');
  await page.getByTestId('mode-tab-m0').click();
  const lights = page.getByTestId('mode-leds');
  await expect(lights.getByTestId('mode-leds-summary')).toHaveAttribute('data-source', 'settings');
  await lights.getByLabel('Scheme').selectOption('static');
  await lights.getByLabel('Idle brightness').fill('300');
  await expect(lights.getByRole('alert')).toHaveText(/Must be 0–255/);
  await lights.getByLabel('Idle brightness').fill('255');
  await expect(lights.getByRole('alert')).toHaveCount(0);
  const summary = lights.getByTestId('mode-leds-summary');
  await expect(summary).toHaveAttribute('data-source', 'mode');
  await expect(summary).toHaveAttribute('data-scheme', 'static');
  await expect(summary).toContainText('from this mode');
  await expect(summary).toContainText('rest in green at 255/255');
  await lights.screenshot({ path: testInfo.outputPath('mode-lights.png') });
  // Two changes: LED feedback (Settings) and this mode's lights.
  await expect(page.getByTestId('unsaved-indicator')).toHaveText(/Unsaved changes \(2\)/);

  await expect(app.saveButton).toBeEnabled();
  await app.saveButton.click();
  await expect.poll(() => readFileSync(configFile, 'utf8'), { timeout: 15_000 }).toContain('led_scheme = "static"');
  const saved = readFileSync(configFile, 'utf8');
  expect(saved).toContain('# My controller: hand-written, this comment stays.');
  expect(saved).toContain('vendor_hint = "kept"');
  expect(saved).toMatch(/\[device\][^[]*led_feedback = true/);
  expect(saved).toContain('led_idle_brightness = 255');
  expect(saved).not.toContain('[led_settings');

  // The running config lights pad 36 in the mode colour (green at full brightness = palette 25); pad 39 has no mapping.
  await app.open('devices');
  await expect(app.pad(36)).toHaveAttribute('data-lit', '25', { timeout: 15_000 });
  await expect(app.pad(39)).not.toHaveAttribute('data-lit');
  await page.getByRole('group', { name: 'Pads' }).screenshot({ path: testInfo.outputPath('led-settings-static.png'), animations: 'disabled' });

  // Clearing the override: "Use the device setting" removes led_scheme; the rest stays.
  await app.open('mappings');
  await page.getByTestId('mode-tab-m0').click();
  await lights.getByLabel('Scheme').selectOption({ label: 'Use the device setting (reactive)' });
  await expect(summary).toHaveAttribute('data-source', 'settings');
  await expect(summary).toContainText('from LED settings');
  await app.saveButton.click();
  await expect.poll(() => readFileSync(configFile, 'utf8'), { timeout: 15_000 }).not.toContain('led_scheme');
  const cleared = readFileSync(configFile, 'utf8');
  expect(cleared).toContain('led_idle_brightness = 255');
  expect(cleared).toContain('led_feedback = true');
  expect(cleared).toContain('# My controller: hand-written, this comment stays.');
  expect(cleared).toContain('vendor_hint = "kept"');

  // Settings → the velocity colours: soft presses in blue, and a long fade so the released pad is still blue when looked at.
  await app.open('settings');
  await panel.getByTestId('led-reactive-softColor').fill('#0000ff');
  await panel.getByLabel('Fade after release (ms)').fill('60000');
  await app.settingsBar('save-config').click();
  await expect.poll(() => readFileSync(configFile, 'utf8'), { timeout: 15_000 }).toContain('soft_color = { r = 0, g = 0, b = 255 }');
  expect(readFileSync(configFile, 'utf8')).toContain('fade_duration_ms = 60000');
  await app.open('devices');
  await app.pad(36).click({ modifiers: ['Shift'] }); // Shift = a soft press (velocity 30)
  await expect(app.pad(36)).toHaveAttribute('data-lit', '45', { timeout: 15_000 }); // palette blue
  expect(pageErrors).toEqual([]);
});
