// Game controllers through the joystick interface, on a real Core: stand-in devices are FIFOs (real kernel pipes)
// in a temp folder named like /dev/input/jsN, with their names under a stand-in /sys/class/input. Writing js_events to
// one fires its gamepad mappings; a controller plugged in later is found by the folder watch; unplugged, it is gone.
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src-shared/engine';
import { startTestCore, type TestCore } from '../services/test-support/test-core';
import { encodeJsEvent } from './joydev';

const CONFIG = `[[modes]]
name = "Default"

[[modes.mappings]]
trigger = { type = "GamepadButton", button = 128 }
action = { type = "ModeChange", mode = "Game" }

[[modes]]
name = "Game"

[[modes.mappings]]
trigger = { type = "GamepadButtonChord", buttons = [136, 137] }
action = { type = "ModeChange", mode = "Default" }

[[modes.mappings]]
trigger = { type = "GamepadAnalogStick", axis = 129, direction = "Clockwise" }
action = { type = "Delay", ms = 1 }
`;

const fifoWorks = process.platform === 'linux';

let root: string;
let t: TestCore | null = null;
const writers: number[] = [];
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'conductor-joydev-'));
  mkdirSync(join(root, 'dev'));
});
afterEach(async () => {
  await t?.stop();
  t = null;
  for (const fd of writers.splice(0)) closeSync(fd);
  rmSync(root, { recursive: true, force: true });
});

/** A stand-in controller: a FIFO held open for writing (so opening it to read never blocks), and its name. */
function plug(node: string, name: string): number {
  const path = join(root, 'dev', node);
  execFileSync('mkfifo', [path]);
  mkdirSync(join(root, 'sys', node, 'device'), { recursive: true });
  writeFileSync(join(root, 'sys', node, 'device', 'name'), `${name}\n`);
  const fd = openSync(path, 'r+');
  writers.push(fd);
  return fd;
}

function send(fd: number, ...events: Parameters<typeof encodeJsEvent>[0][]): void {
  for (const e of events) writeSync(fd, encodeJsEvent(e));
}

function next(core: TestCore['core'], match: (e: EngineEvent) => boolean): Promise<EngineEvent> {
  return new Promise((resolve) => {
    const stop = core.engine.onDidEngineEvent((e) => {
      if (!match(e)) return;
      stop();
      resolve(e);
    });
  });
}

const button = (number: number, value: number, initial = false) => ({ timeMs: 0, type: 'button' as const, number, value, initial });

describe.skipIf(!fifoWorks)('game controllers through the joystick interface', () => {
  it('a press on the controller fires its mapping; a chord and a stick too', async () => {
    const pad = plug('js0', 'Microsoft X-Box 360 pad');
    t = await startTestCore({ configText: CONFIG, core: { gamepads: { devDir: join(root, 'dev'), sysDir: join(root, 'sys'), rescanMs: 0 } } });
    const { core } = t;
    expect(core.gamepads?.controllers).toEqual([{ id: 'gamepad:js0 Microsoft X-Box 360 pad', path: join(root, 'dev', 'js0'), name: 'Microsoft X-Box 360 pad', layout: 'Xbox (xpad)' }]);

    // The driver's initial state fires nothing; A (button 0) switches to "Game".
    let mode = next(core, (e) => e.kind === 'mode-change');
    send(pad, button(0, 0, true), button(0, 1));
    expect(await mode).toMatchObject({ kind: 'mode-change', to: 'Game' });

    // LB + RB (buttons 4 and 5) together: back to "Default"... after the stick pushed up fired in "Game".
    const stick = next(core, (e) => e.kind === 'trigger' && e.context.trigger === 'GamepadAnalogStick');
    send(pad, { timeMs: 0, type: 'axis', number: 1, value: -30000, initial: false });
    expect(await stick).toMatchObject({ context: { axis: 129, direction: 'Clockwise', device: 'gamepad:js0 Microsoft X-Box 360 pad' } });
    mode = next(core, (e) => e.kind === 'mode-change');
    send(pad, button(0, 0), button(4, 1), button(5, 1));
    expect(await mode).toMatchObject({ kind: 'mode-change', to: 'Default' });
  });

  it('finds a controller plugged in later, and forgets one unplugged', async () => {
    t = await startTestCore({ configText: CONFIG, core: { gamepads: { devDir: join(root, 'dev'), sysDir: join(root, 'sys'), rescanMs: 0 } } });
    const gamepads = t.core.gamepads;
    expect(gamepads?.controllers).toEqual([]);
    const plugged = new Promise<void>((resolve) => gamepads?.onDidChangeControllers(() => gamepads.controllers.length > 0 && resolve()));
    const pad = plug('js1', 'Sony Interactive Entertainment Wireless Controller');
    await plugged;
    expect(gamepads?.controllers.map((c) => c.layout)).toEqual(['PlayStation']);
    const mode = next(t.core, (e) => e.kind === 'mode-change');
    send(pad, button(0, 1)); // Cross = South (128)
    expect(await mode).toMatchObject({ to: 'Game' });

    const unplugged = new Promise<void>((resolve) => gamepads?.onDidChangeControllers(() => gamepads.controllers.length === 0 && resolve()));
    // The writer goes away: the reader sees the end of the device, as when a controller is pulled out.
    rmSync(join(root, 'dev', 'js1'));
    closeSync(writers.pop() as number);
    await unplugged;
    expect(gamepads?.controllers).toEqual([]);
  });
});

describe.skipIf(!fifoWorks)('a controller that cannot be read', () => {
  it('is said once in the log, which [logging] sends to its file', async () => {
    mkdirSync(join(root, 'dev', 'js0')); // not a device: reading it fails
    const logFile = join(root, 'conductor.log');
    t = await startTestCore({
      configText: `[logging]\nlevel = "warn"\nfile = "${logFile}"\n\n${CONFIG}`,
      core: { gamepads: { devDir: join(root, 'dev'), sysDir: join(root, 'sys'), rescanMs: 0 } },
    });
    const { core } = t;
    await new Promise<void>((resolve) => {
      const stop = core.gamepads?.onDidFail(() => {
        stop?.();
        resolve();
      });
      if (core.gamepads?.controllers.length === 0 && existsSync(logFile)) resolve();
    });
    expect(readFileSync(logFile, 'utf8')).toMatch(/^\S+ conductor warn: game controller: .*js0.*EISDIR/m);
  });
});
