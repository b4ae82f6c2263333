import { describe, expect, it } from 'vitest';
import { LogBuffer } from './log-buffer';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('LogBuffer', () => {
  it('splits streams into lines, keeps partial lines until the call ends, and prefixes stderr and levels', () => {
    const log = new LogBuffer(1024);
    log.stream('stdout', bytes('one\ntw'));
    log.message(2, bytes('careful'));
    log.stream('stdout', bytes('o\n'));
    log.stream('stderr', bytes('oops'));
    expect(log.take()).toEqual(['one', '[warn] careful', 'two', '[stderr] oops']);
    expect(log.take()).toEqual([]);
  });

  it('never keeps more than its budget and says how much it dropped', () => {
    const log = new LogBuffer(100);
    for (let i = 0; i < 1000; i++) log.stream('stdout', bytes('0123456789\n'));
    log.message(1, new Uint8Array(10_000_000));
    const lines = log.take();
    const kept = lines.slice(0, -1).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
    expect(kept).toBeLessThanOrEqual(100);
    expect(lines.at(-1)).toBe(`[log truncated: ${11_000 + 10_000_000 - kept} bytes over the 100-byte limit dropped]`);
  });
});
