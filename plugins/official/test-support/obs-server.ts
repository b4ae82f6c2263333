// Test support: a REAL OBS Studio on a private Xvfb display, with its WebSocket server on a free port and a password,
// in a throwaway config folder. Must never touch the user's own OBS config, and must leave no process running after stop().
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The one line a test prints when it cannot run here. */
export const OBS_SKIP_MESSAGE = 'OBS tests skipped: install obs-studio xvfb';

/** How long OBS may take to open its WebSocket port (a loaded 2-core machine with software GL). */
const START_DEADLINE_MS = 30_000;
/** How long a stopped process group may take to exit before it is killed. */
const STOP_GRACE_MS = 5_000;

function onPath(program: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** Whether OBS and Xvfb are installed (the tests skip with OBS_SKIP_MESSAGE when not). */
export function obsAvailable(): boolean {
  return onPath('obs') && onPath('Xvfb');
}

/** A free TCP port on this computer (OBS listens on every interface). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Keeps the last few KiB of a process's output, for error messages. */
function tail(child: ChildProcess): () => string {
  let text = '';
  const keep = (chunk: Buffer): void => {
    text = (text + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Whether any process of the group `pgid` is still alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to the process group led by `child`, then SIGKILL if it is still there after the grace period. */
async function stopGroup(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) return;
  if (!groupAlive(pgid)) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + STOP_GRACE_MS;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(50);
  if (groupAlive(pgid)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
    while (groupAlive(pgid)) await sleep(50);
  }
  await exited(child);
}

export interface ObsOptions {
  password: string;
  /** Default: a free port. */
  port?: number;
}

/**
 * One OBS Studio under test. `start()` launches it (and its Xvfb display the first time) and resolves once its
 * WebSocket port accepts connections; `kill()` ends OBS abruptly (a crash), `start()` again brings it back on the same
 * port and config; `stop()` ends everything and deletes the config folder.
 */
export class ObsServer {
  readonly password: string;
  readonly port: number;
  /** The throwaway XDG_CONFIG_HOME. */
  readonly configHome: string;
  /** Where recordings go. */
  readonly recordDir: string;
  private xvfb: ChildProcess | null = null;
  private display = '';
  private obs: ChildProcess | null = null;
  private obsOutput: () => string = () => '';

  private constructor(password: string, port: number) {
    this.password = password;
    this.port = port;
    this.configHome = mkdtempSync(join(tmpdir(), 'conductor-obs-'));
    this.recordDir = join(this.configHome, 'recordings');
    this.writeConfig();
  }

  static async launch(options: ObsOptions): Promise<ObsServer> {
    const server = new ObsServer(options.password, options.port ?? (await freePort()));
    try {
      await server.start();
    } catch (err) {
      await server.stop();
      throw err;
    }
    return server;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /**
   * OBS 28/29 (obs-websocket 5.0–5.2) read the server settings from global.ini's [OBSWebSocket]; OBS 30+ (5.3+) from
   * plugin_config/obs-websocket/config.json: both are written. FirstRun=true skips the auto-configuration wizard (a
   * modal dialog that otherwise keeps recording from starting); the profile records into recordDir at a small size.
   */
  private writeConfig(): void {
    const obsDir = join(this.configHome, 'obs-studio');
    const wsDir = join(obsDir, 'plugin_config', 'obs-websocket');
    const profileDir = join(obsDir, 'basic', 'profiles', 'Untitled');
    for (const d of [wsDir, profileDir, this.recordDir]) mkdirSync(d, { recursive: true });
    writeFileSync(
      join(wsDir, 'config.json'),
      JSON.stringify({
        alerts_enabled: false,
        auth_required: true,
        first_load: false,
        server_enabled: true,
        server_password: this.password,
        server_port: this.port,
      }),
    );
    writeFileSync(
      join(obsDir, 'global.ini'),
      [
        '[General]',
        'FirstRun=true',
        '',
        '[Basic]',
        'Profile=Untitled',
        'ProfileDir=Untitled',
        'SceneCollection=Untitled',
        'SceneCollectionFile=Untitled',
        '',
        '[OBSWebSocket]',
        'FirstLoad=false',
        'ServerEnabled=true',
        `ServerPort=${this.port}`,
        'AlertsEnabled=false',
        'AuthRequired=true',
        `ServerPassword=${this.password}`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(profileDir, 'basic.ini'),
      [
        '[General]',
        'Name=Untitled',
        '',
        '[Output]',
        'Mode=Simple',
        '',
        '[SimpleOutput]',
        `FilePath=${this.recordDir}`,
        '',
        '[Video]',
        'BaseCX=640',
        'BaseCY=360',
        'OutputCX=640',
        'OutputCY=360',
        '',
      ].join('\n'),
    );
  }

  /** Starts a private Xvfb display (its number chosen by Xvfb itself, -displayfd). */
  private async startXvfb(): Promise<void> {
    const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x720x24', '-nolisten', 'tcp'], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    this.xvfb = child;
    const output = tail(child);
    const fd3 = child.stdio[3];
    const display = await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error(`Xvfb did not start within ${START_DEADLINE_MS} ms: ${output()}`)), START_DEADLINE_MS);
      fd3?.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (text.includes('\n')) {
          clearTimeout(timer);
          resolve(text.trim());
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`Xvfb exited (${code ?? signal}) before it started: ${output()}`));
      });
    });
    this.display = `:${display}`;
  }

  /** Starts OBS (again, after kill()) and waits until its WebSocket port accepts connections. */
  async start(): Promise<void> {
    if (this.obs !== null) throw new Error('OBS is already running');
    if (this.xvfb === null) await this.startXvfb();
    const child = spawn('obs', ['--minimize-to-tray', '--disable-shutdown-check'], {
      detached: true, // its own process group, so stop() ends everything it started
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DISPLAY: this.display, XDG_CONFIG_HOME: this.configHome, LIBGL_ALWAYS_SOFTWARE: '1' },
    });
    this.obs = child;
    this.obsOutput = tail(child);
    const deadline = Date.now() + START_DEADLINE_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        this.obs = null;
        throw new Error(`OBS exited (${child.exitCode ?? child.signalCode}) before it listened on ${this.port}: ${this.obsOutput()}`);
      }
      if (await canConnect(this.port)) return;
      await sleep(100);
    }
    await this.kill();
    throw new Error(`OBS did not listen on ${this.port} within ${START_DEADLINE_MS} ms: ${this.obsOutput()}`);
  }

  /** Ends OBS at once (SIGKILL, like a crash); Xvfb stays for the next start(). */
  async kill(): Promise<void> {
    const child = this.obs;
    this.obs = null;
    if (child !== null) await stopGroup(child, 'SIGKILL');
  }

  /** The last lines OBS printed (for failure messages). */
  output(): string {
    return this.obsOutput();
  }

  /** Ends OBS (SIGTERM, then SIGKILL) and Xvfb, and deletes the config folder (recordings included). */
  async stop(): Promise<void> {
    const obs = this.obs;
    this.obs = null;
    if (obs !== null) await stopGroup(obs, 'SIGTERM');
    const xvfb = this.xvfb;
    this.xvfb = null;
    if (xvfb !== null) await stopGroup(xvfb, 'SIGTERM');
    rmSync(this.configHome, { recursive: true, force: true });
  }
}
