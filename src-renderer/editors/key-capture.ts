// Key capture for the Keystroke editor: one browser key event → the `keys` and `modifiers` the engine accepts
// (src-main/actions/keystroke.ts: one character, a named key or f1–f20). Pure: never listens to events or touches the DOM.

/** The modifier names the Keystroke editor offers, in the order it writes them. */
export const MODIFIER_ORDER = ['cmd', 'ctrl', 'alt', 'shift', 'super'] as const;
export type ModifierName = (typeof MODIFIER_ORDER)[number];

/** The parts of a KeyboardEvent capture reads (a real KeyboardEvent fits). */
export interface KeyEventLike {
  type: 'keydown' | 'keyup';
  key: string;
  code: string;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

export type CaptureStep =
  /** A whole shortcut: write these into the action. */
  | { kind: 'done'; keys: string; modifiers: ModifierName[] }
  /** Escape alone: stop capturing, change nothing. */
  | { kind: 'cancel' }
  /** Only modifiers so far: keep listening (`held` shows what is down now). */
  | { kind: 'waiting'; held: ModifierName[] }
  /** A key Conductor cannot press (`why` says so); keep listening. */
  | { kind: 'unsupported'; why: string };

/** macOS (and iOS) by `navigator.platform` ("MacIntel", "iPhone"…): there ⌘ is `cmd`, elsewhere Meta is `super`. */
export function isMacPlatform(platform: string): boolean {
  return /^(mac|iphone|ipad|ipod)/i.test(platform) || platform === 'darwin';
}

/** KeyboardEvent.key values of the modifier keys themselves. */
const MODIFIER_KEYS = new Set(['Control', 'Shift', 'Alt', 'AltGraph', 'Meta', 'OS', 'Super', 'Hyper', 'Fn', 'FnLock', 'Symbol', 'SymbolLock']);

/** KeyboardEvent.key → the engine's named key. */
const NAMED: Record<string, string> = {
  ' ': 'space',
  Spacebar: 'space',
  Enter: 'enter',
  Tab: 'tab',
  Escape: 'escape',
  Esc: 'escape',
  Backspace: 'backspace',
  Delete: 'delete',
  Del: 'delete',
  Insert: 'insert',
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  ArrowRight: 'right',
  Up: 'up',
  Down: 'down',
  Left: 'left',
  Right: 'right',
  Home: 'home',
  End: 'end',
  PageUp: 'pageup',
  PageDown: 'pagedown',
};

/** The unshifted character of each punctuation key on a US layout, by KeyboardEvent.code (used while Shift is held). */
const US_BASE: Record<string, string> = {
  Minus: '-',
  Equal: '=',
  BracketLeft: '[',
  BracketRight: ']',
  Backslash: '\\',
  Semicolon: ';',
  Quote: "'",
  Comma: ',',
  Period: '.',
  Slash: '/',
  Backquote: '`',
};

/** Keys the engine has no name for, in words (media keys, locks…). */
function unsupportedKey(key: string): string | null {
  if (/^F(2[1-4])$/.test(key)) return `Conductor can press F1–F20, not ${key}`;
  if (/^(Audio|Media|Launch|Browser)/.test(key) || key === 'Play' || key === 'Pause') return `Conductor cannot press media or launcher keys ("${key}") yet`;
  if (key === 'Dead' || key === 'Process' || key === 'Compose') return 'That key starts an accented character; press the plain key instead, or type the character in the Key field';
  if (key === 'Unidentified' || key === '') return 'The browser could not tell which key that was; type its name in the Key field';
  return null;
}

/** The modifiers held during `e`, in the editor's order (Meta is `cmd` on macOS, `super` elsewhere). */
export function heldModifiers(e: KeyEventLike, platform: string): ModifierName[] {
  const mac = isMacPlatform(platform);
  const held = new Set<ModifierName>();
  if (e.metaKey) held.add(mac ? 'cmd' : 'super');
  if (e.ctrlKey) held.add('ctrl');
  if (e.altKey) held.add('alt');
  if (e.shiftKey) held.add('shift');
  return MODIFIER_ORDER.filter((m) => held.has(m));
}

/**
 * The engine's name for the key of `e` (without its modifiers): `{ key, shiftUsed }`, where `shiftUsed` says the
 * character already contains Shift (so Shift must not be pressed again), or `{ why }` when Conductor cannot press it.
 * Letters are written lower case; with Shift held, digits and US punctuation are their unshifted keys ("1", "="); a
 * letter key with Option/Alt is that letter (macOS Option composes "å" from A).
 */
export function keyName(e: Pick<KeyEventLike, 'key' | 'code' | 'shiftKey' | 'altKey'>): { key: string; shiftUsed: boolean } | { why: string } {
  const named = NAMED[e.key];
  if (named) return { key: named, shiftUsed: false };
  const f = /^F([1-9]|1[0-9]|20)$/.exec(e.key);
  if (f) return { key: `f${f[1]}`, shiftUsed: false };
  const unsupported = unsupportedKey(e.key);
  if (unsupported) return { why: unsupported };
  const letter = /^Key([A-Z])$/.exec(e.code);
  const digit = /^(?:Digit|Numpad)(\d)$/.exec(e.code);
  if ([...e.key].length === 1) {
    if (/^[a-z]$/i.test(e.key)) return { key: e.key.toLowerCase(), shiftUsed: false };
    // A letter key giving another character with Option/Alt (macOS Option+A = "å"): the letter, as the shortcut names it.
    if (letter?.[1] && (e.altKey || !/^\p{L}$/u.test(e.key))) return { key: letter[1].toLowerCase(), shiftUsed: false };
    if (/^\p{L}$/u.test(e.key)) return { key: e.key.toLowerCase(), shiftUsed: false };
    if (e.shiftKey && digit?.[1]) return { key: digit[1], shiftUsed: false };
    const base = US_BASE[e.code];
    if (e.shiftKey && base) return { key: base, shiftUsed: false };
    return { key: e.key, shiftUsed: e.shiftKey && e.key.toLowerCase() === e.key.toUpperCase() };
  }
  if (letter?.[1]) return { key: letter[1].toLowerCase(), shiftUsed: false };
  if (digit?.[1]) return { key: digit[1], shiftUsed: false };
  if (e.code === 'NumpadEnter') return { key: 'enter', shiftUsed: false };
  return { why: `Conductor has no name for the key "${e.key}"; type its name in the Key field` };
}

/** One key event while capture is armed → what to do with it. */
export function captureStep(e: KeyEventLike, platform: string): CaptureStep {
  const held = heldModifiers(e, platform);
  if (e.type === 'keyup') {
    if (!MODIFIER_KEYS.has(e.key)) return { kind: 'waiting', held };
    // The last modifier went up and no other key came: a modifier on its own, which the engine cannot press.
    if (held.length === 0) return { kind: 'unsupported', why: 'Conductor cannot press a modifier on its own: hold it and press another key' };
    return { kind: 'waiting', held };
  }
  if (MODIFIER_KEYS.has(e.key)) return { kind: 'waiting', held };
  if (e.key === 'Escape' && held.length === 0) return { kind: 'cancel' };
  const name = keyName(e);
  if ('why' in name) return { kind: 'unsupported', why: name.why };
  return { kind: 'done', keys: name.key, modifiers: name.shiftUsed ? held.filter((m) => m !== 'shift') : held };
}

/** `keys` as the engine splits it ("ctrl+shift+a", "ctrl++") plus `modifiers` → the modifiers and the key, for keycaps. */
export function chordParts(keys: string, modifiers: readonly string[]): { modifiers: string[]; key: string } {
  const parts = keys.length > 1 && keys.includes('+') ? keys.split('+') : [keys];
  if (keys.endsWith('++')) parts.splice(parts.length - 2, 2, '+');
  const key = parts.pop() ?? '';
  const mods: string[] = [];
  for (const m of [...modifiers, ...parts]) {
    const name = m.trim().toLowerCase();
    if (name !== '' && !mods.includes(name)) mods.push(name);
  }
  return { modifiers: mods, key };
}

const MOD_LABELS: Record<string, { mac: string; other: string }> = {
  cmd: { mac: '⌘ Cmd', other: 'Cmd (Ctrl)' },
  command: { mac: '⌘ Cmd', other: 'Cmd (Ctrl)' },
  ctrl: { mac: '⌃ Ctrl', other: 'Ctrl' },
  control: { mac: '⌃ Ctrl', other: 'Ctrl' },
  alt: { mac: '⌥ Option', other: 'Alt' },
  option: { mac: '⌥ Option', other: 'Alt' },
  opt: { mac: '⌥ Option', other: 'Alt' },
  shift: { mac: '⇧ Shift', other: 'Shift' },
  super: { mac: '⌘ Cmd', other: 'Super' },
  win: { mac: '⌘ Cmd', other: 'Win' },
  meta: { mac: '⌘ Cmd', other: 'Super' },
  logo: { mac: '⌘ Cmd', other: 'Super' },
};

const KEY_LABELS: Record<string, string> = {
  space: 'Space',
  enter: 'Enter',
  return: 'Enter',
  tab: 'Tab',
  escape: 'Esc',
  esc: 'Esc',
  backspace: 'Backspace',
  delete: 'Delete',
  del: 'Delete',
  insert: 'Insert',
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  home: 'Home',
  end: 'End',
  pageup: 'Page Up',
  pagedown: 'Page Down',
};

/** The keycaps of a chord, e.g. ["Ctrl", "Shift", "K"] (macOS: "⌘ Cmd"…); [] when there is no key yet. */
export function keycaps(keys: string, modifiers: readonly string[], platform: string): string[] {
  if (keys === '') return [];
  const mac = isMacPlatform(platform);
  const parts = chordParts(keys, modifiers);
  const mods = parts.modifiers.map((m) => {
    const label = MOD_LABELS[m];
    return label ? (mac ? label.mac : label.other) : m;
  });
  const k = parts.key;
  const norm = k.trim().toLowerCase().replace(/[-_ ]/g, '');
  const key = [...k].length === 1 ? (k === ' ' ? 'Space' : k.toUpperCase()) : (KEY_LABELS[norm] ?? (/^f\d+$/.test(norm) ? norm.toUpperCase() : k));
  return [...mods, key];
}
