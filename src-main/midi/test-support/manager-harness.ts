// Builds DeviceManagers over the fake OS ports and hand-driven timers, recording their events, device-list changes
// and logs; disposes them after each test. Test support only — never imported by product code; never opens a real port.
import type { DeviceConfig } from '../../../src-shared/config';
import type { DeviceInfo, MidiEvent } from '../../../src-shared/midi';
import { DeviceManager, type DeviceManagerOptions } from '../device-manager';
import { ManualTimers, OsPorts } from './fakes';

export const NANO = 'nanoPAD2:nanoPAD2 MIDI 1 24:0';
export const NANO_ID = 'hw-in:nanoPAD2:nanoPAD2 MIDI 1';

export const config = (overrides: Partial<DeviceConfig> = {}): DeviceConfig => ({ name: null, autoConnect: true, autoReconnect: true, port: null, ...overrides });

export interface Harness {
  manager: DeviceManager;
  os: OsPorts;
  timers: ManualTimers;
  events: MidiEvent[];
  changes: DeviceInfo[][];
  logs: string[];
  clock: { now: number };
}

/** The managers a test file created: `harness` builds one, `track` adopts one built by hand, `disposeAll` goes in afterEach. */
export class TrackedManagers {
  readonly #managers: DeviceManager[] = [];

  track(manager: DeviceManager): DeviceManager {
    this.#managers.push(manager);
    return manager;
  }

  disposeAll(): void {
    for (const manager of this.#managers.splice(0)) manager.dispose();
  }

  /** A manager over fresh OsPorts (`setup` plugs ports in before it starts), ManualTimers and a clock at a fixed epoch. */
  readonly harness = (deviceConfig: DeviceConfig, setup: (os: OsPorts) => void = () => {}, options: DeviceManagerOptions = {}): Harness => {
    const os = new OsPorts();
    setup(os);
    const timers = new ManualTimers();
    const logs: string[] = [];
    const clock = { now: 1_700_000_000_000 };
    const manager = new DeviceManager(deviceConfig, {
      backends: [os],
      timers,
      now: () => clock.now,
      log: (message) => logs.push(message),
      virtualPortName: null,
      ...options,
    });
    this.track(manager);
    const events: MidiEvent[] = [];
    const changes: DeviceInfo[][] = [];
    manager.onDidMidiEvent((event) => events.push(event));
    manager.onDidChangeDevices((devices) => changes.push(devices));
    return { manager, os, timers, events, changes, logs, clock };
  };
}

export const device = (manager: DeviceManager, id: string): DeviceInfo | undefined => manager.devices().find((d) => d.id === id);
export const stateOf = (manager: DeviceManager, id: string): string | undefined => device(manager, id)?.state;
