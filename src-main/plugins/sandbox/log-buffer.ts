// Collects a plugin's log for one call (stdout, stderr, conductor.log) within a byte budget.
// Bounded by construction: never holds more than the budget (UTF-8 bytes of the kept lines), however much the plugin writes.

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
const decoder = new TextDecoder('utf-8', { fatal: false });
const PREFIX = { stdout: '', stderr: '[stderr] ' } as const;

export class LogBuffer {
  private lines: string[] = [];
  private used = 0;
  private dropped = 0;
  private partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  constructor(private readonly budgetBytes: number) {}

  /** Bytes written to fd 1 or 2: split into lines, the last partial line kept until the call ends. */
  stream(stream: 'stdout' | 'stderr', chunk: Uint8Array): void {
    const kept = this.fit(chunk, 0);
    if (kept.byteLength === 0) return;
    const parts = (this.partial[stream] + decoder.decode(kept)).split('\n');
    this.partial[stream] = parts.pop() ?? '';
    for (const line of parts) this.push(PREFIX[stream] + line);
  }

  /** A conductor.log message. `bytes` may be a view into guest memory: only what fits is decoded. */
  message(level: number, bytes: Uint8Array): void {
    const prefix = `[${LEVELS[level] ?? `level ${level}`}] `;
    const kept = this.fit(bytes, prefix.length + 1);
    if (kept.byteLength > 0 || bytes.byteLength === 0) this.push(prefix + decoder.decode(kept));
  }

  /** Ends the call: flushes partial lines, notes what was dropped, returns the lines and resets. */
  take(): string[] {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.push(PREFIX[stream] + this.partial[stream]);
      this.partial[stream] = '';
    }
    if (this.dropped > 0) this.lines.push(`[log truncated: ${this.dropped} bytes over the ${this.budgetBytes}-byte limit dropped]`);
    const out = this.lines;
    this.lines = [];
    this.used = 0;
    this.dropped = 0;
    return out;
  }

  /** The part of `bytes` that can still fit after `overhead` bytes; the rest is counted as dropped. */
  private fit(bytes: Uint8Array, overhead: number): Uint8Array {
    const room = Math.max(0, this.budgetBytes - this.used - overhead);
    if (bytes.byteLength <= room) return bytes;
    this.dropped += bytes.byteLength - room;
    return bytes.subarray(0, room);
  }

  private push(line: string): void {
    const room = this.budgetBytes - this.used - 1;
    let text = line;
    let cost = Buffer.byteLength(text) + 1;
    if (cost - 1 > room) {
      if (room <= 0) {
        this.dropped += cost - 1;
        return;
      }
      text = Buffer.from(text).subarray(0, room).toString('utf8');
      this.dropped += cost - 1 - Buffer.byteLength(text);
      cost = Buffer.byteLength(text) + 1;
    }
    this.lines.push(text);
    this.used += cost;
  }
}
