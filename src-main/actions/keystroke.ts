// The Keystroke and Text actions through the platform's own tools: xdotool (X11), wtype or ydotool (Wayland),
// osascript (macOS), PowerShell SendKeys (Windows). Never goes through a shell; missing tools are a clear error.
import type { Action } from '../../src-shared/config';
import type { Timer } from '../common/clock';
import { findExecutable, runProcess } from './process';
import { failed, succeeded, type ActionOutcome, type Env } from './types';

export type KeyTool = 'xdotool' | 'wtype' | 'ydotool' | 'osascript' | 'powershell';
export type Modifier = 'ctrl' | 'alt' | 'shift' | 'super';

/**
 * Modifier names a config may use (case-insensitive). `cmd` means the platform's shortcut modifier: ⌘ on macOS,
 * Ctrl elsewhere, so one config works on both; `super`/`win`/`meta` is the Windows/Super key (⌘ on macOS).
 */
export const MODIFIER_NAMES: readonly string[] = ['cmd', 'command', 'ctrl', 'control', 'alt', 'option', 'opt', 'shift', 'super', 'win', 'meta', 'logo'];

export function modifierOf(name: string, platform: NodeJS.Platform): Modifier | null {
  switch (name.trim().toLowerCase()) {
    case 'cmd':
    case 'command':
      return platform === 'darwin' ? 'super' : 'ctrl';
    case 'ctrl':
    case 'control':
      return 'ctrl';
    case 'alt':
    case 'option':
    case 'opt':
      return 'alt';
    case 'shift':
      return 'shift';
    case 'super':
    case 'win':
    case 'meta':
    case 'logo':
      return 'super';
    default:
      return null;
  }
}

/** Named keys (case-insensitive; `-`/`_` ignored) → canonical name. Anything else must be a single character. */
const KEY_ALIASES: Record<string, string> = {
  space: 'space', enter: 'enter', return: 'enter', tab: 'tab', escape: 'escape', esc: 'escape',
  backspace: 'backspace', delete: 'delete', del: 'delete', forwarddelete: 'delete', insert: 'insert', ins: 'insert',
  up: 'up', down: 'down', left: 'left', right: 'right', uparrow: 'up', downarrow: 'down', leftarrow: 'left', rightarrow: 'right',
  home: 'home', end: 'end', pageup: 'pageup', pgup: 'pageup', pagedown: 'pagedown', pgdn: 'pagedown',
};

/** A key to press: a canonical named key (above, or `f1`…`f20`), or one character. */
export type Key = { named: string } | { char: string };

export function parseKey(text: string): Key | null {
  if ([...text].length === 1) return { char: text };
  const norm = text.trim().toLowerCase().replace(/[-_ ]/g, '');
  const named = KEY_ALIASES[norm];
  if (named) return { named };
  const f = /^f([1-9]|1[0-9]|20)$/.exec(norm);
  if (f) return { named: norm };
  return null;
}

export interface Chord {
  key: Key;
  modifiers: Modifier[];
}

/** `keys` ("a", "enter", or a combination like "ctrl+shift+a") plus `modifiers` → one key chord. */
export function parseChord(keys: string, modifiers: readonly string[], platform: NodeJS.Platform): { ok: true; chord: Chord } | { ok: false; error: string } {
  const parts = keys.length > 1 && keys.includes('+') ? keys.split('+') : [keys];
  if (keys.endsWith('++')) parts.splice(parts.length - 2, 2, '+');
  const keyText = parts.pop() ?? '';
  const mods: Modifier[] = [];
  for (const name of [...modifiers, ...parts]) {
    const mod = modifierOf(name, platform);
    if (!mod) return { ok: false, error: `unknown modifier "${name}" (use one of: ${MODIFIER_NAMES.join(', ')})` };
    if (!mods.includes(mod)) mods.push(mod);
  }
  const key = parseKey(keyText);
  if (!key) return { ok: false, error: `unknown key "${keyText}" (a single character, or one of: ${[...new Set(Object.values(KEY_ALIASES))].join(', ')}, f1–f20)` };
  return { ok: true, chord: { key, modifiers: mods } };
}

// ---- X keysyms (xdotool, wtype) ----

const XKEYSYM: Record<string, string> = {
  space: 'space', enter: 'Return', tab: 'Tab', escape: 'Escape', backspace: 'BackSpace', delete: 'Delete', insert: 'Insert',
  up: 'Up', down: 'Down', left: 'Left', right: 'Right', home: 'Home', end: 'End', pageup: 'Prior', pagedown: 'Next',
};
const XKEYSYM_CHARS: Record<string, string> = {
  ' ': 'space', '-': 'minus', '=': 'equal', '[': 'bracketleft', ']': 'bracketright', '\\': 'backslash', ';': 'semicolon',
  "'": 'apostrophe', ',': 'comma', '.': 'period', '/': 'slash', '`': 'grave', '+': 'plus', '!': 'exclam', '@': 'at',
  '#': 'numbersign', '$': 'dollar', '%': 'percent', '^': 'asciicircum', '&': 'ampersand', '*': 'asterisk',
  '(': 'parenleft', ')': 'parenright', '_': 'underscore', '{': 'braceleft', '}': 'braceright', '|': 'bar',
  ':': 'colon', '"': 'quotedbl', '<': 'less', '>': 'greater', '?': 'question', '~': 'asciitilde',
};

function xKeysym(key: Key): string {
  if ('named' in key) return XKEYSYM[key.named] ?? key.named.toUpperCase();
  return XKEYSYM_CHARS[key.char] ?? key.char;
}

// ---- Linux input event codes (ydotool) ----

const EVDEV: Record<string, number> = {
  escape: 1, backspace: 14, tab: 15, enter: 28, space: 57, home: 102, up: 103, pageup: 104, left: 105, right: 106,
  end: 107, down: 108, pagedown: 109, insert: 110, delete: 111,
  '1': 2, '2': 3, '3': 4, '4': 5, '5': 6, '6': 7, '7': 8, '8': 9, '9': 10, '0': 11, '-': 12, '=': 13,
  q: 16, w: 17, e: 18, r: 19, t: 20, y: 21, u: 22, i: 23, o: 24, p: 25, '[': 26, ']': 27,
  a: 30, s: 31, d: 32, f: 33, g: 34, h: 35, j: 36, k: 37, l: 38, ';': 39, "'": 40, '`': 41, '\\': 43,
  z: 44, x: 45, c: 46, v: 47, b: 48, n: 49, m: 50, ',': 51, '.': 52, '/': 53,
};
const EVDEV_MOD: Record<Modifier, number> = { ctrl: 29, shift: 42, alt: 56, super: 125 };

function evdevCode(key: Key): number | null {
  if ('named' in key) {
    const f = /^f(\d+)$/.exec(key.named);
    if (f) {
      const n = Number(f[1]);
      return n <= 10 ? 58 + n : n <= 12 ? 76 + n : 170 + n; // F1–F10 59–68, F11/F12 87/88, F13+ 183+
    }
    return EVDEV[key.named] ?? null;
  }
  return EVDEV[key.char.toLowerCase()] ?? null;
}

// ---- macOS (System Events) ----

const MAC_KEYCODE: Record<string, number> = {
  enter: 36, tab: 48, space: 49, backspace: 51, escape: 53, delete: 117, insert: 114, home: 115, end: 119,
  pageup: 116, pagedown: 121, left: 123, right: 124, down: 125, up: 126,
  f1: 122, f2: 120, f3: 99, f4: 118, f5: 96, f6: 97, f7: 98, f8: 100, f9: 101, f10: 109, f11: 103, f12: 111,
  f13: 105, f14: 107, f15: 113, f16: 106, f17: 64, f18: 79, f19: 80, f20: 90,
};
const MAC_MOD: Record<Modifier, string> = { ctrl: 'control down', alt: 'option down', shift: 'shift down', super: 'command down' };

/** An AppleScript string literal. */
export function appleScriptString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

// ---- Windows (SendKeys) ----

const SENDKEYS_NAMED: Record<string, string> = {
  space: ' ', enter: '{ENTER}', tab: '{TAB}', escape: '{ESC}', backspace: '{BACKSPACE}', delete: '{DELETE}', insert: '{INSERT}',
  up: '{UP}', down: '{DOWN}', left: '{LEFT}', right: '{RIGHT}', home: '{HOME}', end: '{END}', pageup: '{PGUP}', pagedown: '{PGDN}',
};
const SENDKEYS_MOD: Record<Exclude<Modifier, 'super'>, string> = { ctrl: '^', alt: '%', shift: '+' };

/** Text as SendKeys types it literally: its special characters braced, newlines as {ENTER}. */
export function sendKeysText(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(/[+^%~(){}[\]\n]/g, (c) => (c === '\n' ? '{ENTER}' : `{${c}}`));
}

function powershellArgv(program: string, sendKeys: string): string[] {
  const script = `Add-Type -AssemblyName System.Windows.Forms; [System.Windows.Forms.SendKeys]::SendWait('${sendKeys.replace(/'/g, "''")}')`;
  return [program, '-NoProfile', '-NonInteractive', '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')];
}

/** The argv that presses `chord` with `tool` (whose path is `program`). */
export function keystrokeArgv(tool: KeyTool, program: string, chord: Chord): { ok: true; argv: string[] } | { ok: false; error: string } {
  const { key, modifiers } = chord;
  switch (tool) {
    case 'xdotool':
      return { ok: true, argv: [program, 'key', '--clearmodifiers', [...modifiers, xKeysym(key)].join('+')] };
    case 'wtype': {
      const mods = modifiers.map((m) => (m === 'super' ? 'logo' : m));
      return { ok: true, argv: [program, ...mods.flatMap((m) => ['-M', m]), '-k', xKeysym(key), ...[...mods].reverse().flatMap((m) => ['-m', m])] };
    }
    case 'ydotool': {
      const code = evdevCode(key);
      if (code === null) return { ok: false, error: `ydotool cannot press "${'named' in key ? key.named : key.char}" (only keys of a US keyboard layout)` };
      const mods = modifiers.map((m) => EVDEV_MOD[m]);
      const needsShift = 'char' in key && /[A-Z]/.test(key.char) && !modifiers.includes('shift');
      if (needsShift) mods.push(EVDEV_MOD.shift);
      return { ok: true, argv: [program, 'key', ...mods.map((c) => `${c}:1`), `${code}:1`, `${code}:0`, ...[...mods].reverse().map((c) => `${c}:0`)] };
    }
    case 'osascript': {
      const using = modifiers.length > 0 ? ` using {${modifiers.map((m) => MAC_MOD[m]).join(', ')}}` : '';
      const press = 'named' in key ? `key code ${MAC_KEYCODE[key.named] ?? 49}` : `keystroke ${appleScriptString(key.char)}`;
      return { ok: true, argv: [program, '-e', `tell application "System Events" to ${press}${using}`] };
    }
    case 'powershell': {
      if (modifiers.includes('super')) return { ok: false, error: 'Windows SendKeys cannot press the Windows key' };
      const base = 'named' in key ? (SENDKEYS_NAMED[key.named] ?? `{${key.named.toUpperCase()}}`) : sendKeysText(key.char);
      const prefix = modifiers.map((m) => SENDKEYS_MOD[m as Exclude<Modifier, 'super'>]).join('');
      return { ok: true, argv: powershellArgv(program, prefix + base) };
    }
  }
}

/** The argv that types `text` literally with `tool`. */
export function textArgv(tool: KeyTool, program: string, text: string): string[] {
  switch (tool) {
    case 'xdotool':
      return [program, 'type', '--clearmodifiers', '--', text];
    case 'wtype':
      return [program, '--', text];
    case 'ydotool':
      return [program, 'type', '--', text];
    case 'osascript':
      return [program, '-e', `tell application "System Events" to keystroke ${appleScriptString(text)}`];
    case 'powershell':
      return powershellArgv(program, sendKeysText(text));
  }
}

/** The tools to look for, best first, for this platform and session (Wayland if WAYLAND_DISPLAY is set). */
export function candidateTools(platform: NodeJS.Platform, env: Env): { tool: KeyTool; names: string[] }[] {
  if (platform === 'darwin') return [{ tool: 'osascript', names: ['osascript'] }];
  if (platform === 'win32') return [{ tool: 'powershell', names: ['powershell', 'pwsh'] }];
  const x11 = { tool: 'xdotool' as const, names: ['xdotool'] };
  const wayland = [
    { tool: 'wtype' as const, names: ['wtype'] },
    { tool: 'ydotool' as const, names: ['ydotool'] },
  ];
  return env.WAYLAND_DISPLAY ? [...wayland, x11] : [x11, ...wayland];
}

/** What to tell the user when no tool exists, e.g. "Keystroke needs xdotool (X11) or wtype (Wayland); none found". */
export function missingToolMessage(action: 'Keystroke' | 'Text', platform: NodeJS.Platform): string {
  if (platform === 'darwin') return `${action} needs osascript (macOS); not found on PATH`;
  if (platform === 'win32') return `${action} needs PowerShell (powershell.exe or pwsh.exe); not found on PATH`;
  return `${action} needs xdotool (X11) or wtype or ydotool (Wayland); none found on PATH`;
}

/** The first available tool, or null. */
export async function findKeyTool(platform: NodeJS.Platform, env: Env): Promise<{ tool: KeyTool; program: string } | null> {
  for (const candidate of candidateTools(platform, env)) {
    for (const name of candidate.names) {
      const program = await findExecutable(name, env, platform);
      if (program) return { tool: candidate.tool, program };
    }
  }
  return null;
}

export interface KeyActionDeps {
  timer: Timer;
  platform: NodeJS.Platform;
  env: Env;
  timeoutMs: number;
  signal?: AbortSignal;
}

async function runTool(label: 'Keystroke' | 'Text', argv: string[], tool: KeyTool, deps: KeyActionDeps): Promise<ActionOutcome> {
  const { info, error } = await runProcess(argv, { timer: deps.timer, timeoutMs: deps.timeoutMs, signal: deps.signal, env: deps.env, platform: deps.platform });
  return error === null ? succeeded(`via ${tool}`, { process: info }) : failed(`${label}: ${tool} ${error}`, { process: info });
}

export async function keystroke(action: Extract<Action, { type: 'Keystroke' }>, deps: KeyActionDeps): Promise<ActionOutcome> {
  const parsed = parseChord(action.keys, action.modifiers ?? [], deps.platform);
  if (!parsed.ok) return failed(`Keystroke: ${parsed.error}`);
  const found = await findKeyTool(deps.platform, deps.env);
  if (!found) return failed(missingToolMessage('Keystroke', deps.platform));
  const argv = keystrokeArgv(found.tool, found.program, parsed.chord);
  if (!argv.ok) return failed(`Keystroke: ${argv.error}`);
  return runTool('Keystroke', argv.argv, found.tool, deps);
}

export async function typeText(action: Extract<Action, { type: 'Text' }>, deps: KeyActionDeps): Promise<ActionOutcome> {
  if (action.text === '') return succeeded('nothing to type');
  const found = await findKeyTool(deps.platform, deps.env);
  if (!found) return failed(missingToolMessage('Text', deps.platform));
  return runTool('Text', textArgv(found.tool, found.program, action.text), found.tool, deps);
}
