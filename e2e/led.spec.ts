// LED feedback on screen (issue #15 item 4), against the real core in browser mode: a SendMidi note-on to the virtual
// controller lights the target pad (data-lit = the velocity, a background unlike an unlit pad's), a SendMidi note-off
// turns it off, and a plugin's conductor.midi_send (the caps fixture, in a real sandbox) lights a pad too; the lights
// survive a reload (loaded with the device list) and show on the Mappings view's controller. Screenshots to the output dir. Changes nothing outside its temp dirs.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { ConductorApp } from './conductor-app';
import { PROJECT_ROOT, expect, test } from './fixtures';

const CAPS = join(PROJECT_ROOT, 'plugins', 'fixtures', 'c', 'caps.wasm');
/** The virtual controller's output port (VIRTUAL_DEVICE_NAME): where SendMidi lights its pads. */
const VIRTUAL = 'Virtual Controller';

/** Pad 36 lights pad 37 (velocity 5: red in the palette), pad 38 turns it off, pad 40 runs caps' `midi` on pad 44. */
function config(capsPath: string): string {
  return `[[modes]]
name = "Default"

[[modes.mappings]]
description = "Light pad 37"
trigger = { Note = { note = 36 } }
action = { SendMidi = { port = "${VIRTUAL}", message_type = "NoteOn", channel = 0, note = 37, velocity = 5 } }

[[modes.mappings]]
description = "Pad 37 off"
trigger = { Note = { note = 38 } }
action = { SendMidi = { port = "${VIRTUAL}", message_type = "NoteOff", channel = 0, note = 37, velocity = 0 } }

[[modes.mappings]]
description = "A plugin lights pad 44"
trigger = { Note = { note = 40 } }
action = { WasmPlugin = { path = ${JSON.stringify(capsPath)}, params = { action = "midi", note = 44, velocity = 21 } } }
`;
}

test.skip(({ shell }) => shell !== 'browser', 'browser project only');

const background = (locator: Locator): Promise<string> => locator.evaluate((el) => getComputedStyle(el).backgroundColor);

/** Waits until the pad's computed background is no longer `unlit` (a colour transition may run) and returns it. */
async function litBackground(pad: Locator, unlit: string): Promise<string> {
  await expect.poll(() => background(pad)).not.toBe(unlit);
  return background(pad);
}

async function screenshotPads(page: Page, path: string): Promise<void> {
  await page.getByRole('group', { name: 'Pads' }).screenshot({ path, animations: 'disabled' });
}

/** The Mappings view showing the controller (not the list of cards). */
async function openControllerPane(app: ConductorApp): Promise<void> {
  await app.open('mappings');
  await app.page.getByTestId('mappings-pane-controller').click();
  await expect(app.page.getByTestId('mappings-pane-controller')).toHaveAttribute('aria-pressed', 'true');
  await expect(app.page.getByTestId('controller-pane').getByTestId('controller')).toBeVisible();
}

test('SendMidi and a plugin’s midi_send to the virtual controller light its pads on screen; a note-off turns them off', async ({ launchApp, writeConfig, dirs }, testInfo) => {
  const capsPath = join(dirs.plugins, 'caps.wasm');
  copyFileSync(CAPS, capsPath);
  writeConfig(config(capsPath));
  const { page, pageErrors } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();

  // caps asks for filesystem and subprocess besides midi: deny both (midi, low risk, is granted by itself).
  await app.open('plugins');
  await app.openApprovalDialog('caps');
  await page.getByTestId('deny-filesystem').click();
  await expect(app.approvalCap('filesystem')).toHaveAttribute('data-status', 'denied');
  await page.getByTestId('deny-subprocess').click();
  await expect(app.approvalCap('subprocess')).toHaveAttribute('data-status', 'denied');
  await page.getByTestId('approval-close').click();
  await expect(app.pluginRow('caps').getByTestId('plugin-state')).toHaveText('Ready');

  await app.open('devices');
  const target = app.pad(37);
  const reference = app.pad(39); // never lit
  await expect(target).toBeVisible();
  await expect(target).not.toHaveAttribute('data-lit');
  const unlit = await background(reference);
  expect(await background(target)).toBe(unlit);

  // SendMidi NoteOn → pad 37 lights with velocity 5.
  await app.pressPad(36);
  await expect(target).toHaveAttribute('data-lit', '5');
  await expect(target).toHaveClass(/\bis-lit\b/);
  await expect(target).toHaveAccessibleName(/lit \(velocity 5\)/);
  const red = await litBackground(target, unlit);
  expect(red).not.toBe(unlit);
  await expect(reference).not.toHaveAttribute('data-lit');
  expect(await background(reference)).toBe(unlit);
  await screenshotPads(page, testInfo.outputPath('led-sendmidi-on.png'));

  // A reload loads the lights with the device list (nothing is resent).
  await page.reload();
  await app.ready();
  await expect(app.pad(37)).toHaveAttribute('data-lit', '5');

  // A plugin's midi_send (caps: note-on 44, velocity 21) lights pad 44, in another colour.
  await app.pressPad(40);
  await expect(app.pad(44)).toHaveAttribute('data-lit', '21', { timeout: 20_000 });
  const green = await litBackground(app.pad(44), unlit);
  expect(green).not.toBe(red);
  await screenshotPads(page, testInfo.outputPath('led-both-lit.png'));

  // The Mappings view's on-screen controller (the virtual controller's layout) shows the same lights.
  const onScreen = (note: number): Locator => page.getByTestId('controller-pane').getByTestId('controller').getByTestId(`control-pad-${note}`);
  await openControllerPane(app);
  await expect(onScreen(37)).toHaveAttribute('data-lit', '5');
  await expect(onScreen(44)).toHaveAttribute('data-lit', '21');
  await expect(onScreen(39)).not.toHaveAttribute('data-lit');
  await page.getByTestId('controller-pane').screenshot({ path: testInfo.outputPath('led-mappings-controller.png'), animations: 'disabled' });

  // SendMidi NoteOff → pad 37 goes dark again; the plugin's light stays.
  await app.open('devices');
  await app.pressPad(38);
  await expect(target).not.toHaveAttribute('data-lit');
  await expect(target).not.toHaveClass(/\bis-lit\b/);
  await expect.poll(() => background(target)).toBe(unlit);
  await expect(app.pad(44)).toHaveAttribute('data-lit', '21');
  await screenshotPads(page, testInfo.outputPath('led-after-note-off.png'));
  await page.screenshot({ path: testInfo.outputPath('led-devices.png'), fullPage: true });
  await openControllerPane(app);
  await expect(onScreen(37)).toBeVisible();
  await expect(onScreen(37)).not.toHaveAttribute('data-lit');
  await expect(onScreen(44)).toHaveAttribute('data-lit', '21');

  expect(pageErrors).toEqual([]);
});
