// The contract over in-process message ports, structured-cloned like Electron IPC: the verb API (as the preload
// builds it) on one end, setupServices' endpoint on the other. For tests; never opens a socket.
import { buildApi } from '../../src-shared/api';
import { errorMessage } from '../../src-shared/errors';
import { InvalidRequestError, type CallName, type ConductorApi, type ContractEvent } from '../../src-shared/contract';
import { Emitter } from '../../src-shared/emitter';
import type { ServiceEndpoint } from '../services/setup';

/** One end of an in-memory channel: what it posts arrives (cloned, asynchronously) at the other end. */
export interface MemoryPort {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): () => void;
  /** Closes both ends: nothing is delivered any more. */
  close(): void;
}

/** Two connected ports. A message is structuredClone'd when posted (so a non-cloneable one throws at the sender). */
export function createMemoryPortPair(): [MemoryPort, MemoryPort] {
  const inboxes: [Emitter<unknown>, Emitter<unknown>] = [new Emitter(), new Emitter()];
  let closed = false;
  const port = (self: 0 | 1): MemoryPort => ({
    postMessage(message) {
      if (closed) return;
      const copy = structuredClone(message);
      queueMicrotask(() => {
        if (!closed) inboxes[self === 0 ? 1 : 0].fire(structuredClone(copy));
      });
    },
    onMessage: inboxes[self].event,
    close() {
      closed = true;
      inboxes[0].dispose();
      inboxes[1].dispose();
    },
  });
  return [port(0), port(1)];
}

type Envelope =
  | { kind: 'call'; id: number; name: unknown; args: unknown }
  | { kind: 'reply'; id: number; ok: true; reply: unknown }
  | { kind: 'reply'; id: number; ok: false; error: string; errorName: string }
  | ({ kind: 'event' } & ContractEvent);

function isEnvelope(message: unknown): message is Envelope {
  return message !== null && typeof message === 'object' && typeof (message as { kind?: unknown }).kind === 'string';
}

/**
 * The main side on `port`: every call goes through the endpoint's `dispatch` (the contract's check, then the
 * handler); every event it emits is posted. Returns the function that stops serving (and unsubscribes).
 */
export function serveOnPort(port: MemoryPort, endpoint: ServiceEndpoint): () => void {
  const stopListening = port.onMessage((message) => {
    if (!isEnvelope(message) || message.kind !== 'call') return;
    const { id } = message;
    endpoint.dispatch(message.name, message.args).then(
      (reply) => port.postMessage({ kind: 'reply', id, ok: true, reply } satisfies Envelope),
      (error: unknown) =>
        port.postMessage({ kind: 'reply', id, ok: false, error: errorMessage(error), errorName: error instanceof Error ? error.name : 'Error' } satisfies Envelope),
    );
  });
  const unsubscribe = endpoint.onDidEmitEvent((e) => port.postMessage({ kind: 'event', ...e } satisfies Envelope));
  return () => {
    stopListening();
    unsubscribe();
  };
}

export interface MemoryClient {
  /** The verb API, as the renderer gets it. */
  readonly api: ConductorApi;
  /** Stops the client: pending calls reject, listeners are dropped. */
  close(): void;
}

/** The renderer side on `port`. Errors come back by name (InvalidRequestError stays one). */
export function createMemoryClient(port: MemoryPort): MemoryClient {
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const events = new Emitter<ContractEvent>();
  let nextId = 1;
  let closed = false;

  const stop = port.onMessage((message) => {
    if (!isEnvelope(message)) return;
    if (message.kind === 'event') {
      events.fire(message);
      return;
    }
    if (message.kind !== 'reply') return;
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.ok) waiting.resolve(message.reply);
    else if (message.errorName === 'InvalidRequestError') waiting.reject(new InvalidRequestError(message.error));
    else {
      const error = new Error(message.error);
      error.name = message.errorName;
      waiting.reject(error);
    }
  });

  const call = (name: CallName, args: unknown[]): Promise<unknown> => {
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
    });
  };

  return {
    api: buildApi({
      call,
      subscribe: (event, listener) =>
        events.event((e) => {
          if (e.event === event) listener(e.payload);
        }),
    }),
    close() {
      closed = true;
      stop();
      events.dispose();
      for (const waiting of pending.values()) waiting.reject(new Error('the client is closed'));
      pending.clear();
    },
  };
}

/** A client connected to `endpoint` (setupServices' dispatch and events) in this process; close() ends both sides. */
export function connectInMemory(endpoint: ServiceEndpoint): MemoryClient {
  const [clientPort, serverPort] = createMemoryPortPair();
  const stopServing = serveOnPort(serverPort, endpoint);
  const client = createMemoryClient(clientPort);
  return {
    api: client.api,
    close() {
      client.close();
      stopServing();
      clientPort.close();
    },
  };
}
