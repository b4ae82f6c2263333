// The crash breaker: a plugin's crashes and timeouts counted in a sliding window, tripping when too many fall in it.
// Bookkeeping on an injected clock only: never reads the wall clock itself, never kills or disables anything.
import type { Clock } from '../../common/clock';

export interface BreakerLimits {
  /** Crashes or timeouts within `windowMs` that trip the breaker. */
  maxFailures: number;
  windowMs: number;
}

export const DEFAULT_BREAKER: Readonly<BreakerLimits> = Object.freeze({ maxFailures: 3, windowMs: 60_000 });

/** Why limits cannot work (a breaker that can never trip, or trips on nothing), or null when they are fine. */
export function breakerProblem(limits: BreakerLimits): string | null {
  if (!Number.isSafeInteger(limits.maxFailures) || limits.maxFailures < 1) return `breaker.maxFailures must be a whole number ≥ 1, got ${limits.maxFailures}`;
  if (!Number.isFinite(limits.windowMs) || limits.windowMs <= 0) return `breaker.windowMs must be a positive number of milliseconds, got ${limits.windowMs}`;
  return null;
}

export class CrashBreaker {
  /** When each failure still inside the window happened (clock ms), oldest first. */
  private failures: number[] = [];

  constructor(
    private readonly limits: BreakerLimits,
    private readonly clock: Clock,
  ) {}

  /** Failures inside the window as of now. */
  get recentFailures(): number {
    const now = this.clock.now();
    return this.failures.filter((t) => now - t < this.limits.windowMs).length;
  }

  /**
   * Counts one crash or timeout (`reason` says which). Returns why the plugin must be disabled when the failures inside
   * the window now reach `maxFailures`, else null. Only time (the window) and `reset` forget failures.
   */
  record(reason: string): string | null {
    const now = this.clock.now();
    this.failures = [...this.failures.filter((t) => now - t < this.limits.windowMs), now];
    if (this.failures.length < this.limits.maxFailures) return null;
    return `disabled after ${this.failures.length} crashes or timeouts within ${Math.round(this.limits.windowMs / 1000)} s (last: ${reason})`;
  }

  /** Forgets every failure (the user re-enabled the plugin). */
  reset(): void {
    this.failures = [];
  }
}
