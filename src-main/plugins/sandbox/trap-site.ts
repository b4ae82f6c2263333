// Where a plugin trapped, in words: the wasm frames of a trap's stack (names from the module's name section, Rust
// symbols demangled) and a Rust panic's own message from the call's log. Pure text work; never trusts the names (plugin-made).
//
// Hand-written because no maintained npm package demangles Rust's legacy (`_ZN…17h<hash>E`) symbols without
// native code, and V8's stack line format is the only place the frames are exposed.

/** At most this many frames are named in a message (innermost first). */
const MAX_FRAMES = 4;
/** A plugin-made name or panic text is cut to this many characters. */
const MAX_NAME_CHARS = 80;
const MAX_PANIC_CHARS = 300;

// `    at NAME (wasm://wasm/HASH:wasm-function[N]:0xOFF)` or, without a name, `    at wasm://wasm/HASH:wasm-function[N]:0xOFF`.
const FRAME = /^\s*at (?:(.+?) \()?wasm:\/\/wasm\/[^:]*:wasm-function\[(\d+)\]:0x[0-9a-f]+\)?$/;

/** The wasm frames of an error's stack, innermost first: demangled names, or `function #N` where the module has none. */
export function wasmFrames(err: unknown): string[] {
  const stack = err instanceof Error && typeof err.stack === 'string' ? err.stack : '';
  const frames: string[] = [];
  for (const line of stack.split('\n')) {
    const m = FRAME.exec(line);
    if (!m) continue;
    frames.push(m[1] ? printable(demangle(m[1]), MAX_NAME_CHARS) : `function #${m[2]}`);
  }
  return frames;
}

/** " in f ← g ← h" for a trap message (empty when the stack has no wasm frames). */
export function trapSite(frames: readonly string[]): string {
  if (frames.length === 0) return '';
  const shown = frames.slice(0, MAX_FRAMES).join(' ← ');
  return ` in ${shown}${frames.length > MAX_FRAMES ? ' ← …' : ''}`;
}

/**
 * A Rust panic's location and message from the call's log lines, or null. Rust's default panic hook writes to stderr
 * `thread '…' panicked at 'MSG', FILE:L:C` (up to Rust 1.72) or `thread '…' panicked at FILE:L:C:` followed by the
 * message on the next line(s) (1.73 on).
 */
export function rustPanic(log: readonly string[]): string | null {
  for (let i = 0; i < log.length; i++) {
    const line = stripStderr(log[i] ?? '');
    if (line === null) continue;
    const old = /^thread '[^']*' panicked at '([\s\S]*)', (\S+:\d+:\d+)$/.exec(line);
    if (old) return printable(`${old[2]}: ${old[1]}`, MAX_PANIC_CHARS);
    const modern = /^thread '[^']*' panicked at (\S+:\d+:\d+):$/.exec(line);
    if (modern) {
      const message: string[] = [];
      for (let j = i + 1; j < log.length; j++) {
        const next = stripStderr(log[j] ?? '');
        if (next === null || next.startsWith('note: run with `RUST_BACKTRACE')) break;
        message.push(next);
      }
      return printable(`${modern[1]}: ${message.join(' ')}`, MAX_PANIC_CHARS);
    }
  }
  return null;
}

function stripStderr(line: string): string | null {
  return line.startsWith('[stderr] ') ? line.slice('[stderr] '.length) : null;
}

/** Control characters become spaces; long text is cut with an ellipsis. */
function printable(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

const RUST_ESCAPES: Record<string, string> = {
  SP: '@', BP: '*', RF: '&', LT: '<', GT: '>', LP: '(', RP: ')', C: ',',
};

/**
 * Rust's legacy mangling: `_ZN` then length-prefixed path segments, a final `17h<16 hex>` hash, `E`; `$LT$`-style and
 * `$uXX$` escapes in segments; `..` for `::`; an LLVM `.llvm.N` suffix. Anything else is returned as it is.
 */
export function demangle(symbol: string): string {
  const m = /^_?_ZN(.*)E(\.llvm\.\d+)?$/.exec(symbol);
  if (!m) return symbol;
  const body = m[1] ?? '';
  const segments: string[] = [];
  let i = 0;
  while (i < body.length) {
    const len = /^\d+/.exec(body.slice(i));
    if (!len) return symbol;
    i += len[0].length;
    const n = Number(len[0]);
    if (n === 0 || i + n > body.length) return symbol;
    segments.push(body.slice(i, i + n));
    i += n;
  }
  const last = segments[segments.length - 1];
  if (segments.length > 1 && last !== undefined && /^h[0-9a-f]{16}$/.test(last)) segments.pop();
  return segments.map(unescapeSegment).join('::');
}

function unescapeSegment(segment: string): string {
  const s = segment.startsWith('_$') ? segment.slice(1) : segment;
  return s
    .replace(/\$([A-Z]{1,2}|u[0-9a-f]{1,6})\$/g, (whole, code: string) => {
      if (code.startsWith('u')) {
        const cp = Number.parseInt(code.slice(1), 16);
        return Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
      }
      return RUST_ESCAPES[code] ?? whole;
    })
    .replace(/\.\./g, '::');
}
