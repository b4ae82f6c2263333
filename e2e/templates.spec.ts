// "Start from a template" against the real core (browser mode): the Devices view's chooser lists the shipped templates,
// picking one asks first, Cancel changes nothing, Replace puts the template's modes in the draft (Mappings view), Undo
// brings the old ones back, and Save writes the template's device and mappings to config.toml keeping the signature policy.
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { ConductorApp } from './conductor-app';

test.skip(({ shell }) => shell !== 'browser', 'browser project only');

const CONFIG = `[wasm]
require_signature = true
allow_self_signed = false

[[modes]]
name = "Mine"

[[modes.mappings]]
description = "my pad"
trigger = { type = "Note", note = 36 }
action = { type = "Delay", ms = 1 }
`;

test('choose a template, confirm, undo, apply again and save', async ({ launchApp, writeConfig }, testInfo) => {
  const configFile = writeConfig(CONFIG);
  const { page, pageErrors } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  await app.open('devices');

  await page.getByTestId('templates-open').click();
  const chooser = page.getByTestId('template-chooser');
  await expect(chooser).toBeVisible();
  await expect(chooser.getByTestId('template-item')).toHaveCount(12);
  await expect(chooser.getByRole('region', { name: 'Game controllers' }).getByTestId('template-item')).toHaveCount(6);

  // Picking asks first; Cancel leaves everything as it was.
  await chooser.getByTestId('template-use-nanokontrol2').click();
  await expect(page.getByTestId('template-confirm')).toContainText('Replace your mappings with the Korg nanoKONTROL2 template?');
  await expect(page.getByTestId('template-confirm')).toContainText('Your 1 mode and 1 mapping are replaced');
  await page.screenshot({ path: testInfo.outputPath('template-confirm.png') });
  await page.getByTestId('template-cancel').click();
  await expect(page.getByTestId('template-confirm')).toHaveCount(0);

  await chooser.getByTestId('template-use-nanokontrol2').click();
  await page.getByTestId('template-apply').click();
  await expect(chooser).toHaveCount(0);
  await expect(page.getByTestId('mode-tab-m0')).toContainText('Transport');
  await expect(page.getByTestId('mode-tab-m1')).toContainText('Shortcuts');
  await expect(page.getByTestId('toasts')).toContainText('Korg nanoKONTROL2: the template is in your mappings now');

  // Undo brings the old mappings back; nothing was written meanwhile.
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('mode-tab-m0')).toContainText('Mine');
  expect(readFileSync(configFile, 'utf8')).toBe(CONFIG);

  await app.open('devices');
  await page.getByTestId('templates-open').click();
  await page.getByTestId('template-use-nanokontrol2').click();
  await page.getByTestId('template-apply').click();
  await expect(page.getByTestId('mode-tab-m0')).toContainText('Transport');
  await expect(app.saveButton).toBeEnabled();
  await app.saveButton.click();
  await expect.poll(() => readFileSync(configFile, 'utf8'), { timeout: 15_000 }).toMatch(/name = "nanoKONTROL2"/);
  const saved = readFileSync(configFile, 'utf8');
  expect(saved).toMatch(/require_signature = true/);
  expect(saved).toMatch(/name = "Transport"/);
  expect(saved).not.toMatch(/name = "Mine"/);
  expect(pageErrors).toEqual([]);
});
