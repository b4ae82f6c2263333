// The contract over an in-process pair of message ports: a ConductorApi client and a server side driving the real
// handlers and event bridge, every message structured-cloned like Electron IPC. For tests; never opens a socket.
import { InvalidRequestError, type CallHandlers, type CallName, type ConductorApi, type EventName, type EventPayloads } from '../../src-shared/contract';
import { dispatch } from '../services/dispatch';
import type { EmitEvent } from '../services/events';

/** One end of an in-memory channel: what it posts arrives (cloned, asynchronously) at the other end. */
export interface MemoryPort {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): () => void;
  /** Closes both ends: nothing is delivered any more. */
  close(): void;
}

/** Two connected ports. A message is structuredClone'd when posted (so a non-cloneable one throws at the sender). */
export function createMemoryPortPair(): [MemoryPort, MemoryPort] {
  const listeners: [Set<(m: unknown) => void>, Set<(m: unknown) => void>] = [new Set(), new Set()];
  let closed = false;
  const port = (self: 0 | 1): MemoryPort => ({
    postMessage(message) {
      if (closed) return;
      const copy = structuredClone(message);
      queueMicrotask(() => {
        if (closed) return;
        for (const l of [...listeners[self === 0 ? 1 : 0]]) l(structuredClone(copy));
      });
    },
    onMessage(listener) {
      listeners[self].add(listener);
      return () => listeners[self].delete(listener);
    },
    close() {
      closed = true;
      listeners[0].clear();
      listeners[1].clear();
    },
  });
  return [port(0), port(1)];
}

type Envelope =
  | { kind: 'call'; id: number; name: unknown; args: unknown }
  | { kind: 'reply'; id: number; ok: true; reply: unknown }
  | { kind: 'reply'; id: number; ok: false; error: string; errorName: string }
  | { kind: 'event'; event: EventName; payload: unknown };

function isEnvelope(message: unknown): message is Envelope {
  return message !== null && typeof message === 'object' && typeof (message as { kind?: unknown }).kind === 'string';
}

/**
 * The main side on `port`: every call goes through `dispatch` (the contract's check, then the handler); every event
 * `subscribe` emits is posted. Returns the function that stops serving (and unsubscribes).
 */
export function serveOnPort(port: MemoryPort, handlers: CallHandlers, subscribe?: (emit: EmitEvent) => () => void): () => void {
  const stopListening = port.onMessage((message) => {
    if (!isEnvelope(message) || message.kind !== 'call') return;
    const { id } = message;
    dispatch(handlers, message.name, message.args).then(
      (reply) => port.postMessage({ kind: 'reply', id, ok: true, reply } satisfies Envelope),
      (error: unknown) =>
        port.postMessage({
          kind: 'reply',
          id,
          ok: false,
          error: error instanceof Error ? error.message : String(error),
          errorName: error instanceof Error ? error.name : 'Error',
        } satisfies Envelope),
    );
  });
  const unsubscribe = subscribe?.((event, payload) => port.postMessage({ kind: 'event', event, payload } satisfies Envelope)) ?? (() => undefined);
  return () => {
    stopListening();
    unsubscribe();
  };
}

export interface MemoryClient extends ConductorApi {
  /** Stops the client: pending calls reject, listeners are dropped. */
  close(): void;
}

/** The renderer side on `port`: a ConductorApi. Errors come back by name (InvalidRequestError stays one). */
export function createMemoryClient(port: MemoryPort): MemoryClient {
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let closed = false;

  const stop = port.onMessage((message) => {
    if (!isEnvelope(message)) return;
    if (message.kind === 'event') {
      for (const l of [...(listeners.get(message.event) ?? [])]) {
        try {
          l(message.payload);
        } catch {
          // a listener's failure is its own
        }
      }
      return;
    }
    if (message.kind !== 'reply') return;
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.ok) waiting.resolve(message.reply);
    else {
      if (message.errorName === 'InvalidRequestError') waiting.reject(new InvalidRequestError(message.error));
      else {
        const error = new Error(message.error);
        error.name = message.errorName;
        waiting.reject(error);
      }
    }
  });

  return {
    call<N extends CallName>(name: N, ...args: unknown[]) {
      if (closed) return Promise.reject(new Error(`the client is closed (${name})`));
      const id = nextId++;
      return new Promise<unknown>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        try {
          port.postMessage({ kind: 'call', id, name, args } satisfies Envelope);
        } catch (error) {
          pending.delete(id);
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }) as Promise<never>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => void set.delete(wrapped);
    },
    close() {
      closed = true;
      stop();
      listeners.clear();
      for (const waiting of pending.values()) waiting.reject(new Error('the client is closed'));
      pending.clear();
    },
  };
}

/** A client connected to `handlers` (and the events `subscribe` emits) in this process; close() ends both sides. */
export function connectInMemory(handlers: CallHandlers, subscribe?: (emit: EmitEvent) => () => void): MemoryClient {
  const [clientPort, serverPort] = createMemoryPortPair();
  const stopServing = serveOnPort(serverPort, handlers, subscribe);
  const client = createMemoryClient(clientPort);
  return {
    call: client.call,
    on: client.on,
    close() {
      client.close();
      stopServing();
      clientPort.close();
    },
  };
}
