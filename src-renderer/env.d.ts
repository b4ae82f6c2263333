// What the Electron preload exposes to this page (contextBridge): the contract's verbs (ConductorApi) and nothing else.
// Absent in browser mode, where ipc/client.ts builds the same verbs over a WebSocket.
import type { ConductorApi } from '../src-shared/contract';

declare global {
  interface Window {
    conductor?: ConductorApi;
  }
}

export {};
