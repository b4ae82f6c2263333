// The sandbox's one link to its parent, hiding Electron's utilityProcess parentPort vs Node's fork IPC, and, for a
// plugin in a shared sandbox process, the worker thread's port to that process's main thread.
// The only place the sandbox touches its transport; it must never expose anything but typed messages.
import type { ParentPort } from 'electron';
import { parentPort as workerParentPort } from 'node:worker_threads';
import type { FromSandbox, FromSharedSandbox, ToSandbox, ToSharedSandbox } from '../common/protocol';

export interface Port<Out, In> {
  send(message: Out): void;
  onMessage(handler: (message: In) => void): void;
  /** Called when the parent goes away (Node fork only; Electron kills utility processes with their parent). */
  onParentGone(handler: () => void): void;
}

/** What one plugin's sandbox sees: the host's requests in, replies and host events out. */
export type SandboxPort = Port<FromSandbox, ToSandbox>;
/** What a shared sandbox process's main thread sees: requests for its plugins (with their slots) in. */
export type SharedSandboxPort = Port<FromSharedSandbox, ToSharedSandbox>;

function connect<Out, In>(): Port<Out, In> {
  const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (handler) => parentPort.on('message', (event) => handler(event.data as In)),
      onParentGone: () => {},
    };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('sandbox started without an IPC channel to its parent');
  return {
    send: (message) => {
      send(message);
    },
    onMessage: (handler) => process.on('message', (message) => handler(message as In)),
    onParentGone: (handler) => process.on('disconnect', handler),
  };
}

/** A sandbox process hosting one plugin. */
export function connectToParent(): SandboxPort {
  return connect<FromSandbox, ToSandbox>();
}

/** A shared sandbox process's main thread. */
export function connectToSharedSandboxParent(): SharedSandboxPort {
  return connect<FromSharedSandbox, ToSharedSandbox>();
}

/** A plugin's worker thread inside a shared sandbox process: its port to that process's main thread. */
export function connectToSharedSandbox(): SandboxPort {
  const port = workerParentPort;
  if (!port) throw new Error('not a worker thread of a shared sandbox process');
  return {
    send: (message) => port.postMessage(message),
    onMessage: (handler) => port.on('message', (message: ToSandbox) => handler(message)),
    // The worker ends with its process.
    onParentGone: () => {},
  };
}
