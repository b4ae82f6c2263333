// LED schemes on screen (issue #17 item 5), against the real core in browser mode: with `[led_settings] scheme =
// "reactive"` the mode's pads rest in the mode colour (dim blue, palette 47), a hard press held on a pad lights it red
// (5) while held and it fades back after; `static` in another mode lights that mode's pads. Changes nothing outside its temp dirs.
import type { Locator } from '@playwright/test';
import { ConductorApp } from './conductor-app';
import { expect, test } from './fixtures';

const CONFIG = `[device]
led_feedback = true

[led_settings]
scheme = "reactive"

[[modes]]
name = "Default"
color = "blue"
led_idle_brightness = 96

[[modes.mappings]]
description = "Pad 36"
trigger = { Note = { note = 36 } }
action = { Delay = { ms = 1 } }

[[modes.mappings]]
description = "To Stage"
trigger = { Note = { note = 37 } }
action = { ModeChange = { mode = "Stage" } }

[[modes]]
name = "Stage"
color = "#00FF00"
led_scheme = "static"
led_idle_brightness = 255

[[modes.mappings]]
description = "Pad 41"
trigger = { Note = { note = 41 } }
action = { Delay = { ms = 1 } }
`;

test.skip(({ shell }) => shell !== 'browser', 'browser project only');

const background = (locator: Locator): Promise<string> => locator.evaluate((el) => getComputedStyle(el).backgroundColor);

test('reactive: the mode’s pads rest in its colour, a held hard press lights red and fades back; a static mode lights its own pads', async ({ launchApp, writeConfig }, testInfo) => {
  writeConfig(CONFIG);
  const { page, pageErrors } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  await app.open('devices');

  const pad = app.pad(36);
  await expect(pad).toHaveAttribute('data-lit', '47');
  await expect(app.pad(37)).toHaveAttribute('data-lit', '47');
  await expect(app.pad(39)).not.toHaveAttribute('data-lit');
  await expect.poll(() => background(pad)).not.toBe(await background(app.pad(39)));
  const resting = await background(pad);

  // Alt = a hard press (velocity 120): red while held.
  await pad.hover();
  await page.keyboard.down('Alt');
  await page.mouse.down();
  await expect(pad).toHaveAttribute('data-lit', '5');
  await expect(pad).toHaveAccessibleName(/lit \(velocity 5\)/);
  await expect.poll(() => background(pad)).not.toBe(resting);
  await page.getByRole('group', { name: 'Pads' }).screenshot({ path: testInfo.outputPath('led-reactive-held.png'), animations: 'disabled' });
  await page.mouse.up();
  await page.keyboard.up('Alt');

  // Released: back to the mode colour after the fade (about a second).
  await expect(pad).toHaveAttribute('data-lit', '47', { timeout: 10_000 });

  // Pad 37 switches to Stage (static, green at full brightness): its pad 41 lights green (25), Default's go dark.
  await app.pressPad(37);
  await expect(app.pad(41)).toHaveAttribute('data-lit', '25', { timeout: 10_000 });
  await expect(pad).not.toHaveAttribute('data-lit');
  await page.getByRole('group', { name: 'Pads' }).screenshot({ path: testInfo.outputPath('led-static-stage.png'), animations: 'disabled' });

  expect(pageErrors).toEqual([]);
});
