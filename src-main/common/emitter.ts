// A typed event source (VS Code's Emitter pattern): the owner keeps the Emitter and fires it; everyone else sees only
// `event`, an `onDidX(listener) → unsubscribe` function. Never lets one listener's exception reach the firer or the others.

/** Subscribes a listener; returns the function that unsubscribes it (idempotent). */
export type Event<T> = (listener: (value: T) => void) => () => void;

export interface EmitterOptions {
  /** Where a listener's exception goes (default: one line on stderr). */
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
        else process.stderr.write(`listener failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
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
