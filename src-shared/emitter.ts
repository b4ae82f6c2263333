// A typed event source (VS Code's Emitter pattern): the owner keeps the Emitter and fires it; everyone else sees only
// `event`, an `onDidX(listener) → unsubscribe` function. Runtime-neutral (main, sandbox, preload, renderer alike);
// never lets one listener's exception reach the firer or the others.

/** Subscribes a listener; returns the function that unsubscribes it (idempotent). */
export type Event<T> = (listener: (value: T) => void) => () => void;

export interface EmitterOptions {
  /** Where a listener's exception goes (default: console.error). */
  onListenerError?: (err: unknown) => void;
}

export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();
  private disposed = false;

  constructor(private readonly options: EmitterOptions = {}) {}

  /** The subscribe side, safe to hand out. */
  readonly event: Event<T> = (listener) => {
    if (this.disposed) return () => {};
    // Wrap so the same function subscribed twice is two subscriptions, each removed by its own unsubscribe.
    const entry = (value: T) => listener(value);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  };

  /** Calls every current listener in subscription order; listeners added while firing wait for the next fire. */
  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (err) {
        if (this.options.onListenerError) this.options.onListenerError(err);
        else console.error('listener failed:', err);
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Drops every listener; later subscriptions are no-ops. */
  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}

/** One Emitter per event name, made on first use: for transports that fan named events out to their listeners. */
export class EmitterMap<K extends string, T = unknown> {
  private readonly emitters = new Map<K, Emitter<T>>();

  constructor(private readonly options: EmitterOptions = {}) {}

  private emitter(key: K): Emitter<T> {
    let emitter = this.emitters.get(key);
    if (!emitter) this.emitters.set(key, (emitter = new Emitter<T>(this.options)));
    return emitter;
  }

  on(key: K, listener: (value: T) => void): () => void {
    return this.emitter(key).event(listener);
  }

  fire(key: K, value: T): void {
    this.emitters.get(key)?.fire(value);
  }
}
