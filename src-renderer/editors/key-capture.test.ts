// The key-capture mapping: browser key events → the Keystroke action's keys and modifiers, checked against the
// engine's own parser (parseChord), so a captured shortcut is always one the engine presses.
import { describe, expect, it } from 'vitest';
import { parseChord } from '../../src-main/actions/keystroke';
import { captureStep, chordParts, heldModifiers, isMacPlatform, keycaps, keyName, type KeyEventLike } from './key-capture';

const MAC = 'MacIntel';
const LINUX = 'Linux x86_64';
const WIN = 'Win32';

function down(key: string, code: string, mods: Partial<Pick<KeyEventLike, 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey'>> = {}): KeyEventLike {
  return { type: 'keydown', key, code, ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, ...mods };
}
function up(key: string, code: string, mods: Partial<Pick<KeyEventLike, 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey'>> = {}): KeyEventLike {
  return { ...down(key, code, mods), type: 'keyup' };
}

describe('captureStep', () => {
  it('captures Ctrl+Shift+K as keys "k" with ctrl and shift', () => {
    expect(captureStep(down('K', 'KeyK', { ctrlKey: true, shiftKey: true }), LINUX)).toEqual({ kind: 'done', keys: 'k', modifiers: ['ctrl', 'shift'] });
  });

  it('waits while only modifiers are down, and says what is held', () => {
    expect(captureStep(down('Control', 'ControlLeft', { ctrlKey: true }), LINUX)).toEqual({ kind: 'waiting', held: ['ctrl'] });
    expect(captureStep(down('Shift', 'ShiftLeft', { ctrlKey: true, shiftKey: true }), LINUX)).toEqual({ kind: 'waiting', held: ['ctrl', 'shift'] });
    expect(captureStep(up('Shift', 'ShiftLeft', { ctrlKey: true }), LINUX)).toEqual({ kind: 'waiting', held: ['ctrl'] });
  });

  it('reports a modifier pressed and released on its own (the engine cannot press one alone)', () => {
    const step = captureStep(up('Control', 'ControlLeft'), LINUX);
    expect(step.kind).toBe('unsupported');
    expect(parseChord('ctrl', [], 'linux').ok).toBe(false);
  });

  it('cancels on Escape alone, captures Escape with a modifier', () => {
    expect(captureStep(down('Escape', 'Escape'), LINUX)).toEqual({ kind: 'cancel' });
    expect(captureStep(down('Escape', 'Escape', { shiftKey: true }), LINUX)).toEqual({ kind: 'done', keys: 'escape', modifiers: ['shift'] });
  });

  it('maps Meta to cmd on macOS and to super elsewhere', () => {
    expect(captureStep(down('s', 'KeyS', { metaKey: true }), MAC)).toEqual({ kind: 'done', keys: 's', modifiers: ['cmd'] });
    expect(captureStep(down('s', 'KeyS', { metaKey: true }), LINUX)).toEqual({ kind: 'done', keys: 's', modifiers: ['super'] });
    expect(captureStep(down('s', 'KeyS', { metaKey: true }), WIN)).toEqual({ kind: 'done', keys: 's', modifiers: ['super'] });
    expect(captureStep(down('s', 'KeyS', { ctrlKey: true }), MAC)).toEqual({ kind: 'done', keys: 's', modifiers: ['ctrl'] });
  });

  it('writes modifiers in the editor order whatever order they were pressed in', () => {
    expect(heldModifiers(down('x', 'KeyX', { shiftKey: true, altKey: true, ctrlKey: true, metaKey: true }), MAC)).toEqual(['cmd', 'ctrl', 'alt', 'shift']);
    expect(heldModifiers(down('x', 'KeyX', { shiftKey: true, altKey: true, ctrlKey: true, metaKey: true }), LINUX)).toEqual(['ctrl', 'alt', 'shift', 'super']);
  });

  it('refuses keys the engine cannot press and keeps listening', () => {
    for (const [key, code] of [
      ['F21', 'F21'],
      ['AudioVolumeUp', 'AudioVolumeUp'],
      ['MediaPlayPause', 'MediaPlayPause'],
      ['Dead', 'BracketLeft'],
      ['Unidentified', ''],
      ['CapsLock', 'CapsLock'],
    ] as const) {
      expect(captureStep(down(key, code), LINUX).kind, key).toBe('unsupported');
    }
  });
});

describe('keyName: the engine key names', () => {
  const cases: [KeyEventLike, string][] = [
    [down('a', 'KeyA'), 'a'],
    [down('A', 'KeyA', { shiftKey: true }), 'a'],
    [down('A', 'KeyA'), 'a'], // Caps Lock
    [down('7', 'Digit7'), '7'],
    [down('&', 'Digit7', { shiftKey: true }), '7'],
    [down('5', 'Numpad5'), '5'],
    [down(' ', 'Space'), 'space'],
    [down('Enter', 'Enter'), 'enter'],
    [down('Enter', 'NumpadEnter'), 'enter'],
    [down('Tab', 'Tab'), 'tab'],
    [down('Backspace', 'Backspace'), 'backspace'],
    [down('Delete', 'Delete'), 'delete'],
    [down('Insert', 'Insert'), 'insert'],
    [down('Home', 'Home'), 'home'],
    [down('End', 'End'), 'end'],
    [down('PageUp', 'PageUp'), 'pageup'],
    [down('PageDown', 'PageDown'), 'pagedown'],
    [down('ArrowUp', 'ArrowUp'), 'up'],
    [down('ArrowDown', 'ArrowDown'), 'down'],
    [down('ArrowLeft', 'ArrowLeft'), 'left'],
    [down('ArrowRight', 'ArrowRight'), 'right'],
    [down('F1', 'F1'), 'f1'],
    [down('F12', 'F12'), 'f12'],
    [down('F20', 'F20'), 'f20'],
    [down('-', 'Minus'), '-'],
    [down('_', 'Minus', { shiftKey: true }), '-'],
    [down('+', 'Equal', { shiftKey: true }), '='],
    [down('/', 'Slash'), '/'],
    [down('å', 'KeyA', { altKey: true }), 'a'], // macOS Option+A
    [down('q', 'KeyA'), 'q'], // AZERTY: the character, not the position
    [down('é', 'Digit2'), 'é'],
    [down('+', 'NumpadAdd'), '+'],
  ];
  it.each(cases)('%o → %s', (event, expected) => {
    const name = keyName(event);
    expect(name).toMatchObject({ key: expected });
    // Whatever capture writes, the engine parses.
    const step = captureStep(event, LINUX);
    expect(step.kind).toBe('done');
    if (step.kind === 'done') expect(parseChord(step.keys, step.modifiers, 'linux').ok).toBe(true);
  });

  it('drops Shift when the character already carries it (a shifted key of an unknown layout)', () => {
    expect(captureStep(down('@', 'IntlBackslash', { shiftKey: true, ctrlKey: true }), LINUX)).toEqual({ kind: 'done', keys: '@', modifiers: ['ctrl'] });
  });

  it('every captured modifier is one the engine knows, on every platform', () => {
    for (const platform of [MAC, LINUX, WIN]) {
      const step = captureStep(down('k', 'KeyK', { ctrlKey: true, shiftKey: true, altKey: true, metaKey: true }), platform);
      expect(step.kind).toBe('done');
      if (step.kind === 'done') expect(parseChord(step.keys, step.modifiers, isMacPlatform(platform) ? 'darwin' : 'linux').ok).toBe(true);
    }
  });
});

describe('isMacPlatform', () => {
  it('reads navigator.platform', () => {
    expect(isMacPlatform('MacIntel')).toBe(true);
    expect(isMacPlatform('iPad')).toBe(true);
    expect(isMacPlatform('darwin')).toBe(true);
    expect(isMacPlatform('Linux x86_64')).toBe(false);
    expect(isMacPlatform('Win32')).toBe(false);
    expect(isMacPlatform('')).toBe(false);
  });
});

describe('chordParts and keycaps', () => {
  it('splits keys the way the engine does', () => {
    expect(chordParts('ctrl+shift+a', [])).toEqual({ modifiers: ['ctrl', 'shift'], key: 'a' });
    expect(chordParts('ctrl++', [])).toEqual({ modifiers: ['ctrl'], key: '+' });
    expect(chordParts('+', ['alt'])).toEqual({ modifiers: ['alt'], key: '+' });
    expect(chordParts('a', ['ctrl', 'Ctrl'])).toEqual({ modifiers: ['ctrl'], key: 'a' });
  });

  it('labels keycaps per platform', () => {
    expect(keycaps('k', ['ctrl', 'shift'], LINUX)).toEqual(['Ctrl', 'Shift', 'K']);
    expect(keycaps('k', ['cmd', 'shift'], MAC)).toEqual(['⌘ Cmd', '⇧ Shift', 'K']);
    expect(keycaps('pageup', ['super'], LINUX)).toEqual(['Super', 'Page Up']);
    expect(keycaps('f5', [], WIN)).toEqual(['F5']);
    expect(keycaps('space', [], LINUX)).toEqual(['Space']);
    expect(keycaps('', ['ctrl'], LINUX)).toEqual([]);
  });
});
