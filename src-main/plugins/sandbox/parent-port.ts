// The sandbox's one link to its parent, hiding Electron's utilityProcess parentPort vs Node's fork IPC.
// The only place the sandbox touches its transport; it must never expose anything but typed messages.
import type { ParentPort } from 'electron';
import type { FromSandbox, ToSandbox } from '../common/protocol';

export interface SandboxPort {
  send(message: FromSandbox): void;
  onMessage(handler: (message: ToSandbox) => void): void;
  /** Called when the parent goes away (Node fork only; Electron kills utility processes with their parent). */
  onParentGone(handler: () => void): void;
}

export function connectToParent(): SandboxPort {
  const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (handler) => parentPort.on('message', (event) => handler(event.data as ToSandbox)),
      onParentGone: () => {},
    };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('sandbox started without an IPC channel to its parent');
  return {
    send: (message) => {
      send(message);
    },
    onMessage: (handler) => process.on('message', (message) => handler(message as ToSandbox)),
    onParentGone: (handler) => process.on('disconnect', handler),
  };
}
