// The Electron bootstrap (the app's only entry under Electron): one instance, hardened session and window, the
// core with plugin sandboxes in utility processes, IPC bound, clean shutdown. Wiring only — never business logic.
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

  const showWindow = (): void => {
    if (!window || window.isDestroyed()) {
      window = createMainWindow({
        preload: join(distDir, 'preload.cjs'),
        icon: join(distDir, '..', 'resources', 'icons', 'icon.png'),
        devTools: !app.isPackaged,
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

    const services = setupServices(core, { shell: 'electron', openExternal: (url) => shell.openExternal(url) });
    disposers.push(() => services.dispose());
    ipc = bindIpc(services, () => window);
    disposers.push(showPluginNotifications(core));
    showWindow();
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

  // macOS keeps apps running without windows; elsewhere closing the window quits (and stops the core).
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (core) showWindow();
  });
  app.on('before-quit', (event) => {
    event.preventDefault();
    void shutdown(0);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());
}
