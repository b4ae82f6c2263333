// Collects a plugin's log for one call (stdout, stderr, conductor.log) within a byte budget.
// Bounded by construction: never holds more than the budget, however much the plugin writes.

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
const decoder = new TextDecoder('utf-8', { fatal: false });

export class LogBuffer {
  private lines: string[] = [];
  private used = 0;
  private dropped = 0;
  private partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  constructor(private readonly budgetBytes: number) {}

  /** Bytes written to fd 1 or 2: split into lines, the last partial line kept until the call ends. */
  stream(stream: 'stdout' | 'stderr', chunk: Uint8Array): void {
    if (this.used >= this.budgetBytes) {
      this.dropped += chunk.byteLength;
      return;
    }
    const room = this.budgetBytes - this.used;
    const kept = chunk.byteLength > room ? chunk.subarray(0, room) : chunk;
    this.dropped += chunk.byteLength - kept.byteLength;
    const text = this.partial[stream] + decoder.decode(kept);
    const parts = text.split('\n');
    this.partial[stream] = parts.pop() ?? '';
    for (const line of parts) this.push(stream === 'stderr' ? `[stderr] ${line}` : line, line.length + 1);
  }

  /** A conductor.log message. `bytes` may be a view into guest memory: copied only up to the budget. */
  message(level: number, bytes: Uint8Array): void {
    const room = Math.max(0, this.budgetBytes - this.used);
    const kept = bytes.byteLength > room ? bytes.subarray(0, room) : bytes;
    this.dropped += bytes.byteLength - kept.byteLength;
    if (kept.byteLength === 0 && bytes.byteLength > 0) return;
    const name = LEVELS[level] ?? `level ${level}`;
    this.push(`[${name}] ${decoder.decode(kept)}`, kept.byteLength);
  }

  /** Ends the call: flushes partial lines, notes what was dropped, returns the lines and resets. */
  take(): string[] {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.partial[stream];
      if (rest) this.push(stream === 'stderr' ? `[stderr] ${rest}` : rest, 0);
      this.partial[stream] = '';
    }
    if (this.dropped > 0) this.lines.push(`[log truncated: ${this.dropped} bytes over the ${this.budgetBytes}-byte limit dropped]`);
    const out = this.lines;
    this.lines = [];
    this.used = 0;
    this.dropped = 0;
    return out;
  }

  private push(line: string, cost: number): void {
    this.lines.push(line);
    this.used += cost;
  }
}
