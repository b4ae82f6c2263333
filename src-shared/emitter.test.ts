import { describe, expect, it } from 'vitest';
import { errorMessage } from './errors';
import { Emitter } from './emitter';

describe('Emitter', () => {
  it('delivers to every listener in order and stops after unsubscribe', () => {
    const e = new Emitter<number>();
    const seen: string[] = [];
    const offA = e.event((v) => seen.push(`a${v}`));
    e.event((v) => seen.push(`b${v}`));
    e.fire(1);
    offA();
    offA();
    e.fire(2);
    expect(seen).toEqual(['a1', 'b1', 'b2']);
    expect(e.listenerCount).toBe(1);
  });

  it('keeps a throwing listener from reaching the firer or the other listeners', () => {
    const errors: unknown[] = [];
    const e = new Emitter<string>({ onListenerError: (err) => errors.push(err) });
    const seen: string[] = [];
    e.event(() => {
      throw new Error('boom');
    });
    e.event((v) => seen.push(v));
    expect(() => e.fire('x')).not.toThrow();
    expect(seen).toEqual(['x']);
    expect(errors.map(errorMessage)).toEqual(['boom']);
  });

  it('subscribing the same function twice gives two independent subscriptions', () => {
    const e = new Emitter<void>();
    let calls = 0;
    const fn = () => calls++;
    const off1 = e.event(fn);
    e.event(fn);
    off1();
    e.fire();
    expect(calls).toBe(1);
  });

  it('a listener added while firing waits for the next fire; dispose drops everything', () => {
    const e = new Emitter<number>();
    const seen: number[] = [];
    e.event(() => {
      e.event((v) => seen.push(v));
    });
    e.fire(1);
    expect(seen).toEqual([]);
    e.dispose();
    e.fire(2);
    e.event((v) => seen.push(v));
    e.fire(3);
    expect(seen).toEqual([]);
  });
});
