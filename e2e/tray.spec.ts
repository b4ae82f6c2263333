// The tray / menu-bar icon in the real Electron app: its menu is drawn from the core's state (the current mode, the
// modes to switch to, pause), a click on an item acts on the core, and the menu follows. Electron project only (the
// browser project has no tray); the menu model itself is unit-tested in src-main/app/tray-menu.test.ts.
import type { ElectronApplication } from '@playwright/test';
import { ConductorApp } from './conductor-app';
import { expect, test } from './fixtures';

test.skip(({ shell }) => shell !== 'electron', 'Electron project only: browser mode has no tray');

const CONFIG = `[[modes]]
name = "Default"

[[modes.mappings]]
trigger = { Note = { note = 36 } }
action = { Delay = { ms = 1 } }

[[modes]]
name = "Editing"

[[modes.mappings]]
trigger = { Note = { note = 37 } }
action = { Delay = { ms = 1 } }
`;

interface ShownItem {
  id: string;
  label: string;
  enabled: boolean;
  checked: boolean;
  submenu: ShownItem[];
}

/** The tray's menu as last drawn (src-main/electron/tray.ts publishes it when NODE_ENV is "test"). */
function trayMenu(electron: ElectronApplication): Promise<ShownItem[] | null> {
  return electron.evaluate(() => {
    interface ItemLike {
      id: string;
      label: string;
      enabled: boolean;
      checked: boolean;
      submenu?: { items: ItemLike[] };
    }
    const view = (globalThis as { conductorTrayForTests?: { menu(): { items: ItemLike[] } | null } }).conductorTrayForTests;
    const shown = (item: ItemLike): ShownItem => ({ id: item.id, label: item.label, enabled: item.enabled, checked: item.checked, submenu: (item.submenu?.items ?? []).map(shown) });
    const menu = view?.menu() ?? null;
    return menu === null ? null : menu.items.map(shown);
  });
}

/** Clicks the tray menu item `id` (in a submenu too) as Electron does for a user's click. */
async function clickTrayItem(electron: ElectronApplication, id: string): Promise<void> {
  const clicked = await electron.evaluate((_electron, itemId) => {
    const view = (globalThis as { conductorTrayForTests?: { menu(): { getMenuItemById(id: string): { click(): void } | null } | null } }).conductorTrayForTests;
    const item = view?.menu()?.getMenuItemById(itemId) ?? null;
    if (item === null) return false;
    item.click();
    return true;
  }, id);
  expect(clicked, `tray item ${id}`).toBe(true);
}

function find(items: readonly ShownItem[] | null, id: string): ShownItem | undefined {
  for (const item of items ?? []) {
    if (item.id === id) return item;
    const inner = find(item.submenu, id);
    if (inner) return inner;
  }
  return undefined;
}

test('the tray menu shows the mode, switches it and pauses mappings', async ({ launchApp, writeConfig }) => {
  writeConfig(CONFIG);
  const { page, electron } = await launchApp();
  if (!electron) throw new Error('the Electron project launched no Electron app');
  const app = new ConductorApp(page);
  await app.ready();

  await expect.poll(async () => find(await trayMenu(electron), 'mode-header')?.label, { timeout: 15_000 }).toBe('Mode: Default');
  const menu = await trayMenu(electron);
  expect(find(menu, 'switch-mode')?.submenu.map((i) => [i.label, i.checked])).toEqual([
    ['Default', true],
    ['Editing', false],
  ]);
  expect(find(menu, 'pause')?.label).toBe('Pause mappings');
  expect(find(menu, 'quit')?.enabled).toBe(true);

  // A mode chosen in the tray is the app's current mode, and the menu follows.
  await clickTrayItem(electron, 'mode-1');
  await expect(page.getByTestId('status-mode')).toHaveText('Mode: Editing');
  await expect.poll(async () => find(await trayMenu(electron), 'mode-header')?.label).toBe('Mode: Editing');

  // Pause in the tray is the same pause as Settings → Background.
  await clickTrayItem(electron, 'pause');
  await expect.poll(async () => find(await trayMenu(electron), 'pause')?.label).toBe('Resume mappings');
  await app.open('settings');
  await expect(page.getByTestId('pause-mappings-status')).toHaveAttribute('data-paused', 'true');
  await clickTrayItem(electron, 'pause');
  await expect(page.getByTestId('pause-mappings-status')).not.toHaveAttribute('data-paused');
  await expect.poll(async () => find(await trayMenu(electron), 'pause')?.label).toBe('Pause mappings');
});
