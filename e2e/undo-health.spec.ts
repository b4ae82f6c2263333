// Edits that cannot be lost (issue #15 items 6 and 8) against the real core in browser mode: undo/redo of draft edits
// (buttons and Ctrl+Z / Ctrl+Shift+Z), Delete undoable, the unsaved-changes count by content, a prompt before a reload
// loses edits; the status bar's config health ("Config OK" / "N problems") linking each problem to its mapping's field.
import { readFileSync, writeFileSync } from 'node:fs';
import { ConductorApp } from './conductor-app';
import { expect, test } from './fixtures';

/** Three mappings in one mode: deleting the first must count as one change, not three. */
const THREE = `[device]
auto_connect = true

[[modes]]
name = "Default"

[[modes.mappings]]
description = "One"
trigger = { Note = { note = 36 } }
action = { Text = { text = "one" } }

[[modes.mappings]]
description = "Two"
trigger = { Note = { note = 37 } }
action = { Text = { text = "two" } }

[[modes.mappings]]
description = "Three"
trigger = { Note = { note = 38 } }
action = { Text = { text = "three" } }
`;

test.skip(({ shell }) => shell !== 'browser', 'browser project only');

test('undo and redo every edit, Delete included; the unsaved count follows; a reload with edits asks first', async ({ launchApp, writeConfig }) => {
  const configPath = writeConfig(THREE);
  const { page } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  await app.open('mappings');
  const unsaved = page.getByTestId('unsaved-indicator');
  const undo = page.getByTestId('undo');
  const redo = page.getByTestId('redo');
  await expect(app.mappingRows).toHaveCount(3);
  await expect(undo).toBeDisabled();

  // Delete the first mapping: one change (the others only moved up), undoable.
  await app.mappingRows.first().getByTestId('mapping-delete').click();
  await expect(app.mappingRows).toHaveCount(2);
  await expect(unsaved).toHaveText(/Unsaved changes \(1\)/);
  await undo.click();
  await expect(app.mappingRows).toHaveCount(3);
  await expect(app.mappingRows.first()).toContainText('One');
  await expect(unsaved).toHaveText('All changes saved');
  await redo.click();
  await expect(app.mappingRows).toHaveCount(2);
  await expect(unsaved).toHaveText(/Unsaved changes \(1\)/);

  // Typing a description is one step; the keyboard undoes it outside a text field, and redoes it with Shift.
  await app.mappingRows.first().getByTestId('mapping-edit').click();
  await app.mappingDescription.fill('Second, renamed');
  await expect(unsaved).toHaveText(/Unsaved changes \(2\)/);
  await page.getByTestId('mapping-done').click();
  await expect(app.mappingRows.first()).toContainText('Second, renamed');
  await page.keyboard.press('Control+Z');
  await expect(app.mappingRows.first()).toContainText('Two');
  await expect(unsaved).toHaveText(/Unsaved changes \(1\)/);
  await page.keyboard.press('Control+Shift+Z');
  await expect(app.mappingRows.first()).toContainText('Second, renamed');

  // A reload with unsaved edits asks first: "stay" keeps them; "leave" reloads the saved config.
  const dismissed = page.waitForEvent('dialog').then(async (d) => {
    expect(d.type()).toBe('beforeunload');
    await d.dismiss();
  });
  await page.evaluate(() => setTimeout(() => location.reload(), 0));
  await dismissed;
  await expect(app.mappingRows.first()).toContainText('Second, renamed');
  await expect(unsaved).toHaveText(/Unsaved changes \(2\)/);
  page.once('dialog', (d) => void d.accept());
  await page.reload();
  await app.ready();
  await app.open('mappings');
  await expect(app.mappingRows).toHaveCount(3);
  await expect(unsaved).toHaveText('All changes saved');
  // Nothing was written on the way.
  expect(readFileSync(configPath, 'utf8')).toBe(THREE);

  // Saved edits reload without a prompt.
  await app.mappingRows.nth(2).getByTestId('mapping-delete').click();
  await app.saveButton.click();
  await expect(unsaved).toHaveText('All changes saved');
  let asked = false;
  page.once('dialog', (d) => {
    asked = true;
    void d.accept();
  });
  await page.reload();
  await app.ready();
  expect(asked).toBe(false);
});

test('the status bar says Config OK, counts problems, and each links to its mapping and field', async ({ launchApp, writeConfig }) => {
  const configPath = writeConfig(THREE);
  const { page } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  const health = page.getByTestId('config-health');
  await expect(health).toHaveText('Config OK');

  // A broken hand edit: the app keeps running the last good config and the status bar says where the problem is.
  writeFileSync(configPath, THREE.replace('note = 37', 'note = 300'));
  await expect(health).toHaveText('1 problem');
  await health.click();
  const problem = page.getByTestId('config-problem');
  await expect(problem).toHaveCount(1);
  await expect(problem).toHaveAttribute('data-source', 'file');
  await expect(problem).toContainText('config.toml line');
  await expect(problem).toContainText('Mode Default, mapping 2 (Two)');
  await problem.getByTestId('config-problem-show').click();
  // Shown at its control: pad 37 selected on the drawn controller, its mapping's editor open.
  await expect(app.control('pad-37')).toHaveAttribute('data-selected', 'true');
  await expect(page.getByTestId('mapping-editor')).toHaveAttribute('data-mapping-key', 'm0:1');
  await expect(page.getByTestId('config-problems')).toHaveCount(0);

  // Fixed on disk: OK again.
  writeFileSync(configPath, THREE);
  await expect(health).toHaveText('Config OK');

  // A refused save points at the field: an empty Shell command, shown and focused from the status bar.
  await app.open('mappings');
  // (Its editor is still open from the link above.)
  const edit = app.mappingRows.nth(1).getByTestId('mapping-edit');
  if ((await edit.getAttribute('aria-expanded')) !== 'true') await edit.click();
  await app.actionType.selectOption('Shell');
  await page.getByTestId('mapping-done').click();
  await app.saveButton.click();
  await expect(health).toHaveText(/^[1-9]\d* problems?$/);
  await app.openController();
  await health.click();
  const refused = page.getByTestId('config-problem').filter({ hasText: 'last Save was refused' }).first();
  await expect(refused).toContainText('Mode Default, mapping 2');
  await refused.getByTestId('config-problem-show').click();
  const editor = page.getByTestId('mapping-editor');
  await expect(editor).toHaveAttribute('data-mapping-key', 'm0:1');
  await expect(editor.locator(':focus')).toHaveAttribute('aria-invalid', 'true');
});
