// The Mappings view as the controller + inspector (issue #15 items 2 and 3) against the real core in browser mode: a pad
// pressed on screen plays the virtual controller and is selected; add/edit/save/learn in the inspector; labels per mode;
// marks; the List view; the layout picker; 1024×700. Screenshots to the output dir. Changes nothing outside its temp dirs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ConductorApp } from './conductor-app';
import { expect, test } from './fixtures';

/** Two modes (the first tinted), a pad with a tap and a hold, a global mapping on the last pad. */
const CONFIG = `[device]
auto_connect = true

[[modes]]
name = "Default"
color = "#e4572e"

[[modes.mappings]]
description = "Tap"
trigger = { Note = { note = 37 } }
action = { Keystroke = { keys = "space" } }

[[modes.mappings]]
description = "Hold"
trigger = { LongPress = { note = 37 } }
action = { Text = { text = "held" } }

[[modes]]
name = "Second"

[[modes.mappings]]
description = "Back to Default"
trigger = { Note = { note = 36 } }
action = { ModeChange = { mode = "Default" } }

[[global_mappings]]
description = "Everywhere"
trigger = { Note = { note = 51 } }
action = { Text = { text = "g" } }
`;

test.skip(({ shell }) => shell !== 'browser', 'browser project only');

/** Presses and releases a control of the drawn controller with the mouse (a pointer press plays the virtual controller). */
async function pressOnScreen(app: ConductorApp, id: string): Promise<void> {
  await app.control(id).scrollIntoViewIfNeeded();
  const box = await app.control(id).boundingBox();
  if (!box) throw new Error(`control ${id} is not on screen`);
  await app.page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
  await app.page.mouse.down();
  await app.page.mouse.up();
}

async function noHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => {
    const doc = document.scrollingElement ?? document.documentElement;
    const main = document.getElementById('main');
    return { document: doc.scrollWidth - doc.clientWidth, main: main ? main.scrollWidth - main.clientWidth : 0 };
  });
  expect(overflow).toEqual({ document: 0, main: 0 });
}

test('press a pad on screen → selected → add a mapping on it → save → its label; learn in place; modes, marks, list, layouts, 1024×700', async ({ launchApp, writeConfig, dirs }, testInfo) => {
  writeConfig(CONFIG);
  const { page, url, pageErrors } = await launchApp();
  await page.setViewportSize({ width: 1280, height: 820 });
  const app = new ConductorApp(page);
  await app.ready();
  await app.openController();
  await expect(app.controller).toHaveAttribute('data-layout', 'virtual');
  await expect(app.inspector).toContainText('Click a control');

  // What the controls show in Default: labels, the tint, the several-triggers mark on pad 37, the global mark on 51.
  await expect(app.controlLabel('pad-37')).toHaveText('Tap');
  await expect(app.control('pad-37').getByTestId('control-marks')).toHaveAttribute('data-several', 'true');
  await expect(app.control('pad-37')).toHaveAttribute('aria-label', 'Pad 2, note 37: Tap (and 1 more)');
  await expect(app.controlLabel('pad-51')).toHaveText('Everywhere');
  await expect(app.control('pad-51').getByTestId('control-marks')).toHaveAttribute('data-global', 'true');
  await expect(app.controlLabel('pad-40')).toHaveCount(0);
  await expect(app.controller).toHaveClass(/is-tinted/);

  // A press on screen plays the virtual controller (the console sees it) and selects the pad; the inspector shows it.
  await pressOnScreen(app, 'pad-40');
  await expect(app.control('pad-40')).toHaveAttribute('data-selected', 'true');
  await expect(app.control('pad-40')).toHaveAttribute('aria-pressed', 'true');
  await expect(app.inspector).toHaveAttribute('data-control', 'pad-40');
  await expect(app.inspector).toContainText('Pad 5');
  await expect(app.inspector.getByTestId('inspector-empty')).toBeVisible();

  // Add mapping on Pad 5: the editor opens in the inspector with pad 40 as the trigger; make it type text; save.
  await expect(app.inspectorAdd).toHaveText('Add mapping on Pad 5');
  await app.inspectorAdd.click();
  await expect(app.inspector.getByTestId('mapping-editor')).toBeVisible();
  await expect(app.triggerNote).toHaveValue('40');
  await expect(app.controlLabel('pad-40')).toHaveText('Press space');
  await app.actionType.selectOption('Text');
  await page.getByTestId('text-text').fill('hello from pad 5');
  await expect(app.controlLabel('pad-40')).toHaveText('Type "hello from pad 5"');
  await page.screenshot({ path: testInfo.outputPath('controller-inspector-editing.png') });
  await app.saveButton.click();
  await expect(page.getByTestId('unsaved-indicator')).toHaveText('All changes saved');
  await expect.poll(() => readFileSync(join(dirs.config, 'config.toml'), 'utf8')).toContain('hello from pad 5');
  await expect(app.controlLabel('pad-40')).toHaveText('Type "hello from pad 5"');
  await expect(app.inspector.getByTestId('mapping-trigger-words')).toHaveText(/^Pad 5 · Note/);

  // Learn in place: Learn in the inspector's editor, press another pad on screen → the trigger is that pad, it is selected.
  await app.learnButton.click();
  await expect(app.learnActive).toBeVisible();
  await pressOnScreen(app, 'pad-42');
  await expect(app.learnResult).toContainText('note 42');
  await expect(app.control('pad-42')).toHaveAttribute('data-selected', 'true');
  await expect(app.triggerNote).toHaveValue('42');
  await expect(app.controlLabel('pad-42')).toHaveText('Type "hello from pad 5"');
  await expect(app.controlLabel('pad-40')).toHaveCount(0);
  await app.saveButton.click();
  await expect(page.getByTestId('unsaved-indicator')).toHaveText('All changes saved');
  await expect.poll(() => readFileSync(join(dirs.config, 'config.toml'), 'utf8')).toMatch(/note = 42/);

  // Pad 37 carries a tap and a hold: the inspector lists both.
  await pressOnScreen(app, 'pad-37');
  await expect(app.control('pad-37')).toHaveAttribute('data-selected', 'true');
  await expect(app.inspector.getByTestId('mapping-row')).toHaveCount(2);
  await page.screenshot({ path: testInfo.outputPath('controller-several-triggers.png') });

  // Follow the controller: a press that does not come from this window (another window plays the virtual controller,
  // as a hardware press would come in) selects its control; with Follow off it does not.
  const other = await page.context().newPage();
  await other.goto(url);
  const remote = new ConductorApp(other);
  await remote.ready();
  await remote.pressPad(38);
  await expect(app.control('pad-38')).toHaveAttribute('data-selected', 'true');
  const pane = page.getByTestId('controller-pane');
  await expect(pane).toHaveAttribute('data-last-pressed', 'pad-38');
  await app.followController.uncheck();
  await remote.pressPad(39);
  await expect(pane).toHaveAttribute('data-last-pressed', 'pad-39');
  await expect(app.control('pad-38')).toHaveAttribute('data-selected', 'true');
  await expect(app.control('pad-39')).not.toHaveAttribute('data-selected', 'true');
  await app.followController.check();
  await remote.pressPad(41);
  await expect(app.control('pad-41')).toHaveAttribute('data-selected', 'true');
  await other.close();

  // A knob of the on-screen virtual controller turns by dragging up: it is selected and its dial moves.
  const knob = app.control('knob-1');
  await knob.scrollIntoViewIfNeeded();
  const knobBox = await knob.boundingBox();
  if (!knobBox) throw new Error('knob-1 is not on screen');
  await page.mouse.move(knobBox.x + knobBox.width / 2, knobBox.y + knobBox.height / 2);
  await page.mouse.down();
  await page.mouse.move(knobBox.x + knobBox.width / 2, knobBox.y + knobBox.height / 2 - 40, { steps: 4 });
  await page.mouse.up();
  await expect(knob).toHaveAttribute('data-selected', 'true');
  await expect.poll(() => knob.evaluate((el) => Number((el as HTMLElement).style.getPropertyValue('--dial')))).toBeGreaterThan(0.2);
  await expect(page.getByTestId('controller-pane')).toHaveAttribute('data-last-pressed', 'knob-1');

  // Mode tabs switch what the controls show (the global mapping stays, marked).
  await page.getByTestId('mode-tab-m1').click();
  await expect(app.controlLabel('pad-36')).toHaveText('Back to Default');
  await expect(app.control('pad-36')).toHaveAttribute('aria-label', /Pad 1, note 36: Back to Default/);
  await expect(app.controlLabel('pad-37')).toHaveCount(0);
  await expect(app.controlLabel('pad-51')).toHaveText('Everywhere');
  await expect(app.controller).not.toHaveClass(/is-tinted/);
  await page.getByTestId('mode-tab-m0').click();
  await expect(app.controlLabel('pad-37')).toHaveText('Tap');

  // The list view still works: the card names its pad.
  await app.mappingsPane('list').click();
  await expect(page).toHaveURL(/#\/mappings\/list/);
  await expect(app.mappingRows.filter({ hasText: 'hello from pad 5' })).toContainText('Pad 7 · Note');
  await expect(app.addMappingButton).toBeVisible();
  await page.reload();
  await app.ready();
  await expect(app.mappingsPane('list')).toHaveAttribute('aria-pressed', 'true');
  await app.openController();
  await expect(page).toHaveURL(/#\/mappings(&|$)/);

  // The layout picker: APC mini drawn instead (its pads show what notes 0–63 do), then back to automatic.
  await app.layoutPicker.selectOption('apc-mini');
  await expect(app.controller).toHaveAttribute('data-layout', 'apc-mini');
  await expect(page.getByTestId('controller-pane').locator('[data-testid^="control-"]').first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('controller-apc-mini.png') });
  await app.layoutPicker.selectOption('');
  await expect(app.controller).toHaveAttribute('data-layout', 'virtual');

  // 1024×700: the inspector goes below the controller; nothing scrolls sideways.
  await pressOnScreen(app, 'pad-37');
  await page.setViewportSize({ width: 1024, height: 700 });
  await noHorizontalScroll(page);
  await page.screenshot({ path: testInfo.outputPath('controller-1024x700.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 820 });
  await noHorizontalScroll(page);
  await page.screenshot({ path: testInfo.outputPath('controller-1280x820.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: testInfo.outputPath('controller-1280x820-dark.png'), animations: 'disabled' });
  expect(pageErrors).toEqual([]);
});

test('learn a layout by pressing controls, arrange it (keys, drag), rename a control; it is kept across a reload', async ({ launchApp, writeConfig, dirs }, testInfo) => {
  writeConfig(CONFIG);
  const { page, pageErrors } = await launchApp();
  await page.setViewportSize({ width: 1280, height: 820 });
  const app = new ConductorApp(page);
  await app.ready();
  await app.openController();

  // A new layout for the virtual controller: its pads are shown to press; each new one becomes a control.
  await app.layoutPicker.selectOption({ label: 'Learn a new layout by pressing controls…' });
  await expect(page.getByTestId('learn-layout')).toBeVisible();
  await expect(page.getByTestId('controller-empty')).toBeVisible();
  await pressOnScreen(app, 'pad-36');
  await pressOnScreen(app, 'pad-37');
  await pressOnScreen(app, 'pad-36');
  await expect(app.control('note-36')).toBeVisible();
  await expect(app.control('note-37')).toBeVisible();
  await expect(page.getByTestId('learn-layout')).toContainText('2 so far');
  // Saved and chosen for the device a moment after the last press.
  await expect(app.layoutPicker).toHaveValue('custom:Virtual Controller');
  await expect.poll(() => existsSync(join(dirs.config, 'controller-layouts.json'))).toBe(true);
  // Pad 37 carries "Tap" in Default: the learned control shows it too.
  await expect(app.controlLabel('note-37')).toHaveText('Tap');
  await page.getByTestId('grow-layout-done').click();
  await expect(page.getByTestId('learn-layout')).toHaveCount(0);

  // Arrange: arrow keys move the selected control; dropping one control on another swaps them; rename in the inspector.
  await page.getByTestId('arrange-layout').click();
  const first = app.control('note-36');
  const second = app.control('note-37');
  const firstCell = await first.getAttribute('data-cell');
  const secondCell = await second.getAttribute('data-cell');
  await second.click();
  await expect(second).toHaveAttribute('data-selected', 'true');
  await second.press('ArrowDown');
  await expect(second).toHaveAttribute('data-cell', /^\d+,1$/);
  await second.press('ArrowUp');
  await expect(second).toHaveAttribute('data-cell', secondCell ?? '');
  await first.dragTo(second);
  await expect(first).toHaveAttribute('data-cell', secondCell ?? '');
  await expect(second).toHaveAttribute('data-cell', firstCell ?? '');
  await page.getByTestId('control-rename').fill('Big red');
  await page.getByTestId('control-rename').press('Enter');
  await expect(second).toContainText('Big red');
  await expect(app.inspector).toContainText('Big red');
  await page.screenshot({ path: testInfo.outputPath('controller-learned-arranging.png') });
  await page.getByTestId('arrange-layout').click();

  // Kept: after a reload the learned, arranged and renamed layout is drawn again, and the list names the control by it.
  await expect.poll(() => readFileSync(join(dirs.config, 'controller-layouts.json'), 'utf8')).toContain('Big red');
  await page.reload();
  await app.ready();
  await app.openController();
  await expect(app.controller).toHaveAttribute('data-layout', 'custom:Virtual Controller');
  await expect(app.control('note-37')).toContainText('Big red');
  await expect(app.control('note-36')).toHaveAttribute('data-cell', secondCell ?? '');
  await app.mappingsPane('list').click();
  await expect(app.mappingRows.filter({ hasText: 'Tap' })).toContainText('Big red · Note');
  await app.mappingsPane('controller').click();

  // Removed: the device goes back to its automatic layout.
  await page.getByTestId('remove-layout').click();
  await expect(app.controller).toHaveAttribute('data-layout', 'virtual');
  expect(pageErrors).toEqual([]);
});
