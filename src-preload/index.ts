// The preload, the ONLY module that touches ipcRenderer: exposes `window.conductor`, the contract's verbs (api.ts).
// Never exposes ipcRenderer, an IPC event object, a generic send/invoke, or a file's path.
// Runs in a sandboxed renderer: bundled into one CommonJS file (dist/preload.cjs) with only `electron` external.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { CALL_CHANNEL, EVENT_CHANNEL, type IpcReply } from '../src-shared/ipc-wire';
import { createConductorApi } from './api';

const api = createConductorApi({
  invoke: (name, args) => ipcRenderer.invoke(CALL_CHANNEL, name, args) as Promise<IpcReply>,
  listen: (handler) => {
    // The IpcRendererEvent (which carries `sender`, i.e. ipcRenderer) stops here.
    ipcRenderer.on(EVENT_CHANNEL, (_event, name: unknown, payload: unknown) => handler(name, payload));
  },
  // Dropped/picked files install from disk (their .sig and plugin.toml beside them); the path never reaches the page.
  pathForFile: (file) => webUtils.getPathForFile(file as File),
});

contextBridge.exposeInMainWorld('conductor', api);
