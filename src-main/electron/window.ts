// The one app window: sandboxed renderer, context isolation, no Node, the typed preload, our UI from conductor://.
// Electron-only glue. Never turns a webPreferences safety switch off.
import { BrowserWindow, dialog } from 'electron';
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
  // The renderer refuses to unload while the draft config has unsaved edits (a `beforeunload` handler). Electron shows
  // no prompt of its own for that: ask here, and let the close or reload go on only when the user says so.
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'question',
      buttons: ['Keep editing', 'Leave without saving'],
      defaultId: 0,
      cancelId: 0,
      title: 'Unsaved changes',
      message: 'Your mapping changes are not saved.',
      detail: 'Leave without saving them? Choose "Keep editing" to go back and Save.',
    });
    if (choice === 1) event.preventDefault();
  });
  void win.loadURL(APP_ENTRY_URL);
  return win;
}
