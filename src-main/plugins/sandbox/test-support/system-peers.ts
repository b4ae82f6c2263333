// Test support for conductor.system: starts real peers in a temp dir — private D-Bus daemons, python3-dbusmock services
// (logind, ScreenSaver), a headless PipeWire + pipewire-pulse + WirePlumber with a null sink — and stops them. Tests only.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const BUSCTL_TIMEOUT_MS = 5000;
/** PATH as the test process started (tests narrow process.env.PATH to test fallbacks; the peers keep the full one). */
const FULL_PATH = process.env.PATH ?? '/usr/bin:/bin';

function onPath(program: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', program], { stdio: 'ignore' }).status === 0;
}

/** A python3 that can import dbusmock (Debian's, not a pyenv shim's), or null. */
export function dbusmockPython(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(py, ['-c', 'import dbusmock'], { stdio: 'ignore' }).status === 0) return py;
  }
  return null;
}

/** Why the D-Bus peers cannot run here (one line naming the Debian package), or null. */
export function dbusPeersMissing(): string | null {
  if (!onPath('dbus-daemon')) return 'dbus-daemon is not installed (Debian package: dbus-daemon)';
  if (!onPath('busctl')) return 'busctl is not installed (Debian package: systemd)';
  if (dbusmockPython() === null) return 'python3-dbusmock is not installed (Debian package: python3-dbusmock)';
  return null;
}

/** Why the audio peers cannot run here, or null. */
export function audioPeersMissing(): string | null {
  const need: Array<[string, string]> = [
    ['dbus-daemon', 'dbus-daemon'],
    ['pipewire', 'pipewire-bin'],
    ['pipewire-pulse', 'pipewire-pulse'],
    ['wireplumber', 'wireplumber'],
    ['pactl', 'pulseaudio-utils'],
  ];
  for (const [program, pkg] of need) if (!onPath(program)) return `${program} is not installed (Debian package: ${pkg})`;
  return null;
}

/** Processes started for a test, stopped together (each by its own pid). */
export class Peers {
  private readonly children: ChildProcess[] = [];

  constructor(readonly dir: string) {}

  start(name: string, program: string, args: string[], env: Record<string, string>): ChildProcess {
    const log = openSync(join(this.dir, `${name}.log`), 'a');
    const child = spawn(program, args, { env, stdio: ['ignore', log, log] });
    child.on('error', () => {});
    this.children.push(child);
    return child;
  }

  /** A dbus-daemon on a socket in the temp dir (no service activation); resolves to its address. */
  async bus(name: string, type: 'system' | 'session'): Promise<string> {
    const socketDir = join(this.dir, `${name}-socket`);
    mkdirSync(socketDir, { recursive: true });
    const config = join(this.dir, `${name}.conf`);
    writeFileSync(
      config,
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>${type}</type>
  <listen>unix:dir=${socketDir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
    <allow user="*"/>
  </policy>
</busconfig>
`,
    );
    const child = spawn('dbus-daemon', [`--config-file=${config}`, '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'ignore'] });
    this.children.push(child);
    const address = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const line = text.split('\n')[0];
        if (text.includes('\n') && line) resolve(line.trim());
      });
      child.once('exit', (code) => reject(new Error(`dbus-daemon exited (${code}) before printing its address`)));
    });
    return address;
  }

  /** Starts `python3 -m dbusmock …` on the bus at `address` and waits until it owns `busName`. */
  async dbusmock(name: string, address: string, busName: string, args: string[], bus: 'system' | 'session'): Promise<void> {
    const py = dbusmockPython();
    if (py === null) throw new Error('python3-dbusmock is not installed');
    const env: Record<string, string> = { PATH: FULL_PATH };
    env[bus === 'system' ? 'DBUS_SYSTEM_BUS_ADDRESS' : 'DBUS_SESSION_BUS_ADDRESS'] = address;
    const child = this.start(name, py, ['-m', 'dbusmock', ...args], env);
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null) throw new Error(`dbusmock ${name} exited: ${readFileSync(join(this.dir, `${name}.log`), 'utf8')}`);
      const r = busCall(address, 'org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'NameHasOwner', 's', busName);
      if (r.trim() === 'b true') return;
      await sleep(50);
    }
    throw new Error(`dbusmock ${name} did not take ${busName}`);
  }

  /**
   * PipeWire, pipewire-pulse and WirePlumber in `runtimeDir` (their sockets) with HOME in the temp dir, and a null sink
   * made the default; resolves once `pactl get-sink-volume @DEFAULT_SINK@` answers.
   */
  async pipewire(runtimeDir: string, sessionBus: string): Promise<void> {
    const home = join(this.dir, 'home');
    mkdirSync(runtimeDir, { recursive: true, mode: 0o700 });
    mkdirSync(home, { recursive: true });
    const env = { PATH: FULL_PATH, HOME: home, XDG_RUNTIME_DIR: runtimeDir, DBUS_SESSION_BUS_ADDRESS: sessionBus };
    this.start('pipewire', 'pipewire', [], env);
    await this.until(() => spawnSync('pw-cli', ['info', '0'], { env, stdio: 'ignore', timeout: 2000 }).status === 0 || !onPath('pw-cli'), 'pipewire');
    this.start('pipewire-pulse', 'pipewire-pulse', [], env);
    this.start('wireplumber', 'wireplumber', [], env);
    await this.until(() => spawnSync('pactl', ['info'], { env, stdio: 'ignore', timeout: 2000 }).status === 0, 'pipewire-pulse');
    const load = spawnSync('pactl', ['load-module', 'module-null-sink', 'sink_name=conductor_test'], { env, encoding: 'utf8', timeout: 5000 });
    if (load.status !== 0) throw new Error(`pactl load-module module-null-sink failed: ${load.stderr}`);
    await this.until(() => {
      spawnSync('pactl', ['set-default-sink', 'conductor_test'], { env, stdio: 'ignore', timeout: 2000 });
      return spawnSync('pactl', ['get-sink-volume', '@DEFAULT_SINK@'], { env, stdio: 'ignore', timeout: 2000 }).status === 0;
    }, 'a default sink');
  }

  private async until(ready: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 300; i++) {
      if (ready()) return;
      await sleep(50);
    }
    throw new Error(`${what} did not start (logs in ${this.dir})`);
  }

  /** SIGTERM to each started process (its own pid), SIGKILL after 3 s; waits for all to exit. */
  async stopAll(): Promise<void> {
    const running = this.children.splice(0).filter((c) => c.exitCode === null && c.signalCode === null);
    await Promise.all(
      running.reverse().map(
        (c) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => c.kill('SIGKILL'), 3000);
            c.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            c.kill('SIGTERM');
          }),
      ),
    );
  }
}

/** `busctl --address=… call …`: the reply text; throws with busctl's stderr on failure. */
export function busCall(address: string, destination: string, path: string, iface: string, method: string, ...sigAndArgs: string[]): string {
  const r = spawnSync('busctl', [`--address=${address}`, 'call', destination, path, iface, method, ...sigAndArgs], {
    encoding: 'utf8',
    timeout: BUSCTL_TIMEOUT_MS,
    env: { PATH: FULL_PATH },
  });
  if (r.status !== 0) throw new Error(`busctl call ${method} failed: ${r.stderr}`);
  return r.stdout;
}

/** The calls a dbusmock service received, from its --logfile: `LockSession "auto"`, `Suspend False`, … (timestamps dropped). */
export function mockCalls(logfile: string): string[] {
  let text: string;
  try {
    text = readFileSync(logfile, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.replace(/^\d+(\.\d+)?\s+/, ''));
}

/** `pactl` against the test's PipeWire (independent of the code under test): volume % of the default sink and mute. */
export function pactlState(runtimeDir: string): { volume: number; muted: boolean } {
  const env = { PATH: FULL_PATH, XDG_RUNTIME_DIR: runtimeDir, LC_ALL: 'C' };
  const v = spawnSync('pactl', ['get-sink-volume', '@DEFAULT_SINK@'], { env, encoding: 'utf8', timeout: 5000 });
  const m = spawnSync('pactl', ['get-sink-mute', '@DEFAULT_SINK@'], { env, encoding: 'utf8', timeout: 5000 });
  const percents = [...v.stdout.matchAll(/(\d+)%/g)].map((x) => Number(x[1]));
  return { volume: Math.max(...percents), muted: /Mute:\s*yes/.test(m.stdout) };
}
