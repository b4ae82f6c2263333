// Many deadlines on one armed timer: a sandbox's requests, the action runner's bounded waits. Each deadline still
// fires at its own time (the timer is re-armed for the next one); never runs a callback for a deadline removed first.
import { performance } from 'node:perf_hooks';
import type { Clock, Timer, TimerId } from './clock';

/** One deadline in a Deadlines list: the owner's own object (no wrapper is allocated), its links kept by the list. */
export interface Deadline {
  /** When it expires, on the list's clock (ms). Written by `Deadlines.add`. */
  dueAt: number;
  /** List links: null when not in a list. Written only by Deadlines. */
  prevDeadline: Deadline | null;
  nextDeadline: Deadline | null;
}

/** A monotonic clock (ms) for the system timer; an injected timer that is also a clock (ManualClock) is its own. */
const monotonic: Clock = { now: () => performance.now() };

/** Node's timer handle can stop keeping the process alive (unref) and start again (ref); injected timers need not. */
type Refable = { ref?: () => unknown; unref?: () => unknown };

/**
 * Deadlines sorted by due time in a linked list, with one timer armed for the earliest. Adding one due no earlier than
 * the armed time (the usual case: one timeout per owner, calls one after another) touches no timer; removing one
 * never does. When the armed timer fires, every deadline due by then expires (in due order) and the timer is armed
 * again for the next. While the list is empty the armed timer does not keep the process alive (Node's unref).
 */
export class Deadlines<T extends Deadline> {
  private head: T | null = null;
  private tail: T | null = null;
  private armed: TimerId | null = null;
  private armedAt = Infinity;
  private readonly clock: Clock;

  /** `clock` defaults to `timer` itself when it is a clock (ManualClock), else performance.now. */
  constructor(
    private readonly timer: Timer,
    private readonly onExpired: (deadline: T) => void,
    clock?: Clock,
  ) {
    this.clock = clock ?? (typeof (timer as Partial<Clock>).now === 'function' ? (timer as Timer & Clock) : monotonic);
  }

  /** Whether no deadline is pending. */
  get empty(): boolean {
    return this.head === null;
  }

  /** Adds `deadline`, due `delayMs` from now. It must not be in a list already. */
  add(deadline: T, delayMs: number): void {
    const dueAt = this.clock.now() + Math.max(0, delayMs);
    deadline.dueAt = dueAt;
    // From the tail: deadlines mostly arrive in due order.
    let after = this.tail;
    while (after !== null && after.dueAt > dueAt) after = after.prevDeadline as T | null;
    this.link(deadline, after);
    if (this.armed !== null && this.armedAt <= dueAt) {
      if (this.head === deadline) (this.armed as Refable).ref?.();
      return;
    }
    this.arm(dueAt);
  }

  /** Removes `deadline` (settled before it expired); nothing happens if it is not in the list. */
  remove(deadline: T): void {
    if (deadline.prevDeadline === null && this.head !== deadline) return;
    const prev = deadline.prevDeadline as T | null;
    const next = deadline.nextDeadline as T | null;
    if (prev) prev.nextDeadline = next;
    else this.head = next;
    if (next) next.prevDeadline = prev;
    else this.tail = prev;
    deadline.prevDeadline = null;
    deadline.nextDeadline = null;
    if (this.head === null && this.armed !== null) (this.armed as Refable).unref?.();
  }

  /** Removes every deadline and stops the timer. */
  clear(): void {
    for (let d = this.head; d !== null; ) {
      const next = d.nextDeadline as T | null;
      d.prevDeadline = null;
      d.nextDeadline = null;
      d = next;
    }
    this.head = this.tail = null;
    if (this.armed !== null) this.timer.clearTimeout(this.armed);
    this.armed = null;
    this.armedAt = Infinity;
  }

  private link(deadline: T, after: T | null): void {
    deadline.prevDeadline = after;
    const next = after ? (after.nextDeadline as T | null) : this.head;
    deadline.nextDeadline = next;
    if (after) after.nextDeadline = deadline;
    else this.head = deadline;
    if (next) next.prevDeadline = deadline;
    else this.tail = deadline;
  }

  private arm(dueAt: number): void {
    if (this.armed !== null) this.timer.clearTimeout(this.armed);
    this.armedAt = dueAt;
    this.armed = this.timer.setTimeout(this.fire, dueAt - this.clock.now());
  }

  private readonly fire = (): void => {
    // The timer ran, so its time has come even if the clock reads a fraction of a millisecond earlier (Node's timers
    // keep time on the event loop's own clock).
    const now = Math.max(this.clock.now(), this.armedAt);
    this.armed = null;
    this.armedAt = Infinity;
    for (let d = this.head; d !== null && d.dueAt <= now; d = this.head) {
      this.remove(d);
      this.onExpired(d);
    }
    if (this.head !== null && this.armed === null) this.arm(this.head.dueAt);
  };
}
