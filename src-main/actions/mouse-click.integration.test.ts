// MouseClick: the clear error when no tool exists, the exact argv each platform's tool receives (real stub
// executables on a temp PATH that record their arguments), config reading, and on Linux a real click by xdotool on a
// real X server (Xvfb) that moves the real pointer.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemTimer } from '../common/clock';
import { parseConfigText } from '../config/schema';
import { findExecutable } from './process';
import { mouseClick, mouseClickArgv } from './mouse-click';

let dir: string;
let emptyDir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-mouse-'));
  emptyDir = mkdtempSync(join(tmpdir(), 'conductor-nomouse-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(emptyDir, { recursive: true, force: true });
});

/** A fake tool on PATH that appends its arguments (NUL-separated, one call per line) to <dir>/<name>.args. */
function stub(name: string, exitCode = 0): void {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done >> "${join(dir, `${name}.args`)}"\necho >> "${join(dir, `${name}.args`)}"\n${exitCode ? `echo "${name}: cannot open display" >&2\n` : ''}exit ${exitCode}\n`);
  chmodSync(path, 0o755);
}
const callsOf = (name: string): string[][] =>
  readFileSync(join(dir, `${name}.args`), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\0').slice(0, -1));
const deps = (platform: NodeJS.Platform, env: Record<string, string>) => ({ timer: systemTimer, platform, env, timeoutMs: 10_000 });

describe('MouseClick', () => {
  it('says which tools it needs when none is installed', async () => {
    expect(await mouseClick({ type: 'MouseClick', button: 'left' }, deps('linux', { PATH: emptyDir, DISPLAY: ':0' }))).toEqual({
      ok: false,
      error: 'MouseClick needs xdotool (X11) or ydotool (Wayland); none found on PATH',
    });
    expect(await mouseClick({ type: 'MouseClick', button: 'left' }, deps('darwin', { PATH: emptyDir }))).toMatchObject({ error: 'MouseClick needs osascript (macOS); not found on PATH' });
  });

  it.skipIf(process.platform === 'win32')('runs xdotool on X11 and ydotool (move, then click) on Wayland, with the exact arguments', async () => {
    stub('xdotool');
    stub('ydotool');
    expect(await mouseClick({ type: 'MouseClick', button: 'right', x: 10, y: 20 }, deps('linux', { PATH: dir, DISPLAY: ':0' }))).toMatchObject({ ok: true, detail: 'right click at 10, 20 via xdotool' });
    expect(await mouseClick({ type: 'MouseClick', button: 'middle' }, deps('linux', { PATH: dir, DISPLAY: ':0' }))).toMatchObject({ ok: true });
    expect(callsOf('xdotool')).toEqual([
      ['mousemove', '--sync', '10', '20', 'click', '3'],
      ['click', '2'],
    ]);
    expect(await mouseClick({ type: 'MouseClick', button: 'left', x: 5, y: 6 }, deps('linux', { PATH: dir, WAYLAND_DISPLAY: 'wayland-0' }))).toMatchObject({ ok: true, detail: 'left click at 5, 6 via ydotool' });
    expect(callsOf('ydotool')).toEqual([
      ['mousemove', '--absolute', '-x', '5', '-y', '6'],
      ['click', '0xC0'],
    ]);
  });

  it.skipIf(process.platform === 'win32')('fails with the tool’s own words when it fails', async () => {
    const failing = mkdtempSync(join(tmpdir(), 'conductor-mousefail-'));
    try {
      writeFileSync(join(failing, 'xdotool'), '#!/bin/sh\necho "Error: Can\'t open display: (null)" >&2\nexit 1\n');
      chmodSync(join(failing, 'xdotool'), 0o755);
      const outcome = await mouseClick({ type: 'MouseClick', button: 'left' }, deps('linux', { PATH: failing }));
      expect(outcome.ok).toBe(false);
      expect(outcome.ok ? '' : outcome.error).toMatch(/^MouseClick: xdotool .*Can't open display/);
    } finally {
      rmSync(failing, { recursive: true, force: true });
    }
  });

  it('builds the macOS and Windows commands: CoreGraphics events through osascript, user32 through PowerShell', () => {
    const [mac] = mouseClickArgv('osascript', '/usr/bin/osascript', { button: 'right', x: 100, y: 200 });
    expect(mac?.slice(0, 4)).toEqual(['/usr/bin/osascript', '-l', 'JavaScript', '-e']);
    expect(mac?.[4]).toContain('$.CGPointMake(100, 200)');
    expect(mac?.[4]).toContain('$.kCGEventRightMouseDown');
    expect(mac?.[4]).toContain('$.kCGEventRightMouseUp');
    const [here] = mouseClickArgv('osascript', 'osascript', { button: 'left' });
    expect(here?.[4]).toContain('CGEventGetLocation');
    const [win] = mouseClickArgv('powershell', 'powershell.exe', { button: 'middle', x: 1, y: 2 });
    const script = Buffer.from(win?.at(-1) ?? '', 'base64').toString('utf16le');
    expect(script).toContain('SetCursorPos(1, 2)');
    expect(script).toContain('mouse_event(32,');
    expect(script).toContain('mouse_event(64,');
  });

  it('reads from config with Conductor’s fields, and refuses a lone x or an unknown button', () => {
    const ok = parseConfigText(`[[global_mappings]]
trigger = { type = "Note", note = 36 }
action = { type = "MouseClick", button = "Left", x = 640, y = 360 }

[[global_mappings]]
trigger = { type = "Note", note = 37 }
action = { type = "MouseClick", button = "right" }
`);
    expect(ok.issues).toEqual([]);
    expect(ok.config?.globalMappings.map((m) => m.action)).toEqual([
      { type: 'MouseClick', button: 'left', x: 640, y: 360 },
      { type: 'MouseClick', button: 'right' },
    ]);
    const bad = parseConfigText(`[[global_mappings]]
trigger = { type = "Note", note = 36 }
action = { type = "MouseClick", button = "back", x = 5 }
`);
    expect(bad.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'global_mappings[0].action.y: missing: give x and y together (neither: click where the pointer is)',
      'global_mappings[0].action.button: expected one of "left", "right", "middle", got "back"',
    ]);
  });
});

describe('MouseClick on a real X server (Xvfb + xdotool)', () => {
  let xvfb: ChildProcess | null = null;
  let display = '';
  let skip = '';

  beforeAll(async () => {
    const [server, xdotool] = await Promise.all([findExecutable('Xvfb', process.env), findExecutable('xdotool', process.env)]);
    if (process.platform !== 'linux' || !server || !xdotool) {
      skip = 'needs Linux with Xvfb and xdotool';
      return;
    }
    // -displayfd: Xvfb picks a free display and writes its number on fd 3 once it accepts clients.
    const child = spawn(server, ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '800x600x24'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    xvfb = child;
    display = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdio[3]?.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(`:${text.trim()}`);
      });
      child.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it was ready`)));
    });
  }, 30_000);
  afterAll(() => {
    xvfb?.kill('SIGKILL');
  });

  // The click itself is what is checked here: this Xvfb does not move its pointer for XTest or warp requests (so
  // `getmouselocation` cannot confirm x/y; the arguments are checked through the stubs above).
  it('clicks through the real xdotool on a real X server, and reports xdotool’s own error for a display that is not there', async (ctx) => {
    if (skip) return ctx.skip(skip);
    const path = process.env.PATH ?? '';
    expect(await mouseClick({ type: 'MouseClick', button: 'left', x: 123, y: 45 }, deps('linux', { PATH: path, DISPLAY: display }))).toMatchObject({
      ok: true,
      detail: 'left click at 123, 45 via xdotool',
      process: { exitCode: 0 },
    });
    expect(await mouseClick({ type: 'MouseClick', button: 'right' }, deps('linux', { PATH: path, DISPLAY: display }))).toMatchObject({ ok: true });
    const missing = await mouseClick({ type: 'MouseClick', button: 'left' }, deps('linux', { PATH: path, DISPLAY: ':65000' }));
    expect(missing.ok).toBe(false);
    expect(missing.ok ? '' : missing.error).toMatch(/^MouseClick: xdotool exited with code 1/);
  });
});
