// Time as the engine sees it: a clock (epoch ms) and a setTimeout-like timer, both injectable so timing-based
// triggers and actions are deterministic under test. Never reads wall-clock time except in the system defaults.

/** Reads the current time in epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** An opaque handle from `Timer.setTimeout`. */
export type TimerId = number | object;

/** setTimeout/clearTimeout, injectable. Callbacks must never be run synchronously from `setTimeout` itself. */
export interface Timer {
  setTimeout(callback: () => void, delayMs: number): TimerId;
  clearTimeout(id: TimerId): void;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemTimer: Timer = {
  setTimeout: (callback, delayMs) => setTimeout(callback, Math.max(0, delayMs)),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};

/** Resolves after `delayMs` on `timer`, or rejects with an AbortError-named error when `signal` aborts first. */
export function sleep(timer: Timer, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const onAbort = (): void => {
      timer.clearTimeout(id);
      reject(abortError());
    };
    const id = timer.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortError(): Error {
  const err = new Error('aborted');
  err.name = 'AbortError';
  return err;
}
