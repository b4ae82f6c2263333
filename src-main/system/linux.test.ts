import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppSourceError } from './frontmost-app';
import { LinuxAppReader, appFromProc, listProcesses, parseActiveWindow, parseWindowProps, parseXdotool, unquoteXprop } from './linux';
import type { RunTool, ToolOutput } from './run-tool';

// Output captured from xprop 1.2.4 (x11-utils) against Xvfb, with xmessage windows (issue #17).
const ROOT_CARDINAL = '_NET_ACTIVE_WINDOW(CARDINAL) = 4194352\n';
const ROOT_CARDINAL_ZERO = '_NET_ACTIVE_WINDOW(CARDINAL) = 0\n';
const ROOT_NO_ATOM = '_NET_ACTIVE_WINDOW:  no such atom on any window.\n';
// What xprop prints for a window manager's property (type WINDOW), e.g. under Openbox, Xfwm4, Mutter, KWin.
const ROOT_WM = '_NET_ACTIVE_WINDOW(WINDOW): window id # 0x3a00007\n';
const ROOT_WM_NONE = '_NET_ACTIVE_WINDOW(WINDOW): window id # 0x0\n';
const WINDOW_UTF8 = [
  '_NET_WM_PID(CARDINAL) = 16556',
  'WM_CLASS(STRING) = "hf-scratchpad", "Xmessage"',
  '_NET_WM_NAME(UTF8_STRING) = "Beta – ünï"',
  'WM_NAME(COMPOUND_TEXT) = "Beta – ünï"',
  '',
].join('\n');
const WINDOW_C_LOCALE = [
  '_NET_WM_PID(CARDINAL) = 16556',
  'WM_CLASS(STRING) = "hf-scratchpad", "Xmessage"',
  '_NET_WM_NAME(UTF8_STRING) = "Beta \\342\\200\\223 \\303\\274n\\303\\257"',
  'WM_NAME(COMPOUND_TEXT) = "Beta \\033%G\\342\\200\\223\\033%@ \\374n\\357"',
  '',
].join('\n');
const WINDOW_XT = ['_NET_WM_PID:  not found.', 'WM_CLASS(STRING) = "xmessage", "Xmessage"', '_NET_WM_NAME:  not found.', 'WM_NAME(STRING) = "Alpha doc"', ''].join('\n');

describe('xprop output', () => {
  it('reads the active window id in each form xprop prints it', () => {
    expect(parseActiveWindow(ROOT_CARDINAL)).toBe(0x400030);
    expect(parseActiveWindow(ROOT_WM)).toBe(0x3a00007);
    expect(parseActiveWindow(ROOT_CARDINAL_ZERO)).toBeNull();
    expect(parseActiveWindow(ROOT_WM_NONE)).toBeNull();
    expect(parseActiveWindow(ROOT_NO_ATOM)).toBeNull();
    expect(parseActiveWindow('')).toBeNull();
  });

  it('reads pid, WM_CLASS and the title, preferring _NET_WM_NAME', () => {
    const expected = { pid: 16556, windowClass: { instance: 'hf-scratchpad', className: 'Xmessage' }, title: 'Beta – ünï' };
    expect(parseWindowProps(WINDOW_UTF8)).toEqual(expected);
    expect(parseWindowProps(WINDOW_C_LOCALE)).toEqual(expected);
    expect(parseWindowProps(WINDOW_XT)).toEqual({ pid: null, windowClass: { instance: 'xmessage', className: 'Xmessage' }, title: 'Alpha doc' });
    expect(parseWindowProps('')).toEqual({ pid: null, windowClass: null, title: null });
  });

  it('undoes xprop string escapes', () => {
    expect(unquoteXprop('"say \\"hi\\" \\\\ now"')).toBe('say "hi" \\ now');
    expect(unquoteXprop('"\\303\\274ber 🎹"')).toBe('über 🎹');
    expect(parseWindowProps('WM_CLASS(STRING) = "a, \\"b\\"", "C"\n').windowClass).toEqual({ instance: 'a, "b"', className: 'C' });
  });
});

// Output captured from xdotool 3.20160805.1 (Debian 12) under Xvfb; the class line is what xdotool 3.2021+ prints.
const XDOTOOL_WITH_PID = 'Alpha doc\n27560\n';
const XDOTOOL_NO_PID = 'Alpha doc\n'; // stderr "window 2097200 has no pid associated with it.", exit code 1
const XDOTOOL_OLD_CLASS_STDERR = "xdotool: Unknown command: getwindowclassname\nRun 'xdotool help' if you want a command list\n";

describe('xdotool output', () => {
  it('reads title and pid lines (the pid line may be missing) and the class when the xdotool has getwindowclassname', () => {
    expect(parseXdotool(XDOTOOL_WITH_PID)).toEqual({ pid: 27560, windowClass: null, title: 'Alpha doc' });
    expect(parseXdotool(XDOTOOL_NO_PID, 'Xmessage\n')).toEqual({ pid: null, windowClass: { instance: 'Xmessage', className: 'Xmessage' }, title: 'Alpha doc' });
    expect(parseXdotool('')).toBeNull();
  });
});

/** A stand-in /proc: a user process (exe readable), another user's (no exe link), a kernel thread. */
function fakeProc(): string {
  const root = mkdtempSync(join(tmpdir(), 'conductor-proc-'));
  const proc = (pid: number, comm: string, cmdline: string, exe: string | null): void => {
    const dir = join(root, String(pid));
    mkdirSync(dir);
    writeFileSync(join(dir, 'comm'), `${comm}\n`);
    writeFileSync(join(dir, 'cmdline'), cmdline);
    if (exe !== null) symlinkSync(exe, join(dir, 'exe'));
  };
  proc(16556, 'hf-scratchpad', '/tmp/hf-scratchpad\0-title\0Beta\0', '/tmp/hf-scratchpad');
  proc(4242, 'gnome-terminal-', '/usr/libexec/gnome-terminal-server\0', '/usr/libexec/gnome-terminal-server');
  proc(777, 'Xorg', '/usr/lib/xorg/Xorg\0:0\0', null);
  proc(2, 'kthreadd', '', null);
  proc(900, 'chrome', '/opt/google/chrome/chrome --type=renderer --lang=en', null);
  mkdirSync(join(root, 'self-not-a-pid'));
  writeFileSync(join(root, 'uptime'), '1 1\n');
  return root;
}

const procRoot = fakeProc();
afterAll(() => rmSync(procRoot, { recursive: true, force: true }));

describe('/proc', () => {
  it('lists user processes by executable name (from exe, else argv[0]), skipping kernel threads', async () => {
    const apps = await listProcesses(procRoot);
    const byPid = new Map(apps.map((a) => [a.pid, a]));
    expect([...byPid.keys()].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([777, 900, 4242, 16556]);
    expect(byPid.get(4242)).toMatchObject({ name: 'gnome-terminal-server', executable: 'gnome-terminal-server', path: '/usr/libexec/gnome-terminal-server' });
    expect(byPid.get(777)).toMatchObject({ name: 'Xorg', executable: 'Xorg', path: null });
    expect(byPid.get(900)).toMatchObject({ executable: 'chrome' });
  });

  it('a deleted executable keeps its name', () => {
    expect(appFromProc({ pid: 5, comm: 'code', exe: '/usr/share/code/code (deleted)', argv0: null })).toMatchObject({ executable: 'code', path: '/usr/share/code/code' });
  });

  it('fails with a typed error when /proc cannot be read', async () => {
    await expect(listProcesses(join(procRoot, 'missing'))).rejects.toBeInstanceOf(AppSourceError);
  });
});

/** Answers each argv from a table of captured outputs; records what was run. */
function scripted(table: Record<string, ToolOutput | 'missing'>): RunTool & { calls: string[] } {
  const calls: string[] = [];
  const run = (argv: readonly string[]): Promise<ToolOutput> => {
    const key = argv.join(' ');
    calls.push(key);
    const answer = table[key] ?? table[argv[0] as string];
    if (answer === undefined || answer === 'missing') return Promise.reject(new AppSourceError('no-tool', `${argv[0]} is not installed`));
    return Promise.resolve(answer);
  };
  return Object.assign(run, { calls });
}

const ok = (stdout: string): ToolOutput => ({ stdout, stderr: '', exitCode: 0 });
const WINDOW_ARGV = 'xprop -id 0x400030 _NET_WM_PID WM_CLASS _NET_WM_NAME WM_NAME';

describe('LinuxAppReader', () => {
  const x11 = { DISPLAY: ':0' };

  it('asks xprop for the active window, then its properties, and describes the process from /proc', async () => {
    const runTool = scripted({ 'xprop -root _NET_ACTIVE_WINDOW': ok(ROOT_CARDINAL), [WINDOW_ARGV]: ok(WINDOW_UTF8) });
    const reader = new LinuxAppReader({ env: x11, runTool, procRoot });
    expect(await reader.frontmost()).toEqual({
      name: 'Xmessage',
      executable: 'hf-scratchpad',
      path: '/tmp/hf-scratchpad',
      pid: 16556,
      title: 'Beta – ünï',
      windowClass: { instance: 'hf-scratchpad', className: 'Xmessage' },
      bundleId: null,
    });
    expect(runTool.calls).toEqual(['xprop -root _NET_ACTIVE_WINDOW', WINDOW_ARGV]);
  });

  it('without _NET_WM_PID, names the app by its WM_CLASS', async () => {
    const runTool = scripted({ 'xprop -root _NET_ACTIVE_WINDOW': ok(ROOT_CARDINAL), [WINDOW_ARGV]: ok(WINDOW_XT) });
    const app = await new LinuxAppReader({ env: x11, runTool, procRoot }).frontmost();
    expect(app).toMatchObject({ name: 'Xmessage', pid: null, executable: null, windowClass: { instance: 'xmessage', className: 'Xmessage' }, title: 'Alpha doc' });
  });

  it('no active window, or one that closed between the two reads, is null', async () => {
    expect(await new LinuxAppReader({ env: x11, runTool: scripted({ xprop: ok(ROOT_NO_ATOM) }), procRoot }).frontmost()).toBeNull();
    const closed = scripted({
      'xprop -root _NET_ACTIVE_WINDOW': ok(ROOT_CARDINAL),
      [WINDOW_ARGV]: { stdout: 'WM_CLASS', stderr: 'X Error of failed request:  BadWindow (invalid Window parameter)\n', exitCode: 1 },
    });
    expect(await new LinuxAppReader({ env: x11, runTool: closed, procRoot }).frontmost()).toBeNull();
  });

  it('a display it cannot open is a typed failure', async () => {
    const runTool = scripted({ xprop: { stdout: '', stderr: "xprop:  unable to open display ':77'\n", exitCode: 1 } });
    await expect(new LinuxAppReader({ env: { DISPLAY: ':77' }, runTool, procRoot }).frontmost()).rejects.toMatchObject({ reason: 'failed', message: expect.stringContaining("unable to open display ':77'") });
  });

  it('falls back to xdotool when xprop is missing, and names both packages when neither exists', async () => {
    const oldXdotool = scripted({
      xprop: 'missing',
      'xdotool getactivewindow getwindowname getwindowpid': ok('Beta\n16556\n'),
      'xdotool getactivewindow getwindowclassname': { stdout: '', stderr: XDOTOOL_OLD_CLASS_STDERR, exitCode: 1 },
      'xdotool version': ok('xdotool version 3.20160805.1\n'),
    });
    const reader = new LinuxAppReader({ env: x11, runTool: oldXdotool, procRoot });
    expect(await reader.frontmost()).toMatchObject({ name: 'hf-scratchpad', executable: 'hf-scratchpad', pid: 16556, title: 'Beta', windowClass: null });
    expect(await reader.status()).toEqual({ available: true, via: 'xdotool' });
    const noPid = scripted({
      xprop: 'missing',
      'xdotool getactivewindow getwindowname getwindowpid': { stdout: XDOTOOL_NO_PID, stderr: 'window 2097200 has no pid associated with it.\n', exitCode: 1 },
      'xdotool getactivewindow getwindowclassname': ok('Xmessage\n'),
    });
    expect(await new LinuxAppReader({ env: x11, runTool: noPid, procRoot }).frontmost()).toMatchObject({ name: 'Xmessage', pid: null, title: 'Alpha doc' });
    const noActive = scripted({
      xprop: 'missing',
      xdotool: { stdout: '', stderr: 'XGetWindowProperty[_NET_ACTIVE_WINDOW] failed (code=1)\nxdo_get_active_window reported an error\n', exitCode: 1 },
    });
    expect(await new LinuxAppReader({ env: x11, runTool: noActive, procRoot }).frontmost()).toBeNull();
    const noDisplay = scripted({ xprop: 'missing', xdotool: { stdout: '', stderr: "Error: Can't open display: (null)\nFailed creating new xdo instance\n", exitCode: 1 } });
    await expect(new LinuxAppReader({ env: x11, runTool: noDisplay, procRoot }).frontmost()).rejects.toMatchObject({ reason: 'failed' });
    const none = new LinuxAppReader({ env: x11, runTool: scripted({ xprop: 'missing', xdotool: 'missing' }), procRoot });
    await expect(none.frontmost()).rejects.toMatchObject({ reason: 'no-tool', message: expect.stringContaining('x11-utils') });
    expect(await none.status()).toMatchObject({ available: false, reason: 'no-tool' });
  });

  it('on Wayland without X says so and runs nothing; running apps still come from /proc', async () => {
    const runTool = scripted({ xprop: ok(ROOT_CARDINAL) });
    const reader = new LinuxAppReader({ env: { WAYLAND_DISPLAY: 'wayland-0' }, runTool, procRoot });
    const err = await reader.frontmost().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppSourceError);
    expect(err).toMatchObject({ reason: 'wayland', message: expect.stringContaining('frontmost app unavailable on Wayland without X') });
    expect(await reader.status()).toMatchObject({ available: false, reason: 'wayland' });
    expect(runTool.calls).toEqual([]);
    expect((await reader.running()).length).toBe(4);
    await expect(new LinuxAppReader({ env: {}, runTool, procRoot }).frontmost()).rejects.toMatchObject({ reason: 'no-display' });
  });

  it('with XWayland (DISPLAY and WAYLAND_DISPLAY both set) reads X', async () => {
    const runTool = scripted({ 'xprop -root _NET_ACTIVE_WINDOW': ok(ROOT_CARDINAL), [WINDOW_ARGV]: ok(WINDOW_UTF8) });
    const reader = new LinuxAppReader({ env: { DISPLAY: ':0', WAYLAND_DISPLAY: 'wayland-0' }, runTool, procRoot });
    expect(await reader.frontmost()).toMatchObject({ name: 'Xmessage' });
  });
});
