// The ONLY module that touches ipcMain: binds the contract's one call channel (sender-checked, dispatched to the
// services, which validate) and sends the contract's events to the window. Never handles a call itself.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { isTrustedSenderUrl } from './app-origin';
import { createCallGuard, type Dispatch } from './ipc-guard';
import { CALL_CHANNEL, EVENT_CHANNEL, type IpcReply } from '../../src-shared/ipc-wire';

export interface IpcBinding {
  /** Sends one contract event to the window (dropped when the window is gone or shows anything but our UI). */
  emit(name: string, payload: unknown): void;
  /** Removes the call handler. */
  dispose(): void;
}

/**
 * Binds `conductor:call` to `dispatch` for frames of our renderer only, and returns the event emitter for the
 * window `getWindow()` returns at the time of each event (the window may be re-created on macOS).
 */
export function bindIpc(dispatch: Dispatch, getWindow: () => BrowserWindow | null): IpcBinding {
  const guard = createCallGuard({ dispatch });
  ipcMain.handle(CALL_CHANNEL, (event: IpcMainInvokeEvent, name: unknown, args: unknown): Promise<IpcReply> => {
    // senderFrame is null when the frame navigated away or was destroyed: the guard refuses a null URL.
    const frameUrl = event.senderFrame?.url ?? null;
    return guard(frameUrl, name, args);
  });
  return {
    emit(name, payload) {
      const win = getWindow();
      if (!win || win.isDestroyed()) return;
      const contents = win.webContents;
      if (contents.isDestroyed() || !isTrustedSenderUrl(contents.getURL())) return;
      contents.send(EVENT_CHANNEL, name, payload);
    },
    dispose() {
      ipcMain.removeHandler(CALL_CHANNEL);
    },
  };
}
