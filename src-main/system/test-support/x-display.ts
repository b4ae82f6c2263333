// Test support: a private Xvfb display with real X windows (xmessage, from x11-utils) whose focus a test moves by
// setting the root's _NET_ACTIVE_WINDOW as a window manager would. Never touches the user's display; stop() ends all.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The Debian packages these tests need (`.ci/run` installs them). */
export const X_TEST_PACKAGES = ['xvfb', 'x11-utils'];
export const X_SKIP_MESSAGE = `X11 frontmost-app test skipped: needs Xvfb, xprop, xwininfo and xmessage (Debian packages: ${X_TEST_PACKAGES.join(' ')})`;

const START_DEADLINE_MS = 30_000;
const WINDOW_DEADLINE_MS = 30_000;

export function onPath(program: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, program), constants.X_OK);
      return join(dir, program);
    } catch {
      // not here
    }
  }
  return null;
}

export function xToolsAvailable(): boolean {
  return process.platform === 'linux' && ['Xvfb', 'xprop', 'xwininfo', 'xmessage'].every((p) => onPath(p) !== null);
}

function run(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { env, encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${program} ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface XWindow {
  id: number;
  process: ChildProcess;
  pid: number;
}

export class XDisplay {
  private readonly windows: ChildProcess[] = [];
  /** Open windows already handed out, so a second window of the same program is told apart from the first (X reuses
   * a closed client's ids for the next client, so a closed window leaves the set). */
  private readonly known = new Set<number>();

  private constructor(
    readonly display: string,
    private readonly xvfb: ChildProcess,
  ) {}

  /** DISPLAY set to this display. */
  get env(): NodeJS.ProcessEnv {
    return { ...process.env, DISPLAY: this.display, WAYLAND_DISPLAY: undefined, LC_ALL: 'C.UTF-8' };
  }

  /** Starts Xvfb on the first free display number from `first` up (-nolisten tcp); resolves when it accepts clients. */
  static async start(first = 90): Promise<XDisplay> {
    const errors: string[] = [];
    // A display in use (a lock file or a socket of another server) fails at once: try the next number.
    for (let n = first; n < first + 20; n++) {
      // -noreset: without it the server resets whenever its last client leaves, refusing clients that connect meanwhile.
      const args = [`:${n}`, '-displayfd', '3', '-nolisten', 'tcp', '-noreset', '-screen', '0', '800x600x24'];
      const child = spawn('Xvfb', args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
      const ready = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), START_DEADLINE_MS);
        (child.stdio[3] as NodeJS.ReadableStream).on('data', () => {
          clearTimeout(timer);
          resolve(true);
        });
        child.once('exit', () => {
          clearTimeout(timer);
          resolve(false);
        });
      });
      if (ready) return new XDisplay(`:${n}`, child);
      child.kill('SIGKILL');
      await exited(child);
      errors.push(`:${n}: ${stderr.trim().split('\n')[0] ?? ''}`);
    }
    throw new Error(`Xvfb did not start: ${errors.join('; ')}`);
  }

  /** Opens a real window: `program` (xmessage or a copy of it under another name) with this title; waits until mapped. */
  async openWindow(program: string, title: string, text: string): Promise<XWindow> {
    const child = spawn(program, ['-title', title, text], { env: this.env, stdio: ['ignore', 'ignore', 'pipe'] });
    this.windows.push(child);
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
    const pid = child.pid;
    if (pid === undefined) throw new Error(`cannot start ${program}`);
    const instance = program.split('/').pop() as string;
    const deadline = Date.now() + WINDOW_DEADLINE_MS;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${program} exited (${child.exitCode}) before its window appeared: ${stderr.trim()}`);
      const id = parseChildWindows(await run('xwininfo', ['-root', '-children'], this.env)).find((w) => w.instance === instance && !this.known.has(w.id))?.id;
      if (id !== undefined) {
        this.known.add(id);
        return { id, process: child, pid };
      }
      if (Date.now() > deadline) throw new Error(`no window of ${instance} within ${WINDOW_DEADLINE_MS} ms`);
      await sleep(50);
    }
  }

  /** Sets the root window's _NET_ACTIVE_WINDOW, as a window manager does when focus moves (0: nothing active). */
  async activate(windowId: number): Promise<void> {
    await run('xprop', ['-root', '-f', '_NET_ACTIVE_WINDOW', '32x', '-set', '_NET_ACTIVE_WINDOW', `0x${windowId.toString(16)}`], this.env);
  }

  /** Lists _NET_ACTIVE_WINDOW in the root's _NET_SUPPORTED, as a window manager does (xdotool checks it). */
  async announceActiveWindow(): Promise<void> {
    await run('xprop', ['-root', '-f', '_NET_SUPPORTED', '32a', '-set', '_NET_SUPPORTED', '_NET_ACTIVE_WINDOW'], this.env);
  }

  /** Sets _NET_WM_PID on a window, as GTK, Qt and Electron do for their own windows (Xt's xmessage does not). */
  async setPid(windowId: number, pid: number): Promise<void> {
    await run('xprop', ['-id', `0x${windowId.toString(16)}`, '-f', '_NET_WM_PID', '32c', '-set', '_NET_WM_PID', String(pid)], this.env);
  }

  /** Ends a window's process and waits until the server has destroyed its window. */
  async close(window: XWindow): Promise<void> {
    window.process.kill('SIGTERM');
    await exited(window.process);
    const deadline = Date.now() + WINDOW_DEADLINE_MS;
    while (parseChildWindows(await run('xwininfo', ['-root', '-children'], this.env)).some((w) => w.id === window.id)) {
      if (Date.now() > deadline) throw new Error(`window 0x${window.id.toString(16)} still there ${WINDOW_DEADLINE_MS} ms after its process ended`);
      await sleep(50);
    }
    this.known.delete(window.id);
  }

  async stop(): Promise<void> {
    for (const w of this.windows) w.kill('SIGTERM');
    await Promise.all(this.windows.map(exited));
    this.xvfb.kill('SIGTERM');
    await exited(this.xvfb);
  }
}

/** `xwininfo -root -children` lines like `0x200030 "Alpha": ("xmessage" "Xmessage")  62x52+0+0  +0+0`. */
export function parseChildWindows(stdout: string): { id: number; instance: string; className: string }[] {
  const found: { id: number; instance: string; className: string }[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^\s*(0x[0-9a-f]+)\s.*\("([^"]*)" "([^"]*)"\)/.exec(line);
    if (m) found.push({ id: Number(m[1]), instance: m[2] as string, className: m[3] as string });
  }
  return found;
}
