// Keystroke and Text: the clear error when no tool exists (as on the build machines), and the exact argv each
// platform's tool receives — checked by real stub executables on a temp PATH that record their arguments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../common/test-support/manual-clock';
import { Engine } from '../engine/engine';
import { makeConfig, mapping, midi } from '../engine/test-support/test-config';
import { systemTimer } from '../common/clock';
import { findExecutable } from './process';
import { keystroke, keystrokeArgv, modifierOf, parseChord, sendKeysText, typeText } from './keystroke';

const posix = process.platform !== 'win32';
let dir: string;
let emptyDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-keys-'));
  emptyDir = mkdtempSync(join(tmpdir(), 'conductor-nokeys-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(emptyDir, { recursive: true, force: true });
});

/** A fake tool on PATH that writes each argument on its own line to <dir>/<name>.args (NUL-separated). */
function stub(name: string, exitCode = 0): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done > "${join(dir, `${name}.args`)}"\n${exitCode ? `echo "${name} failed" >&2\n` : ''}exit ${exitCode}\n`);
  chmodSync(path, 0o755);
  return path;
}
const argsOf = (name: string): string[] => readFileSync(join(dir, `${name}.args`), 'utf8').split('\0').slice(0, -1);
const keyDeps = (platform: NodeJS.Platform, env: Record<string, string>) => ({ timer: systemTimer, platform, env, timeoutMs: 10_000 });

describe('when no tool is installed', () => {
  it('says which tools Keystroke and Text need', async () => {
    const env = { PATH: emptyDir, DISPLAY: ':0' };
    expect(await keystroke({ type: 'Keystroke', keys: 'space' }, keyDeps('linux', env))).toEqual({
      ok: false,
      error: 'Keystroke needs xdotool (X11) or wtype or ydotool (Wayland); none found on PATH',
    });
    expect(await typeText({ type: 'Text', text: 'hello' }, keyDeps('linux', { PATH: emptyDir, WAYLAND_DISPLAY: 'wayland-0' }))).toEqual({
      ok: false,
      error: 'Text needs xdotool (X11) or wtype or ydotool (Wayland); none found on PATH',
    });
    expect(await keystroke({ type: 'Keystroke', keys: 'a' }, keyDeps('darwin', { PATH: emptyDir }))).toMatchObject({ error: 'Keystroke needs osascript (macOS); not found on PATH' });
    expect(await typeText({ type: 'Text', text: 'a' }, keyDeps('win32', { PATH: emptyDir }))).toMatchObject({ error: 'Text needs PowerShell (powershell.exe or pwsh.exe); not found on PATH' });
  });

  it('reports it as an action error through the engine, on this machine’s own PATH', async () => {
    const available = await Promise.all(['xdotool', 'wtype', 'ydotool'].map((t) => findExecutable(t, process.env, 'linux')));
    if (available.some((p) => p !== null)) return; // a machine with a tool installed tests it through the stubs below
    const clock = new ManualClock();
    const engine = new Engine({
      config: makeConfig([{ name: 'Default', mappings: [mapping('copy', { type: 'Note', note: 60 }, { type: 'Keystroke', keys: 'c', modifiers: ['cmd'] })] }]),
      clock,
      timer: systemTimer,
      platform: 'linux',
    });
    const errors: string[] = [];
    engine.onDidEngineEvent((e) => e.kind === 'action-error' && errors.push(e.error));
    engine.handle(midi(clock).on(60));
    await engine.idle();
    await engine.dispose();
    expect(errors).toEqual(['Keystroke needs xdotool (X11) or wtype or ydotool (Wayland); none found on PATH']);
  });

  it('refuses unknown keys and modifiers before looking for tools', async () => {
    expect(await keystroke({ type: 'Keystroke', keys: 'a', modifiers: ['hyper'] }, keyDeps('linux', { PATH: emptyDir }))).toMatchObject({
      error: expect.stringMatching(/^Keystroke: unknown modifier "hyper" \(use one of: cmd, command, ctrl/),
    });
    expect(await keystroke({ type: 'Keystroke', keys: 'launchpad' }, keyDeps('linux', { PATH: emptyDir }))).toMatchObject({
      error: expect.stringMatching(/^Keystroke: unknown key "launchpad"/),
    });
  });
});

describe('modifiers and keys', () => {
  it('maps cmd to ⌘ on macOS and to Ctrl elsewhere; super/win/meta to the Super key', () => {
    expect(modifierOf('cmd', 'darwin')).toBe('super');
    expect(modifierOf('CMD', 'linux')).toBe('ctrl');
    expect(modifierOf('cmd', 'win32')).toBe('ctrl');
    expect(modifierOf('option', 'darwin')).toBe('alt');
    expect(modifierOf('win', 'linux')).toBe('super');
    expect(modifierOf('hyper', 'linux')).toBeNull();
  });

  it('accepts "ctrl+shift+a" style keys as well as a modifiers list, without duplicates', () => {
    expect(parseChord('ctrl+shift+a', ['ctrl'], 'linux')).toEqual({ ok: true, chord: { key: { char: 'a' }, modifiers: ['ctrl', 'shift'] } });
    expect(parseChord('Page_Up', [], 'linux')).toEqual({ ok: true, chord: { key: { named: 'pageup' }, modifiers: [] } });
    expect(parseChord('ctrl++', [], 'linux')).toEqual({ ok: true, chord: { key: { char: '+' }, modifiers: ['ctrl'] } });
    expect(parseChord('F13', [], 'linux')).toEqual({ ok: true, chord: { key: { named: 'f13' }, modifiers: [] } });
  });

  it('builds SendKeys strings for Windows', () => {
    const decode = (argv: string[]): string => Buffer.from(argv.at(-1) ?? '', 'base64').toString('utf16le');
    const chord = parseChord('s', ['ctrl', 'shift'], 'win32');
    const argv = chord.ok ? keystrokeArgv('powershell', 'powershell.exe', chord.chord) : null;
    expect(argv?.ok && argv.argv.slice(0, 4)).toEqual(['powershell.exe', '-NoProfile', '-NonInteractive', '-EncodedCommand']);
    expect(argv?.ok && decode(argv.argv)).toBe("Add-Type -AssemblyName System.Windows.Forms; [System.Windows.Forms.SendKeys]::SendWait('^+s')");
    expect(sendKeysText("50% (it's) {x}\n")).toBe("50{%} {(}it's{)} {{}x{}}{ENTER}");
    const win = parseChord('a', ['win'], 'win32');
    expect(win.ok && keystrokeArgv('powershell', 'powershell.exe', win.chord)).toEqual({ ok: false, error: 'Windows SendKeys cannot press the Windows key' });
  });
});

describe.runIf(posix)('with the tool on PATH', () => {
  it('xdotool (X11): key combo with X keysyms; text typed literally after --', async () => {
    stub('xdotool');
    const env = { PATH: dir, DISPLAY: ':0' };
    expect(await keystroke({ type: 'Keystroke', keys: 'enter', modifiers: ['cmd', 'shift'] }, keyDeps('linux', env))).toMatchObject({ ok: true, detail: 'via xdotool' });
    expect(argsOf('xdotool')).toEqual(['key', '--clearmodifiers', 'ctrl+shift+Return']);
    await keystroke({ type: 'Keystroke', keys: '/' }, keyDeps('linux', env));
    expect(argsOf('xdotool')).toEqual(['key', '--clearmodifiers', 'slash']);
    expect(await typeText({ type: 'Text', text: '--help $(id) "q"' }, keyDeps('linux', env))).toMatchObject({ ok: true });
    expect(argsOf('xdotool')).toEqual(['type', '--clearmodifiers', '--', '--help $(id) "q"']);
  });

  it('prefers wtype in a Wayland session, then ydotool with key codes', async () => {
    stub('wtype');
    const env = { PATH: dir, WAYLAND_DISPLAY: 'wayland-0' };
    await keystroke({ type: 'Keystroke', keys: 'v', modifiers: ['ctrl', 'super'] }, keyDeps('linux', env));
    expect(argsOf('wtype')).toEqual(['-M', 'ctrl', '-M', 'logo', '-k', 'v', '-m', 'logo', '-m', 'ctrl']);
    await typeText({ type: 'Text', text: 'héllo' }, keyDeps('linux', env));
    expect(argsOf('wtype')).toEqual(['--', 'héllo']);
    rmSync(join(dir, 'wtype'));
    stub('ydotool');
    await keystroke({ type: 'Keystroke', keys: 'c', modifiers: ['ctrl'] }, keyDeps('linux', env));
    expect(argsOf('ydotool')).toEqual(['key', '29:1', '46:1', '46:0', '29:0']);
  });

  it('osascript (macOS): System Events keystroke with ⌘ and escaped text, key codes for named keys', async () => {
    stub('osascript');
    const env = { PATH: dir };
    await keystroke({ type: 'Keystroke', keys: 'c', modifiers: ['cmd', 'alt'] }, keyDeps('darwin', env));
    expect(argsOf('osascript')).toEqual(['-e', 'tell application "System Events" to keystroke "c" using {command down, option down}']);
    await keystroke({ type: 'Keystroke', keys: 'left' }, keyDeps('darwin', env));
    expect(argsOf('osascript')).toEqual(['-e', 'tell application "System Events" to key code 123']);
    await typeText({ type: 'Text', text: 'say "hi" \\ bye' }, keyDeps('darwin', env));
    expect(argsOf('osascript')).toEqual(['-e', 'tell application "System Events" to keystroke "say \\"hi\\" \\\\ bye"']);
  });

  it("reports the tool's own failure with its stderr", async () => {
    stub('xdotool', 1);
    const result = await keystroke({ type: 'Keystroke', keys: 'a' }, keyDeps('linux', { PATH: dir, DISPLAY: ':0' }));
    expect(result).toMatchObject({ ok: false, error: 'Keystroke: xdotool exited with code 1: xdotool failed', process: { exitCode: 1 } });
  });
});
