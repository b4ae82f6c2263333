// A clock and timer that only move when told to (`advance`): the deterministic time source of the engine's
// tests and benchmarks. Test and benchmark support only — never used by the running app.
import type { Clock, Timer, TimerId } from '../clock';

interface Pending {
  id: number;
  dueAt: number;
  callback: () => void;
}

/** Lets every queued microtask and promise continuation run (one macrotask turn, no wall-clock wait). */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class ManualClock implements Clock, Timer {
  private nowMs: number;
  private nextId = 1;
  private pending: Pending[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimeout(callback: () => void, delayMs: number): TimerId {
    const id = this.nextId++;
    this.pending.push({ id, dueAt: this.nowMs + Math.max(0, delayMs), callback });
    return id;
  }

  clearTimeout(id: TimerId): void {
    this.pending = this.pending.filter((p) => p.id !== id);
  }

  /** Timers scheduled and not yet run or cleared. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * Moves time forward by `ms`, running each timer that falls due at its own due time, in order, and letting
   * promise continuations run before and after each one (so async chains can schedule further timers).
   */
  async advance(ms: number): Promise<void> {
    const target = this.nowMs + ms;
    await flushMicrotasks();
    for (;;) {
      const next = this.pending.filter((p) => p.dueAt <= target).sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)[0];
      if (!next) break;
      this.pending = this.pending.filter((p) => p !== next);
      this.nowMs = Math.max(this.nowMs, next.dueAt);
      next.callback();
      await flushMicrotasks();
    }
    this.nowMs = target;
    await flushMicrotasks();
  }
}
