// The one escaping rule for text others control (plugin logs and results, .wasm metadata, .sig developer fields,
// exec output, file names) printed on a terminal. Never lets such text move the cursor, recolour, reorder or start a line.

/**
 * What `terminalText` escapes: the backslash (so the escaping is unambiguous), C0 controls except tab (newline and
 * carriage return included: one value is one line), DEL, C1 controls (U+0080–U+009F, e.g. the one-byte CSI),
 * the line and paragraph separators, the bidi controls (ALM, LRM, RLM, embeddings, overrides, isolates) and lone
 * surrogates.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\\\0-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]/gu;

/** The same characters minus what JSON.stringify already escapes (backslash, C0, lone surrogates). */
const UNSAFE_IN_JSON = /[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

const NAMED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r' };

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.codePointAt(0) ?? 0;
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/**
 * `text` as it may be printed: `\` becomes `\\`, newline and CR `\n` and `\r`, other controls `\x1b`-style, and
 * U+0080 and up `\u{202e}`-style. Printable text (tab and all other Unicode included) is unchanged.
 */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** Each line escaped on its own, joined with newlines: for output built from lines whose fixed parts are ours. */
export function terminalLines(lines: readonly string[]): string {
  return lines.map(terminalText).join('\n');
}

/**
 * JSON.stringify for output that may reach a terminal: the same JSON value, with DEL, C1, separators and bidi
 * controls written as `\u` escapes too (JSON.stringify leaves them raw).
 */
export function terminalJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE_IN_JSON, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}
