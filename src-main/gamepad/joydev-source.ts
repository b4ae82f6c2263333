// Game controllers on Linux, read in the main process from the joystick interface (/dev/input/jsN): hot-plug by
// watching the folder (and a slow rescan), one read stream per controller, its events turned into Conductor's
// GamepadEvents. Works with the window closed (a tray-only app) and needs no native module. Never writes to a device.
import { createReadStream, readdirSync, readFileSync, watch, type FSWatcher, type ReadStream } from 'node:fs';
import { join } from 'node:path';
import { Emitter, type Event } from '../../src-shared/emitter';
import type { GamepadEvent } from '../../src-shared/gamepad';
import type { Clock, Timer, TimerId } from '../common/clock';
import { decodeJsEvent, JoydevTranslator, JS_EVENT_BYTES, layoutForName } from './joydev';

export interface JoydevSourceOptions {
  clock: Clock;
  timer: Timer;
  /** Where the jsN devices are (default /dev/input; tests: a folder of FIFOs). */
  devDir?: string;
  /** Where their names are, as <sysDir>/jsN/device/name (default /sys/class/input). */
  sysDir?: string;
  /** How often to look for controllers the folder watch missed (default 2000 ms; 0 = never). */
  rescanMs?: number;
}

/** One controller as the source sees it. */
export interface ControllerInfo {
  /** "gamepad:js0 Microsoft X-Box 360 pad": the deviceId of its events. */
  id: string;
  path: string;
  name: string;
  layout: string;
}

interface Open {
  info: ControllerInfo;
  stream: ReadStream;
}

export class JoydevSource {
  private readonly events = new Emitter<GamepadEvent>();
  private readonly changes = new Emitter<void>();
  private readonly problems = new Emitter<string>();
  /** A controller's events (buttons, sticks, triggers). */
  readonly onDidGamepad: Event<GamepadEvent> = this.events.event;
  /** Controllers came or went. */
  readonly onDidChangeControllers: Event<void> = this.changes.event;
  /** A controller could not be read (e.g. no permission): said once per path and reason. */
  readonly onDidFail: Event<string> = this.problems.event;
  private readonly open = new Map<string, Open>();
  private readonly failed = new Map<string, string>();
  private watcher: FSWatcher | null = null;
  private rescanTimer: TimerId | null = null;
  private stopped = false;
  private readonly devDir: string;
  private readonly sysDir: string;

  constructor(private readonly options: JoydevSourceOptions) {
    this.devDir = options.devDir ?? '/dev/input';
    this.sysDir = options.sysDir ?? '/sys/class/input';
  }

  /** The controllers open now. */
  get controllers(): ControllerInfo[] {
    return [...this.open.values()].map((o) => o.info);
  }

  /** Starts watching; a machine without the folder has no controllers (and says nothing). */
  start(): void {
    this.scan();
    try {
      this.watcher = watch(this.devDir, () => this.scan());
      this.watcher.on('error', () => undefined);
    } catch {
      // No /dev/input (a container, macOS, Windows): the rescan still finds one that appears.
    }
    this.armRescan();
  }

  dispose(): void {
    this.stopped = true;
    this.watcher?.close();
    if (this.rescanTimer !== null) this.options.timer.clearTimeout(this.rescanTimer);
    for (const o of this.open.values()) o.stream.destroy();
    this.open.clear();
    this.events.dispose();
    this.changes.dispose();
    this.problems.dispose();
  }

  private armRescan(): void {
    const every = this.options.rescanMs ?? 2000;
    if (every <= 0 || this.stopped) return;
    this.rescanTimer = this.options.timer.setTimeout(() => {
      this.scan();
      this.armRescan();
    }, every);
  }

  /** Opens every jsN not open yet. */
  scan(): void {
    if (this.stopped) return;
    let names: string[];
    try {
      names = readdirSync(this.devDir).filter((n) => /^js\d+$/.test(n));
    } catch {
      return;
    }
    for (const node of names) {
      const path = join(this.devDir, node);
      if (!this.open.has(path)) this.openController(node, path);
    }
  }

  private openController(node: string, path: string): void {
    const name = this.nameOf(node);
    const layout = layoutForName(name);
    const info: ControllerInfo = { id: `gamepad:${node} ${name}`, path, name, layout: layout.name };
    const translator = new JoydevTranslator(layout);
    const stream = createReadStream(path, { highWaterMark: JS_EVENT_BYTES * 64 });
    let rest: Buffer = Buffer.alloc(0);
    stream.on('data', (data: string | Buffer) => {
      const chunk = typeof data === 'string' ? Buffer.from(data) : data;
      const bytes = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      const whole = bytes.length - (bytes.length % JS_EVENT_BYTES);
      for (let at = 0; at < whole; at += JS_EVENT_BYTES) {
        const e = decodeJsEvent(bytes, at);
        if (!e) continue;
        for (const input of translator.translate(e)) this.events.fire({ deviceId: info.id, input, timestamp: this.options.clock.now() });
      }
      rest = bytes.subarray(whole);
    });
    stream.on('error', (err: NodeJS.ErrnoException) => {
      this.close(path);
      const why = err.code === 'EACCES' ? `no permission to read ${path} (on most desktops the seated user may; else add yourself to the "input" group)` : `${path}: ${err.message}`;
      if (this.failed.get(path) !== why) {
        this.failed.set(path, why);
        this.problems.fire(why);
      }
    });
    // The controller was unplugged: its node is gone (the stream ends or errors).
    stream.on('close', () => this.close(path));
    this.open.set(path, { info, stream });
    this.failed.delete(path);
    this.changes.fire();
  }

  private close(path: string): void {
    const o = this.open.get(path);
    if (!o) return;
    this.open.delete(path);
    o.stream.destroy();
    if (!this.stopped) this.changes.fire();
  }

  private nameOf(node: string): string {
    try {
      return readFileSync(join(this.sysDir, node, 'device', 'name'), 'utf8').trim() || node;
    } catch {
      return node;
    }
  }
}
