// The call queue: one call at a time in arrival order, waiting calls answered at once on refusal, and a call is
// always answered — even when the run function itself throws.
import { describe, expect, it } from 'vitest';
import { failedCall, type CallResult } from '../../../src-shared/plugin';
import { CallQueue, NOT_STARTED, type SendAhead } from './call-queue';

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

/** A sandbox the test plays: `run` and `send` both put a call on it; it answers in order when told. */
function manualSandbox(max = 3): {
  queue: CallQueue;
  sent: string[];
  via: string[];
  /** Answers the oldest unanswered call. */
  answer: () => void;
  /** The sandbox ends: the oldest call fails (a crash result), the others were never begun. */
  crash: () => void;
  open: { value: boolean };
} {
  const sent: string[] = [];
  const via: string[] = [];
  const answers: Array<(outcome: 'ok' | 'crash' | 'not-started') => void> = [];
  const open = { value: true };
  let queue: CallQueue | null = null;
  const put = (input: string): Promise<CallResult | typeof NOT_STARTED> =>
    new Promise((resolve) => {
      sent.push(input);
      answers.push((outcome) => resolve(outcome === 'ok' ? ok(input) : outcome === 'crash' ? failedCall('crash', 'sandbox process crashed') : NOT_STARTED));
    });
  const ahead: SendAhead = {
    max,
    send: (input) => {
      if (!open.value) return null;
      via.push(`ahead:${input}`);
      return put(input);
    },
  };
  queue = new CallQueue(async (input) => {
    via.push(`run:${input}`);
    await Promise.resolve(); // like the handle: a turn before the message goes
    const result = put(input);
    (queue as CallQueue).posted();
    const r = await result;
    return r === NOT_STARTED ? failedCall('crash', 'not started') : r;
  }, ahead);
  return {
    queue,
    sent,
    via,
    open,
    answer: () => answers.shift()?.('ok'),
    crash: () => {
      answers.shift()?.('crash');
      for (const a of answers.splice(0)) a('not-started');
    },
  };
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('CallQueue sending ahead', () => {
  it('sends the calls behind the running one once its message has gone, up to the limit, answered in order', async () => {
    const m = manualSandbox(3);
    const calls = ['a', 'b', 'c', 'd', 'e'].map((input) => m.queue.enqueue(input));
    // b waits until a's message is on its way (nothing overtakes it), then b and c follow it; d and e wait.
    expect(m.sent).toEqual([]);
    await flush();
    expect(m.sent).toEqual(['a', 'b', 'c']);
    expect(m.queue.size).toBe(5);
    m.answer();
    expect((await calls[0])?.log).toEqual(['a']);
    await flush();
    expect(m.sent).toEqual(['a', 'b', 'c', 'd']);
    for (let i = 0; i < 4; i++) {
      m.answer();
      await flush();
    }
    const results = await Promise.all(calls);
    expect(results.map((r) => r.log[0])).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(m.via).toEqual(['run:a', 'ahead:b', 'ahead:c', 'ahead:d', 'ahead:e']);
    expect({ size: m.queue.size, running: m.queue.running }).toEqual({ size: 0, running: false });
  });

  it('calls the sandbox never began run again, in order, before later ones; the crashed one fails alone', async () => {
    const m = manualSandbox(3);
    const calls = ['a', 'b', 'c'].map((input) => m.queue.enqueue(input));
    await flush();
    expect(m.sent).toEqual(['a', 'b', 'c']);
    const late = m.queue.enqueue('d');
    m.crash();
    await flush();
    // b and c go again (b through run, the first after the crash), then d; the sandbox now gets them anew.
    expect(m.sent).toEqual(['a', 'b', 'c', 'b', 'c', 'd']);
    for (let i = 0; i < 3; i++) {
      m.answer();
      await flush();
    }
    const results = await Promise.all([...calls, late]);
    expect(results.map((r) => (r.ok ? r.log[0] : r.errorKind))).toEqual(['crash', 'b', 'c', 'd']);
    expect(m.via).toEqual(['run:a', 'ahead:b', 'ahead:c', 'run:b', 'ahead:c', 'ahead:d']);
  });

  it('a call that cannot go ahead waits its turn and goes through run', async () => {
    const m = manualSandbox(3);
    m.open.value = false;
    const a = m.queue.enqueue('a');
    const b = m.queue.enqueue('b');
    await flush();
    expect(m.sent).toEqual(['a']);
    m.answer();
    await flush();
    m.answer();
    expect((await a).ok && (await b).ok).toBe(true);
    expect(m.via).toEqual(['run:a', 'run:b']);
  });

  it('refusing the waiting calls leaves the ones already sent to finish', async () => {
    const m = manualSandbox(2);
    const calls = ['a', 'b', 'c'].map((input) => m.queue.enqueue(input));
    await flush();
    m.queue.refuseWaiting(failedCall('disabled', 'plugin was unloaded'));
    expect(await calls[2]).toMatchObject({ ok: false, error: 'plugin was unloaded' });
    m.answer();
    m.answer();
    const [a, b] = await Promise.all(calls.slice(0, 2));
    expect([a?.ok, b?.ok]).toEqual([true, true]);
    expect(m.sent).toEqual(['a', 'b']);
  });
});
