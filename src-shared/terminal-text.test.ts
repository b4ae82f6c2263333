// The escaping rule for text others control on the terminal (terminal-text.ts): what is escaped, what is left alone,
// and that the escaping is unambiguous. The real commands printing hostile plugins are in src-main/cli/terminal-output.integration.test.ts.
import { describe, expect, it } from 'vitest';
import { terminalJson, terminalLines, terminalText } from './terminal-text';

/** The inverse of terminalText, to show that no two texts print the same. */
function unescape(printed: string): string {
  return printed.replace(/\\(\\|n|r|x([0-9a-f]{2})|u\{([0-9a-f]+)\})/g, (_m, what: string, hex2?: string, hexN?: string) => {
    if (what === '\\') return '\\';
    if (what === 'n') return '\n';
    if (what === 'r') return '\r';
    return String.fromCodePoint(parseInt(hex2 ?? hexN ?? '0', 16));
  });
}

describe('terminalText', () => {
  it('shows controls, DEL, C1, separators and bidi controls as escapes', () => {
    expect(terminalText('\x1b[2K\rresult: ok\nnext')).toBe('\\x1b[2K\\rresult: ok\\nnext');
    expect(terminalText('\0\x07\x08\x0b\x0c\x7f')).toBe('\\x00\\x07\\x08\\x0b\\x0c\\x7f');
    expect(terminalText('\u0085\u009b2K')).toBe('\\x85\\x9b2K');
    expect(terminalText('a\u2028b\u2029c')).toBe('a\\u{2028}b\\u{2029}c');
    expect(terminalText('\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c')).toBe(
      '\\u{202a}\\u{202b}\\u{202c}\\u{202d}\\u{202e}\\u{2066}\\u{2067}\\u{2068}\\u{2069}\\u{200e}\\u{200f}\\u{61c}',
    );
    expect(terminalText('lone \ud800 surrogate')).toBe('lone \\u{d800} surrogate');
  });

  it('escapes the backslash itself, so text that looks like an escape cannot pass for one', () => {
    expect(terminalText('C:\\x1b')).toBe('C:\\\\x1b');
    expect(terminalText('\\')).toBe('\\\\');
  });

  it('leaves printable text alone: tab, accents, CJK, emoji, arrows and dashes', () => {
    const text = 'tab\there — café 日本語 🎹 → ok «quoted» 🟢';
    expect(terminalText(text)).toBe(text);
  });

  it('is unambiguous: every text comes back from what is printed', () => {
    const samples = ['', '\\', '\\\\x1b', '\x1b', '\\x1b', '\\\x1b', 'a\nb\\n', '\u202e\\u{202e}', '\r\n', 'x\\', '\\u{41}', '\ud83c\udfb9'];
    for (const s of samples) expect(unescape(terminalText(s)), JSON.stringify(s)).toBe(s);
    const printed = new Set(samples.map(terminalText));
    expect(printed.size).toBe(samples.length);
  });

  it('terminalLines escapes each line and joins them with real newlines', () => {
    expect(terminalLines(['ok', '  [info] x\nresult: ok'])).toBe('ok\n  [info] x\\nresult: ok');
  });
});

describe('terminalJson', () => {
  it('is the same JSON value with DEL, C1, separators and bidi controls written as \\u escapes', () => {
    const value = { log: ['\x1b[2K\rresult: ok', '\u202eevil \u009b2K \x7f \u2028 \\x1b'], n: 1 };
    const text = terminalJson(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).toContain('\\u202eevil \\u009b2K \\u007f \\u2028');
    expect(text).toContain('\\u001b[2K\\rresult: ok');
    // eslint-disable-next-line no-control-regex -- asserting that no control character is left
    expect(text).not.toMatch(/[\0-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]/u);
    const indented = terminalJson(value, 2);
    expect(JSON.parse(indented)).toEqual(value);
    expect(indented).toContain('\n  "log": [\n');
  });
});
