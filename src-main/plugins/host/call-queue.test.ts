// The call queue: one call at a time in arrival order, waiting calls answered at once on refusal, and a call is
// always answered — even when the run function itself throws.
import { describe, expect, it } from 'vitest';
import { failedCall, type CallResult } from '../../../src-shared/plugin';
import { CallQueue } from './call-queue';

const ok = (input: string): CallResult => ({ ok: true, code: 0, error: null, errorKind: null, fuelConsumed: 0, durationMs: 0, memoryBytes: 0, log: [input] });

/** A run function whose calls finish only when the test says so. */
function manualRun(): { run: (input: string) => Promise<CallResult>; started: string[]; finish: () => void } {
  const started: string[] = [];
  const waiting: Array<() => void> = [];
  return {
    started,
    run: (input) =>
      new Promise((resolve) => {
        started.push(input);
        waiting.push(() => resolve(ok(input)));
      }),
    finish: () => waiting.shift()?.(),
  };
}

describe('CallQueue', () => {
  it('runs one call at a time, in arrival order', async () => {
    const m = manualRun();
    const queue = new CallQueue(m.run);
    const a = queue.enqueue('a');
    const b = queue.enqueue('b');
    expect(m.started).toEqual(['a']);
    expect({ size: queue.size, running: queue.running }).toEqual({ size: 2, running: true });
    m.finish();
    expect((await a).log).toEqual(['a']);
    expect(m.started).toEqual(['a', 'b']);
    m.finish();
    expect((await b).log).toEqual(['b']);
    expect({ size: queue.size, running: queue.running }).toEqual({ size: 0, running: false });
  });

  it('answers the waiting calls at once, and lets the running one finish', async () => {
    const m = manualRun();
    const queue = new CallQueue(m.run);
    const a = queue.enqueue('a');
    const b = queue.enqueue('b');
    const c = queue.enqueue('c');
    queue.refuseWaiting(failedCall('disabled', 'plugin was unloaded'));
    expect(await b).toMatchObject({ ok: false, error: 'plugin was unloaded' });
    expect(await c).toMatchObject({ ok: false, error: 'plugin was unloaded' });
    m.finish();
    expect((await a).ok).toBe(true);
    expect(m.started).toEqual(['a']);
  });

  it('answers a call whose run throws, and goes on with the next', async () => {
    let n = 0;
    const queue = new CallQueue(async (input) => {
      if (n++ === 0) throw new Error('boom');
      return ok(input);
    });
    const [a, b] = await Promise.all([queue.enqueue('a'), queue.enqueue('b')]);
    expect(a).toMatchObject({ ok: false, errorKind: 'crash', error: 'plugin host error: boom' });
    expect(b.ok).toBe(true);
  });
});
