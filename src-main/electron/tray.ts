// The tray / menu-bar icon: draws the menu src-main/app/tray-menu.ts builds from the core's state, redraws it when that
// state changes, and hands clicks to runTrayCommand. Electron-only glue — never decides what the menu holds.
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { Core } from '../app/core';
import { buildTrayMenu, runTrayCommand, watchTrayState, type TrayMenuItem, type TrayTarget } from '../app/tray-menu';

export interface TrayOptions extends TrayTarget {
  /** A PNG of the app icon (resources/icons/png/…): 16 px on macOS's menu bar, 32 px elsewhere. */
  iconPath: string;
  /** Shows a command's failure (a mode that went away meanwhile). */
  showError(message: string): void;
}

/**
 * What e2e/tray.spec.ts reads in the Electron main process (Electron has no way to list a tray's menu): the menu and
 * tooltip last drawn. Published on `globalThis.conductorTrayForTests` only when NODE_ENV is "test" (the e2e fixtures
 * set it); a packaged app never has it.
 */
export interface TrayTestView {
  menu(): Menu | null;
  tooltip(): string;
}

/** Creates the tray icon; returns the function that removes it. */
export function createTray(core: Core, options: TrayOptions): () => void {
  const tray = new Tray(nativeImage.createFromPath(options.iconPath));
  let drawn: { menu: Menu; tooltip: string } | null = null;
  if (process.env.NODE_ENV === 'test') {
    const view: TrayTestView = { menu: () => drawn?.menu ?? null, tooltip: () => drawn?.tooltip ?? '' };
    (globalThis as { conductorTrayForTests?: TrayTestView }).conductorTrayForTests = view;
  }
  const click = (item: TrayMenuItem): (() => void) | undefined => {
    if (item.type === 'separator' || item.type === 'submenu' || item.command === null) return undefined;
    const command = item.command;
    return () => {
      const error = runTrayCommand(command, core, options);
      if (error !== null) options.showError(error);
    };
  };
  const toElectron = (item: TrayMenuItem): MenuItemConstructorOptions => {
    switch (item.type) {
      case 'separator':
        return { id: item.id, type: 'separator' };
      case 'submenu':
        return { id: item.id, label: item.label, enabled: item.enabled, submenu: item.items.map(toElectron) };
      case 'radio':
        return { id: item.id, type: 'radio', label: item.label, enabled: item.enabled, checked: item.checked, click: click(item) };
      case 'normal': {
        const onClick = click(item);
        return { id: item.id, label: item.label, enabled: item.enabled, ...(onClick ? { click: onClick } : {}) };
      }
    }
  };
  const stopWatching = watchTrayState(core, (state) => {
    if (tray.isDestroyed()) return;
    const menu = buildTrayMenu(state);
    drawn = { menu: Menu.buildFromTemplate(menu.items.map(toElectron)), tooltip: menu.tooltip };
    tray.setToolTip(drawn.tooltip);
    tray.setContextMenu(drawn.menu);
  });
  // A left click opens the window on Windows and Linux desktops that report clicks (macOS opens the menu itself).
  tray.on('click', () => options.showWindow());
  return () => {
    stopWatching();
    if (!tray.isDestroyed()) tray.destroy();
  };
}
