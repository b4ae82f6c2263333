// SpareKeeper's rules with a hand-driven timer: a spare waits while loads go on, is given out once, and is stopped
// after an idle period; a slot opened without a spare still gets a worker.
import { describe, expect, it } from 'vitest';
import { SpareKeeper, type SpareTimer } from './spare-keeper';

class HandTimer implements SpareTimer {
  private next = 1;
  readonly pending = new Map<number, { at: number; run: () => void }>();
  now = 0;
  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.next++;
    this.pending.set(id, { at: this.now + delayMs, run: callback });
    return id;
  }
  clearTimeout(id: unknown): void {
    this.pending.delete(id as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, t] of [...this.pending].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at > this.now) continue;
      this.pending.delete(id);
      t.run();
    }
  }
}

function setup(idleMs = 2000): { keeper: SpareKeeper<string>; started: string[]; stopped: string[]; timer: HandTimer } {
  const started: string[] = [];
  const stopped: string[] = [];
  const timer = new HandTimer();
  let n = 0;
  const keeper = new SpareKeeper<string>(
    () => {
      const w = `w${++n}`;
      started.push(w);
      return w;
    },
    (w) => stopped.push(w),
    timer,
    idleMs,
  );
  return { keeper, started, stopped, timer };
}

describe('SpareKeeper', () => {
  it('gives the waiting spare to the next slot, once', () => {
    const { keeper, started } = setup();
    keeper.refill();
    expect(started).toEqual(['w1']);
    expect(keeper.take()).toBe('w1');
    expect(keeper.current).toBeNull();
    // No spare now: the next slot gets a worker started for it.
    expect(keeper.take()).toBe('w2');
    expect(started).toEqual(['w1', 'w2']);
  });

  it('stops an unused spare after the idle period, and not before', () => {
    const { keeper, stopped, timer } = setup(2000);
    keeper.refill();
    timer.advance(1999);
    expect(stopped).toEqual([]);
    timer.advance(1);
    expect(stopped).toEqual(['w1']);
    expect(keeper.current).toBeNull();
    expect(timer.pending.size).toBe(0);
  });

  it('keeps one spare through a burst of loads: each refill restarts the idle period and starts none while one waits', () => {
    const { keeper, started, stopped, timer } = setup(2000);
    keeper.refill();
    for (let i = 0; i < 5; i++) {
      timer.advance(1500);
      keeper.refill(); // a load finished; the spare still waits
    }
    expect(started).toEqual(['w1']);
    expect(stopped).toEqual([]);
    expect(timer.pending.size).toBe(1);
    timer.advance(2000);
    expect(stopped).toEqual(['w1']);
  });

  it('a taken spare is never stopped by its old idle timer', () => {
    const { keeper, stopped, timer } = setup(2000);
    keeper.refill();
    expect(keeper.take()).toBe('w1');
    timer.advance(5000);
    expect(stopped).toEqual([]);
  });

  it('forgets a spare that ended by itself, and starts a new one at the next refill', () => {
    const { keeper, started, stopped, timer } = setup(2000);
    keeper.refill();
    keeper.ended('w1');
    expect(keeper.current).toBeNull();
    timer.advance(5000);
    expect(stopped).toEqual([]);
    keeper.ended('w9'); // not the spare: nothing changes
    keeper.refill();
    expect(started).toEqual(['w1', 'w2']);
    expect(keeper.current).toBe('w2');
  });
});
