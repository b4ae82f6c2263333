// The one app window: sandboxed renderer, context isolation, no Node, the typed preload, our UI from conductor://.
// Electron-only glue. Never turns a webPreferences safety switch off.
import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from './app-origin';

export interface MainWindowOptions {
  /** Absolute path of the bundled preload (dist/preload.cjs). */
  preload: string;
  /** Window icon (Linux/Windows); macOS uses the bundle's. */
  icon?: string;
  /** DevTools (default: only when not packaged). */
  devTools: boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Conductor',
    width: 1280,
    height: 820,
    minWidth: 860,
    minHeight: 560,
    show: false,
    autoHideMenuBar: true,
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: options.devTools,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}
