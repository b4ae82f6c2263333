// conductor.midi_send (the midi grant) and conductor.notify (the systemcontrol grant) in a real PluginRuntime: the C
// fixture `caps` and WAT probes — host events, MIDI and text validation, size limits, the per-call event budget.
import { afterEach, describe, expect, it } from 'vitest';
import { watToWasm } from '../../../plugins/fixtures';
import { HOST_ERROR, HOST_LIMITS } from '../common/import-catalogue';
import { fixtureBytes, passthrough, pluginLoader, probe } from './test-support/plugin-loader';

const caps = fixtureBytes('caps');

const { load, shutdownAll } = pluginLoader();
afterEach(shutdownAll);

describe('conductor.midi_send (midi)', () => {
  it('forwards a note-on as a host event', async () => {
    const p = await load(caps, ['midi']);
    const r = p.call({ action: 'midi', note: 64, velocity: 90, channel: 2 });
    expect(r).toMatchObject({ ok: true, code: 0, log: ['midi: rc=0'] });
    expect(p.events).toEqual([{ kind: 'midi', bytes: [0x92, 64, 90], port: null }]);
  });

  it('accepts SysEx and several complete messages; refuses invalid MIDI without an event', async () => {
    const p = await load(caps, ['midi']);
    expect(p.call({ action: 'midi-raw', hex: 'F07E7F0601F7' }).code).toBe(0);
    expect(p.call({ action: 'midi-raw', hex: '903C64803C00C005F8' }).code).toBe(0);
    for (const hex of ['3C64', '903C', '90FF64', 'F4', 'F07E7F', 'F07E90F7', '']) {
      const r = p.call({ action: 'midi-raw', hex });
      expect(r.log, hex).toContain(`midi-raw: rc=${HOST_ERROR.invalid}`);
      expect(r.log.join('\n')).toMatch(/\[warn\] conductor\.midi_send: not valid MIDI: .* \(returned -1\)/);
    }
    expect(p.events.map((e) => (e.kind === 'midi' ? e.bytes : []))).toEqual([
      [0xf0, 0x7e, 0x7f, 0x06, 0x01, 0xf7],
      [0x90, 0x3c, 0x64, 0x80, 0x3c, 0x00, 0xc0, 0x05, 0xf8],
    ]);
  });

  it('refuses a message over 64 KiB', async () => {
    // The input text arrives as bytes as it is: ASCII only (size is checked before content).
    const p = await load(await passthrough('midi_send'), ['midi']);
    expect(p.runtime.execute('x'.repeat(HOST_LIMITS.midiMessageBytes + 1)).code).toBe(HOST_ERROR.tooLarge);
    expect(p.runtime.execute('x'.repeat(HOST_LIMITS.midiMessageBytes)).code).toBe(HOST_ERROR.invalid);
    expect(p.events).toEqual([]);
  });

  it('limits host events per call', async () => {
    const wasm = await watToWasm(`(module
      (import "conductor" "midi_send" (func $send (param i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) "\\f8")
      (func (export "alloc") (param i32) (result i32) (i32.const 1024))
      (func (export "execute") (param i32 i32) (result i32) (local $i i32) (local $rc i32)
        (loop $l
          (local.set $rc (call $send (i32.const 16) (i32.const 1)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.and (i32.eqz (local.get $rc)) (i32.lt_u (local.get $i) (i32.const 100000)))))
        (local.get $rc)))`);
    const p = await load(wasm, ['midi']);
    expect(p.call({}).code).toBe(HOST_ERROR.limit);
    expect(p.events).toHaveLength(HOST_LIMITS.eventsPerCall);
    expect(p.call({}).code).toBe(HOST_ERROR.limit); // the budget is per call: a second call gets it afresh
    expect(p.events).toHaveLength(2 * HOST_LIMITS.eventsPerCall);
  });

  it('returns UNAVAILABLE when nothing receives host events', async () => {
    const p = await load(caps, ['midi'], { noEvents: true });
    const r = p.call({ action: 'midi' });
    expect(r.log).toContain(`midi: rc=${HOST_ERROR.unavailable}`);
  });
});

describe('conductor.notify (systemcontrol)', () => {
  it('forwards a notification as a host event', async () => {
    const p = await load(caps, ['systemcontrol']);
    expect(p.call({ action: 'notify', title: 'Hello ✓', body: 'from caps' })).toMatchObject({ ok: true, code: 0, log: ['notify: rc=0'] });
    expect(p.events).toEqual([{ kind: 'notify', title: 'Hello ✓', body: 'from caps' }]);
  });

  it('checks title and body', async () => {
    const cases: Array<[Uint8Array | string, Uint8Array | string, number]> = [
      ['', 'body', HOST_ERROR.invalid],
      ['x'.repeat(HOST_LIMITS.notifyTitleBytes + 1), '', HOST_ERROR.tooLarge],
      ['t', 'y'.repeat(HOST_LIMITS.notifyBodyBytes + 1), HOST_ERROR.tooLarge],
      [new Uint8Array([0xc3]), 'b', HOST_ERROR.invalid],
    ];
    for (const [title, body, code] of cases) {
      const p = await load(await probe('notify', title, body), ['systemcontrol']);
      expect(p.call({}).code).toBe(code);
      expect(p.events).toEqual([]);
    }
  });
});
