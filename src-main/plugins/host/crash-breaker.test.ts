// The crash breaker on a ManualClock: failures count only within the window of clock time, and it never reads the
// wall clock (these tests would not pass if it did: the clock starts in 2023 and moves only when told to).
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../common/test-support/manual-clock';
import { breakerProblem, CrashBreaker, DEFAULT_BREAKER } from './crash-breaker';

describe('CrashBreaker', () => {
  it('trips on the failure that brings the window to maxFailures, with a reason naming the last one', async () => {
    const clock = new ManualClock();
    const breaker = new CrashBreaker({ maxFailures: 3, windowMs: 60_000 }, clock);
    expect(breaker.record('crash 1')).toBeNull();
    await clock.advance(20_000);
    expect(breaker.record('crash 2')).toBeNull();
    await clock.advance(20_000);
    expect(breaker.record('timed out after 300 ms')).toBe('disabled after 3 crashes or timeouts within 60 s (last: timed out after 300 ms)');
    expect(breaker.recentFailures).toBe(3);
  });

  it('forgets failures once they are windowMs old', async () => {
    const clock = new ManualClock();
    const breaker = new CrashBreaker({ maxFailures: 2, windowMs: 1_000 }, clock);
    expect(breaker.record('a')).toBeNull();
    await clock.advance(999);
    expect(breaker.recentFailures).toBe(1);
    await clock.advance(1);
    expect(breaker.recentFailures).toBe(0);
    expect(breaker.record('b')).toBeNull();
    expect(breaker.record('c')).toBe('disabled after 2 crashes or timeouts within 1 s (last: c)');
  });

  it('starts afresh after reset', () => {
    const breaker = new CrashBreaker({ maxFailures: 2, windowMs: 60_000 }, new ManualClock());
    breaker.record('a');
    breaker.reset();
    expect(breaker.recentFailures).toBe(0);
    expect(breaker.record('b')).toBeNull();
  });

  it('trips on the first failure when maxFailures is 1', () => {
    const breaker = new CrashBreaker({ maxFailures: 1, windowMs: 500 }, new ManualClock());
    expect(breaker.record('x')).toBe('disabled after 1 crashes or timeouts within 1 s (last: x)');
  });

  it('says which limits cannot work', () => {
    expect(breakerProblem(DEFAULT_BREAKER)).toBeNull();
    expect(breakerProblem({ maxFailures: 0, windowMs: 1 })).toMatch(/maxFailures/);
    expect(breakerProblem({ maxFailures: 2.5, windowMs: 1 })).toMatch(/maxFailures/);
    expect(breakerProblem({ maxFailures: 1, windowMs: -1 })).toMatch(/windowMs/);
    expect(breakerProblem({ maxFailures: 1, windowMs: Number.NaN })).toMatch(/windowMs/);
  });
});
