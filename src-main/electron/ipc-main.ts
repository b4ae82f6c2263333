// The ONLY module that touches ipcMain: binds the contract's one call channel (sender-checked, dispatched to the
// services, which validate) and sends the services' events to the window. Never handles a call itself.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { isTrustedSenderUrl } from './app-origin';
import { createCallGuard } from './ipc-guard';
import { CALL_CHANNEL, EVENT_CHANNEL, type IpcReply } from '../../src-shared/ipc-wire';
import type { ServiceEndpoint } from '../services/setup';

export interface IpcBinding {
  /** Removes the call handler and stops forwarding events. */
  dispose(): void;
}

/**
 * Binds `conductor:call` to the services' dispatch for frames of our renderer only, and forwards every event of the
 * services to the window `getWindow()` returns at the time of each event (the window may be re-created on macOS;
 * dropped when it is gone or shows anything but our UI).
 */
export function bindIpc(services: ServiceEndpoint, getWindow: () => BrowserWindow | null): IpcBinding {
  const guard = createCallGuard({ dispatch: services.dispatch });
  ipcMain.handle(CALL_CHANNEL, (event: IpcMainInvokeEvent, name: unknown, args: unknown): Promise<IpcReply> => {
    // senderFrame is null when the frame navigated away or was destroyed: the guard refuses a null URL.
    const frameUrl = event.senderFrame?.url ?? null;
    return guard(frameUrl, name, args);
  });
  const unsubscribe = services.onDidEmitEvent(({ event, payload }) => {
    const win = getWindow();
    if (!win || win.isDestroyed()) return;
    const contents = win.webContents;
    if (contents.isDestroyed() || !isTrustedSenderUrl(contents.getURL())) return;
    contents.send(EVENT_CHANNEL, event, payload);
  });
  return {
    dispose() {
      unsubscribe();
      ipcMain.removeHandler(CALL_CHANNEL);
    },
  };
}
