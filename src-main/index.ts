// The Electron bootstrap (the app's only entry under Electron): one instance, hardened session and window, the
// core with plugin sandboxes in utility processes, IPC bound, clean shutdown. Wiring only — never business logic.
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, session, shell, type BrowserWindow } from 'electron';
import { Core } from './app/core';
import { configDir, shippedResourcePath } from './common/paths';
import { registerAppScheme, serveRenderer } from './electron/app-protocol';
import { unpackedPath } from './electron/app-origin';
import { bindIpc, type IpcBinding } from './electron/ipc-main';
import { showPluginNotifications } from './electron/notifications';
import { hardenAllWebContents, hardenSession } from './electron/security';
import { utilitySpawner } from './electron/utility-sandbox';
import { createMainWindow } from './electron/window';
import { errorMessage } from '../src-shared/errors';
import { setupServices } from './services';
import type { PluginHostOptions } from './plugins/host/create-plugin';
import { keychainSealer } from './electron/secret-sealer';
import { createTray } from './electron/tray';
import { applyStartAtLogin, HIDDEN_ARG } from './app/autostart';
import { backgroundSettings, DEFAULT_BACKGROUND, type BackgroundSettings } from '../src-shared/ui-state';

/** dist/ — this bundle's folder, holding preload.cjs, renderer/ and sandbox.js (in a packaged app: inside app.asar). */
const distDir = dirname(fileURLToPath(import.meta.url));
const STOP_DEADLINE_MS = 5_000;

// Chromium's own files (caches, local storage) live under Conductor's config dir, never in a shared default
// place; the single-instance lock is per user-data dir, so test runs with their own CONDUCTOR_CONFIG_DIR are isolated.
app.setPath('userData', join(configDir(), 'electron'));
app.enableSandbox();
registerAppScheme();
hardenAllWebContents();

if (!app.requestSingleInstanceLock()) {
  // Another Conductor owns the devices and the config: it focuses its window (below) and this one leaves.
  app.exit(0);
} else {
  let core: Core | null = null;
  let window: BrowserWindow | null = null;
  let ipc: IpcBinding | null = null;
  const disposers: Array<() => void> = [];
  // Settings → Background (ui_state.json): closing the window hides it while keepRunningOnClose; `quitting` lets it close.
  let background: BackgroundSettings = DEFAULT_BACKGROUND;
  let quitting = false;
  // Started at login (the autostart entry / login item): the tray only, no window.
  const startHidden = process.argv.includes(HIDDEN_ARG) || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);

  const showWindow = (): void => {
    if (!window || window.isDestroyed()) {
      window = createMainWindow({
        preload: join(distDir, 'preload.cjs'),
        icon: join(distDir, '..', 'resources', 'icons', 'icon.png'),
        devTools: !app.isPackaged,
      });
      window.on('close', (event) => {
        if (quitting || !background.keepRunningOnClose) return;
        event.preventDefault();
        window?.hide();
      });
      window.on('closed', () => (window = null));
      return;
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  app.on('second-instance', () => {
    if (app.isReady()) showWindow();
  });

  const start = async (): Promise<void> => {
    hardenSession(session.defaultSession);
    serveRenderer(session.defaultSession, join(distDir, 'renderer'));

    const pluginHost: Pick<PluginHostOptions, 'spawner' | 'sandboxEntry'> = {
      spawner: utilitySpawner,
      // asarUnpack'ed: the sandbox runs from app.asar.unpacked in a packaged app.
      sandboxEntry: unpackedPath(join(distDir, 'sandbox.js')),
    };
    // safeStorage works only once the app is ready; without a keychain, secrets go to a 0600 file (the UI says so).
    const sealer = keychainSealer();
    core = await Core.start({ pluginHost, bundledPluginsDir: shippedResourcePath('plugins'), loadPluginsInBackground: true, ...(sealer ? { secretSealer: sealer } : {}) });

    const startAtLogin = (enabled: boolean): void => {
      void applyStartAtLogin(enabled, {
        platform: process.platform,
        loginItems: app,
        place: { env: process.env, home: homedir() },
        argv: app.isPackaged ? [process.env.APPIMAGE ?? process.execPath] : [process.execPath, app.getAppPath()],
        icon: app.isPackaged ? null : join(distDir, '..', 'resources', 'icons', 'png', '256x256.png'),
      }).catch((error: unknown) => console.error('conductor: could not change start at login', error));
    };
    const services = setupServices(core, {
      shell: 'electron',
      openExternal: (url) => shell.openExternal(url),
      onDidSetUiState: (state) => {
        const next = backgroundSettings(state);
        if (next.startAtLogin !== background.startAtLogin) startAtLogin(next.startAtLogin);
        background = next;
      },
    });
    disposers.push(() => services.dispose());
    background = backgroundSettings(await services.handlers['app.uiState']());
    if (background.startAtLogin) startAtLogin(true); // keeps the entry's command current after the app moved
    ipc = bindIpc(services, () => window);
    disposers.push(showPluginNotifications(core));
    try {
      disposers.push(
        createTray(core, {
          iconPath: join(distDir, '..', 'resources', 'icons', 'png', process.platform === 'darwin' ? '16x16.png' : '32x32.png'),
          showWindow,
          openPath: (path) => void shell.openPath(path),
          quit: () => app.quit(),
          showError: (message) => dialog.showErrorBox('Conductor', message),
        }),
      );
    } catch (error) {
      // No tray on this desktop: the app runs as before; starting it again shows the window (single instance).
      console.error('conductor: no tray icon', error);
    }
    if (!startHidden) showWindow();
  };

  // Stop the core first (running actions, devices, plugin sandboxes, config watcher), then exit — within a deadline.
  let stopping: Promise<void> | null = null;
  const shutdown = (exitCode: number): Promise<void> =>
    (stopping ??= Promise.race([
      (async () => {
        await started.catch(() => {}); // a quit during start-up stops the core once it is up
        for (const dispose of disposers.splice(0).reverse()) dispose();
        ipc?.dispose();
        await core?.stop().catch((error: unknown) => console.error('conductor: stopping the core failed', error));
      })(),
      new Promise<void>((resolve) => setTimeout(resolve, STOP_DEADLINE_MS).unref()),
    ]).finally(() => app.exit(exitCode)));

  const started = app.whenReady().then(start);
  started.catch((error: unknown) => {
    console.error(`Conductor could not start: ${error instanceof Error ? (error.stack ?? error.message) : errorMessage(error)}`);
    dialog.showErrorBox('Conductor could not start', errorMessage(error));
    void shutdown(1);
  });

  // macOS keeps apps running without windows; elsewhere closing the window quits (and stops the core) — unless
  // "Keep running when the window is closed" is on, when closing only hides it (above) and Quit is in the tray.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (core) showWindow();
  });
  app.on('before-quit', (event) => {
    quitting = true;
    event.preventDefault();
    void shutdown(0);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());
}
