// LED feedback through the real core and services: a pad whose SendMidi note-on goes to the virtual controller lights
// a pad (virtual.didChangeLight, and devices.list's `lights`), a note-off turns it off, and a burst of thousands of
// note-ons reaches the UI as a handful of events with the right final lights.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ContractEvent, EventPayloads, VirtualLightChange } from '../../src-shared/contract';
import { VIRTUAL_DEVICE_NAME } from '../../src-shared/midi';
import { feedLights } from './light-feed';
import { Emitter } from '../../src-shared/emitter';
import { startTestCore, type TestCore } from './test-support/test-core';

const CONFIG = `
[[modes]]
name = "Default"

[[modes.mappings]]
description = "light pad 37"
trigger = { Note = { note = 36 } }
action = { SendMidi = { port = "${VIRTUAL_DEVICE_NAME}", message_type = "NoteOn", channel = 0, note = 37, velocity = 5 } }

[[modes.mappings]]
description = "turn pad 37 off"
trigger = { Note = { note = 38 } }
action = { SendMidi = { port = "${VIRTUAL_DEVICE_NAME}", message_type = "NoteOff", channel = 0, note = 37, velocity = 0 } }
`;

let t: TestCore | null = null;
afterEach(async () => {
  await t?.stop();
  t = null;
});

/** Every virtual.didChangeLight the services emit, as the transports see them. */
function lightEvents(t: TestCore): VirtualLightChange[] {
  const seen: VirtualLightChange[] = [];
  t.services.onDidEmitEvent((e: ContractEvent) => {
    if (e.event === 'virtual.didChangeLight') seen.push(e.payload);
  });
  return seen;
}

describe('LED feedback to the UI', () => {
  it('a SendMidi note-on to the virtual controller lights its pad; a note-off turns it off', async () => {
    t = await startTestCore({ configText: CONFIG });
    const lights = lightEvents(t);
    const devicesList = (): Promise<EventPayloads['devices.didChange']> => t!.services.dispatch('devices.list', []) as Promise<EventPayloads['devices.didChange']>;
    expect((await devicesList()).lights).toEqual({});

    t.core.devices.virtualDevice.pressPad(36);
    t.core.devices.virtualDevice.releasePad(36);
    await vi.waitFor(() => expect(lights).toEqual([{ note: 37, velocity: 5 }]), { timeout: 10_000 });
    expect(t.core.devices.virtualDevice.padLight(37)).toBe(5);
    expect((await devicesList()).lights).toEqual({ 37: 5 }); // what a window that opens now loads

    t.core.devices.virtualDevice.pressPad(38);
    await vi.waitFor(() => expect(lights).toEqual([{ note: 37, velocity: 5 }, { note: 37, velocity: 0 }]), { timeout: 10_000 });
    expect((await devicesList()).lights).toEqual({});
  });

  it('a burst of thousands of note-ons reaches the UI as at most one event per note per window, ending on the true lights', async () => {
    t = await startTestCore({ configText: CONFIG, services: { events: { lightsWindowMs: 40 } } });
    const lights = lightEvents(t);
    const sends = 6000;
    for (let i = 0; i < sends; i++) {
      const result = t.core.devices.outputs.send(VIRTUAL_DEVICE_NAME, { type: 'noteOn', channel: 0, note: 60 + (i % 8), velocity: 1 + (i % 127) });
      expect(result.ok).toBe(true);
    }
    // The last note-on of each note: what the pads show now.
    const truth = t.core.devices.virtualDevice.padLights();
    expect(Object.keys(truth)).toHaveLength(8);
    const latest = (): Record<number, number> => Object.fromEntries(lights.map((l) => [l.note, l.velocity]));
    await vi.waitFor(() => expect(latest()).toEqual(truth), { timeout: 10_000 });
    // The burst was synchronous: the first change went out at once, the rest as one per note after the window.
    expect(lights.length).toBeLessThanOrEqual(1 + 8);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(lights.length).toBeLessThanOrEqual(1 + 8); // nothing more after it settled
  });
});

describe('feedLights', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the first change at once, then the last value per note per window, nothing already sent, nothing after stop', () => {
    vi.useFakeTimers();
    const source = new Emitter<VirtualLightChange>();
    const out: VirtualLightChange[] = [];
    const stop = feedLights(source.event, (c) => out.push(c), { windowMs: 20 });
    source.fire({ note: 1, velocity: 10 });
    expect(out).toEqual([{ note: 1, velocity: 10 }]); // at once
    source.fire({ note: 1, velocity: 20 });
    source.fire({ note: 2, velocity: 7 });
    source.fire({ note: 2, velocity: 0 }); // 2 lit and off again within the window: the UI never saw it lit → nothing
    source.fire({ note: 1, velocity: 30 });
    vi.advanceTimersByTime(19);
    expect(out).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(out).toEqual([{ note: 1, velocity: 10 }, { note: 1, velocity: 30 }]);
    // Still busy: the next window collects; a window with nothing new closes, and the next change goes out at once.
    source.fire({ note: 1, velocity: 40 });
    source.fire({ note: 1, velocity: 30 }); // back to what was sent: nothing to send
    vi.advanceTimersByTime(20);
    expect(out).toHaveLength(2);
    source.fire({ note: 5, velocity: 1 });
    expect(out.at(-1)).toEqual({ note: 5, velocity: 1 });
    source.fire({ note: 5, velocity: 0 });
    stop();
    vi.advanceTimersByTime(100);
    source.fire({ note: 6, velocity: 1 });
    expect(out).toHaveLength(3); // the pending off and anything after stop are dropped
  });
});
