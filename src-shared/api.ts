// Builds the verb API (ConductorApi) over any transport that can send a call by name and subscribe to an event by
// name: the preload, the browser-mode client and the in-memory test transport all use it. Never exposes the transport.
import { CALL_NAMES, EVENT_NAMES, type CallName, type EventName } from './contract-names';
import type { ConductorApi, InstallFromDisk } from './contract';

/** What the API needs from a transport; it stays in the API's closure. */
export interface ApiTransport {
  /** Sends one call; resolves with its reply. */
  call(name: CallName, args: unknown[]): Promise<unknown>;
  /** Subscribes to one event stream; returns the function that unsubscribes. */
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

export interface ApiExtras {
  /** The desktop's `api.plugins.installFromDisk` (only the Electron preload has file paths). */
  installFromDisk?: InstallFromDisk;
}

/** `['plugins', 'install']` of `plugins.install`: every contract name is `namespace.verb`. */
function split(name: CallName | EventName): [string, string] {
  const dot = name.indexOf('.');
  return [name.slice(0, dot), name.slice(dot + 1)];
}

/**
 * The API object: `api.<namespace>.<verb>(...args)` for every call of CALL_NAMES, `api.<namespace>.onDidX(listener)`
 * for every event `<namespace>.didX` of EVENT_NAMES. Frozen, so no verb can be added or replaced; a name that is not
 * in the contract is simply not there (calling it throws a TypeError before anything is sent).
 */
export function buildApi(transport: ApiTransport, extras: ApiExtras = {}): ConductorApi {
  const tree = new Map<string, Record<string, unknown>>();
  const namespace = (name: string): Record<string, unknown> => {
    let ns = tree.get(name);
    if (!ns) tree.set(name, (ns = {}));
    return ns;
  };
  for (const name of CALL_NAMES) {
    const [ns, verb] = split(name);
    namespace(ns)[verb] = (...args: unknown[]): Promise<unknown> => transport.call(name, args);
  }
  for (const event of EVENT_NAMES) {
    const [ns, verb] = split(event);
    namespace(ns)[`on${verb.charAt(0).toUpperCase()}${verb.slice(1)}`] = (listener: unknown): (() => void) => {
      if (typeof listener !== 'function') throw new TypeError(`${event}: the listener must be a function`);
      return transport.subscribe(event, listener as (payload: unknown) => void);
    };
  }
  if (extras.installFromDisk) namespace('plugins').installFromDisk = extras.installFromDisk;
  const api: Record<string, unknown> = {};
  for (const [name, verbs] of tree) api[name] = Object.freeze(verbs);
  return Object.freeze(api) as ConductorApi;
}
