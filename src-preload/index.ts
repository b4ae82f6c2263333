// The preload: the ONLY module that touches ipcRenderer. Exposes `window.conductor` (ConductorApi: call + on)
// through contextBridge; never exposes ipcRenderer, an IPC event object or a generic send/invoke.
// Runs in a sandboxed renderer: bundled into one CommonJS file (dist/preload.cjs) with only `electron` external.
import { contextBridge, ipcRenderer } from 'electron';
import { CALL_CHANNEL, EVENT_CHANNEL, type IpcReply } from '../src-shared/ipc-wire';
import { createConductorApi } from './api';

const api = createConductorApi({
  invoke: (name, args) => ipcRenderer.invoke(CALL_CHANNEL, name, args) as Promise<IpcReply>,
  listen: (handler) => {
    // The IpcRendererEvent (which carries `sender`, i.e. ipcRenderer) stops here.
    ipcRenderer.on(EVENT_CHANNEL, (_event, name: unknown, payload: unknown) => handler(name, payload));
  },
});

contextBridge.exposeInMainWorld('conductor', api);
