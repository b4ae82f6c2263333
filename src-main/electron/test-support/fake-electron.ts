// A stand-in for the `electron` module, bundled in place of it by bootstrap.integration.test.ts so src-main/index.ts runs under
// plain Node (no Electron binary here). Records what the bootstrap does, drives one scripted session through its
// IPC handler and protocol handler, then quits and reports. Test support only — never part of a build.
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';

type Listener = (...args: unknown[]) => unknown;
type IpcHandler = (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => Promise<unknown>;

const report: Record<string, unknown> = { events: [] as string[] };
const log = (what: string): void => void (report.events as string[]).push(what);

let ready = false;
let resolveReady: () => void = () => {};
const whenReadyPromise = new Promise<void>((resolve) => (resolveReady = resolve));
const appEvents = new EventEmitter();

export const app = {
  isPackaged: false,
  setPath: (name: string, path: string) => log(`app.setPath ${name} ${path}`),
  getPath: (name: string) => `/fake/${name}`,
  enableSandbox: () => log('app.enableSandbox'),
  requestSingleInstanceLock: () => (log('app.requestSingleInstanceLock'), true),
  on: (event: string, listener: Listener) => (appEvents.on(event, listener), app),
  once: (event: string, listener: Listener) => (appEvents.once(event, listener), app),
  isReady: () => ready,
  getAppPath: () => '/fake/app',
  getLoginItemSettings: () => ({ openAtLogin: false, wasOpenedAtLogin: false }),
  setLoginItemSettings: (settings: { openAtLogin: boolean }) => log(`app.setLoginItemSettings ${settings.openAtLogin}`),
  whenReady: () => whenReadyPromise,
  quit: () => {
    log('app.quit');
    let prevented = false;
    appEvents.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) app.exit(0);
  },
  exit: (code = 0) => {
    log(`app.exit ${code}`);
    process.stdout.write(`FAKE_ELECTRON_REPORT ${JSON.stringify(report)}\n`);
    process.exit(code);
  },
};

export const protocol = {
  registerSchemesAsPrivileged: (schemes: Array<{ scheme: string; privileges: Record<string, boolean> }>) => {
    report.schemes = schemes;
  },
};

const protocolHandlers = new Map<string, (request: Request) => Promise<Response> | Response>();
const sessionEvents = new EventEmitter();
export const session = {
  defaultSession: {
    on: (event: string, listener: Listener) => sessionEvents.on(event, listener),
    setPermissionRequestHandler: (handler: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void) => {
      handler(null, 'media', (granted) => (report.permissionRequestGranted = granted));
    },
    setPermissionCheckHandler: (handler: (...args: unknown[]) => boolean) => {
      report.permissionCheckGranted = handler(null, 'clipboard-read', 'conductor://app', {});
    },
    setDevicePermissionHandler: (handler: (...args: unknown[]) => boolean) => {
      report.devicePermissionGranted = handler({});
    },
    webRequest: {
      onHeadersReceived: (handler: (details: unknown, callback: (r: { responseHeaders: Record<string, string[]> }) => void) => void) => {
        handler({ responseHeaders: { 'content-security-policy': ['default-src *'], 'x-other': ['1'] } }, (r) => (report.httpHeaders = r.responseHeaders));
      },
    },
    protocol: {
      handle: (scheme: string, handler: (request: Request) => Promise<Response> | Response) => protocolHandlers.set(scheme, handler),
    },
  },
};

const ipcHandlers = new Map<string, IpcHandler>();
export const ipcMain = {
  handle: (channel: string, handler: IpcHandler) => ipcHandlers.set(channel, handler),
  removeHandler: (channel: string) => (log(`ipcMain.removeHandler ${channel}`), ipcHandlers.delete(channel)),
};

const sent: unknown[] = [];
const windows: BrowserWindow[] = [];

export class BrowserWindow extends EventEmitter {
  url = '';
  readonly webContents = Object.assign(new EventEmitter(), {
    getURL: () => this.url,
    isDestroyed: () => false,
    send: (...args: unknown[]) => sent.push(args),
  });
  constructor(readonly options: { webPreferences: Record<string, unknown> }) {
    super();
    report.webPreferences = { ...options.webPreferences, preload: String(options.webPreferences.preload).replace(/^.*[\\/]/, '') };
    windows.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.url = url;
    report.loadedUrl = url;
    setImmediate(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  isDestroyed = (): boolean => false;
  isMinimized = (): boolean => false;
  restore(): void {}
  show(): void {}
  focus(): void {}
  hide(): void {
    log('window.hide');
  }
}

/** A menu as the bootstrap built it: its template items (with their click functions). */
interface FakeMenuItem {
  id?: string;
  label?: string;
  type?: string;
  enabled?: boolean;
  checked?: boolean;
  click?: () => void;
  submenu?: FakeMenuItem[];
}
export const Menu = { buildFromTemplate: (items: FakeMenuItem[]) => ({ items }) };
export const nativeImage = { createFromPath: (path: string) => ({ path }) };
const trays: Tray[] = [];
export class Tray extends EventEmitter {
  tooltip = '';
  menu: { items: FakeMenuItem[] } | null = null;
  private destroyed = false;
  constructor(readonly image: { path: string }) {
    super();
    log(`new Tray ${image.path.replace(/^.*[\\/]resources[\\/]/, 'resources/')}`);
    trays.push(this);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: { items: FakeMenuItem[] }): void {
    this.menu = menu;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
    log('tray.destroy');
  }
}

/** The scripted answers of the next message boxes (button index), first first; 0 when none is left. */
const messageBoxAnswers: number[] = [];
export const dialog = {
  showErrorBox: (title: string, content: string) => log(`dialog.showErrorBox ${title}: ${content}`),
  showMessageBoxSync: (_win: unknown, options: { message: string; buttons: string[] }) => {
    const answer = messageBoxAnswers.shift() ?? 0;
    log(`dialog.showMessageBoxSync ${options.message} [${options.buttons.join(' | ')}] → ${options.buttons[answer] ?? answer}`);
    return answer;
  },
};
export const shell = { openExternal: async (url: string) => log(`shell.openExternal ${url}`), openPath: async (path: string) => (log(`shell.openPath ${path}`), '') };
/** As on a Linux desktop without a keyring: no encryption, so the app keeps plugin secrets in its 0600 file. */
export const safeStorage = {
  isEncryptionAvailable: () => false,
  encryptString: (text: string): Buffer => Buffer.from(text),
  decryptString: (data: Buffer): string => data.toString(),
};
export class Notification {
  static isSupported(): boolean {
    return false;
  }
  show(): void {}
}

/** utilityProcess.fork over child_process.fork (the same message protocol as Electron's). */
export const utilityProcess = {
  fork: (modulePath: string, args: string[], options: { env?: NodeJS.ProcessEnv }) => {
    log('utilityProcess.fork');
    const child = fork(modulePath, args, { env: options.env ?? {}, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    return Object.assign(child, { postMessage: (message: unknown) => child.connected && child.send(message as never) });
  },
};

/** The scripted session: once the window exists, call through the real IPC handler and protocol, then quit. */
async function drive(): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (windows.length === 0 || !ipcHandlers.has('conductor:call')) {
    if (Date.now() > deadline) throw new Error('the bootstrap never created its window and IPC handler');
    await new Promise((r) => setTimeout(r, 20));
  }
  const call = ipcHandlers.get('conductor:call') as IpcHandler;
  const trusted = { senderFrame: { url: 'conductor://app/index.html' } };
  report.appInfo = await call(trusted, 'app.info', []);
  report.badArgs = await call(trusted, 'virtual.press', [300, 1]);
  report.untrusted = await call({ senderFrame: { url: 'https://evil.example/' } }, 'app.info', []).then(
    () => 'dispatched',
    (e: Error) => `${e.name}: ${e.message}`,
  );
  report.destroyedFrame = await call({ senderFrame: null }, 'app.info', []).then(
    () => 'dispatched',
    (e: Error) => e.name,
  );
  report.press = await call(trusted, 'virtual.press', [36, 100]);
  await new Promise((r) => setTimeout(r, 200)); // events of the press reach the window
  report.sentEvents = [...new Set(sent.map((s) => `${(s as unknown[])[0]} ${(s as unknown[])[1]}`))];

  // The page refuses to unload (unsaved edits): the window asks; "Keep editing" keeps it, "Leave" lets it go.
  const win = windows[0] as BrowserWindow;
  const unload = (): boolean => {
    let allowed = false;
    win.webContents.emit('will-prevent-unload', { preventDefault: () => (allowed = true) });
    return allowed;
  };
  messageBoxAnswers.push(0, 1);
  report.unloadPrompt = { keepEditing: unload(), leave: unload() };

  const handler = protocolHandlers.get('conductor');
  if (handler) {
    const index = await handler(new Request('conductor://app/index.html'));
    const escape = await handler(new Request('conductor://app/..%2f..%2fpackage.json'));
    report.protocol = {
      indexStatus: index.status,
      indexCsp: index.headers.get('content-security-policy'),
      escapeStatus: escape.status,
      post: (await handler(new Request('conductor://app/index.html', { method: 'POST', body: 'x' }))).status,
    };
  }

  // The tray: a menu built from the core's state; its Pause item pauses through the core; closing the window hides it
  // (keep running when closed is on by default) and the app keeps running until it quits.
  const tray = trays[0];
  const menuItem = (id: string): FakeMenuItem | undefined => tray?.menu?.items.find((i) => i.id === id);
  while (menuItem('pause') === undefined) {
    if (Date.now() > deadline) throw new Error('the tray never got its menu');
    await new Promise((r) => setTimeout(r, 20));
  }
  report.tray = { tooltip: tray?.tooltip, labels: tray?.menu?.items.map((i) => i.label ?? i.type) };
  menuItem('pause')?.click?.();
  report.pausedByTray = await call(trusted, 'app.paused', []);
  while (menuItem('pause')?.label !== 'Resume mappings') {
    if (Date.now() > deadline) throw new Error('the tray menu never showed Resume');
    await new Promise((r) => setTimeout(r, 20));
  }
  menuItem('open-config-folder')?.click?.();
  let closePrevented = false;
  win.emit('close', { preventDefault: () => (closePrevented = true) });
  report.closePrevented = closePrevented;
  app.quit();
}

setImmediate(() => {
  ready = true;
  resolveReady();
  drive().catch((error: unknown) => {
    report.driveError = String(error);
    app.exit(3);
  });
});

export default { app, protocol, session, ipcMain, BrowserWindow, dialog, shell, safeStorage, Notification, utilityProcess, Tray, Menu, nativeImage };
