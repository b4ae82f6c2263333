// `window.conductor`: the contract's verbs (`plugins.install(path)`, `plugins.onDidChange(listener)`) over the
// preload's raw IPC, checked against the contract's names. Never hands out the transport, a generic call or IPC events.
import { buildApi } from '../src-shared/api';
import { EmitterMap } from '../src-shared/emitter';
import { CALL_NAMES, EVENT_NAMES, type CallName, type EventName } from '../src-shared/contract-names';
import type { CallReplies, ConductorApi, InstallFromDisk } from '../src-shared/contract';
import type { IpcReply } from '../src-shared/ipc-wire';

/** What the preload gives this module: the two raw IPC operations, closed over in index.ts. */
export interface PreloadTransport {
  invoke(name: CallName, args: unknown[]): Promise<IpcReply>;
  /** The path on disk of a DOM File (Electron's webUtils.getPathForFile); '' or a throw when it has none. */
  pathForFile?(file: unknown): string;
  /** Subscribes to every event the main process sends (name, payload); called once. */
  listen(handler: (name: unknown, payload: unknown) => void): void;
}

const callNames: ReadonlySet<string> = new Set(CALL_NAMES);
const eventNames: ReadonlySet<string> = new Set(EVENT_NAMES);

/** An error of the main process, rebuilt on this side with its name and message (nothing else crosses). */
function rebuildError(error: { name?: unknown; message?: unknown }): Error {
  const rebuilt = new Error(typeof error.message === 'string' ? error.message : 'the call failed');
  if (typeof error.name === 'string' && error.name) rebuilt.name = error.name;
  return rebuilt;
}

export function createConductorApi(transport: PreloadTransport): ConductorApi {
  // One broken listener must not starve the others (Emitter isolates each).
  const listeners = new EmitterMap<EventName>({ onListenerError: (error) => console.error('conductor: an event listener threw', error) });
  let listening = false;

  const deliver = (name: unknown, payload: unknown): void => {
    if (typeof name === 'string' && eventNames.has(name)) listeners.fire(name as EventName, payload);
  };

  const call = async (name: CallName, args: unknown[]): Promise<unknown> => {
    // The verbs only ever pass contract names; checked again so nothing else can reach the IPC channel.
    if (typeof name !== 'string' || !callNames.has(name)) throw new TypeError(`conductor: unknown call ${JSON.stringify(String(name))}`);
    const reply = await transport.invoke(name, args);
    if (reply && typeof reply === 'object' && reply.ok === true) return reply.value;
    throw rebuildError(reply && typeof reply === 'object' && !reply.ok ? reply.error : {});
  };

  const subscribe = (event: EventName, listener: (payload: unknown) => void): (() => void) => {
    if (!listening) {
      listening = true;
      transport.listen(deliver);
    }
    return listeners.on(event, listener);
  };

  let installFromDisk: InstallFromDisk | undefined;
  if (transport.pathForFile) {
    const pathForFile = transport.pathForFile;
    installFromDisk = async (file, options) => {
      let path: string;
      try {
        path = pathForFile(file);
      } catch {
        return null; // not a File object
      }
      if (!path || !/\.wasm$/i.test(path)) return null;
      return (await call('plugins.install', [path, { update: options.update === true }])) as CallReplies['plugins.install'];
    };
  }
  return buildApi({ call, subscribe }, installFromDisk ? { installFromDisk } : {});
}
