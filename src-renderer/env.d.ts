// What the Electron preload exposes to this page (contextBridge): the typed API and nothing else.
// Absent in browser mode, where ipc/client.ts speaks the same contract over a WebSocket.
import type { ConductorApi } from '../src-shared/contract';

declare global {
  interface Window {
    conductor?: ConductorApi;
  }
}

export {};
