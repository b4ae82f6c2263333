// Owns the MIDI backends: polls their port lists for hot-plug and hands them to the input side (inputs.ts) and the
// output side (outputs.ts), announces MIDI events and device-list changes. Never throws out of a backend callback or poll.
import type { DeviceConfig } from '../../src-shared/config';
import { errorMessage } from '../../src-shared/errors';
import { VIRTUAL_PORT_NAME, type DeviceInfo, type MidiBackendStatus, type MidiEvent, type MidiSendResult } from '../../src-shared/midi';
import { Emitter, type Event } from '../../src-shared/emitter';
import { MIDI_UNAVAILABLE_PREFIX, safeStatus, type MidiBackend, type MidiPort } from './backend';
import { InputPorts } from './inputs';
import { OutputPorts, type MidiOutputs } from './outputs';
import { RtMidiBackend } from './rtmidi-backend';
import { VirtualBackend, VirtualDevice } from './virtual-device';
import { log as appLog } from '../common/log';

/** The interval timer the hot-plug poll runs on (injectable so tests drive it by hand). */
export interface PollTimers {
  setInterval(callback: () => void, intervalMs: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface DeviceManagerOptions {
  /** Hardware backends, in order of preference (the manager owns and disposes them). Default: none. */
  backends?: MidiBackend[];
  /** The virtual controller (always listed, always connected). Default: a new VirtualDevice(). */
  virtualDevice?: VirtualDevice;
  /** Name of the OS-level virtual input port to create; null = do not create one. Default "Conductor". */
  virtualPortName?: string | null;
  /** Hot-plug poll interval; 0 = never poll on a timer (call poll() yourself). Default 1000. */
  pollIntervalMs?: number;
  /** Clock for MidiEvent.timestamp (epoch ms). Default Date.now. */
  now?: () => number;
  /** Default: Node's setInterval with the timer unref'd (polling never keeps the process alive). */
  timers?: PollTimers;
  /** Where warnings go (a device failed to open, a listener threw…). Default console.warn with a "[midi]" prefix. */
  log?: (message: string) => void;
}

export type DeviceCommandResult = MidiSendResult;

const DEFAULT_POLL_INTERVAL_MS = 1000;
const SHUT_DOWN = 'MIDI devices have been shut down';

const defaultTimers: PollTimers = {
  setInterval: (callback, intervalMs) => {
    const handle = setInterval(callback, intervalMs);
    handle.unref();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

export class DeviceManager {
  readonly virtualDevice: VirtualDevice;
  readonly outputs: MidiOutputs;
  readonly #hardware: MidiBackend[];
  readonly #virtualBackend: VirtualBackend;
  readonly #timers: PollTimers;
  readonly #log: (message: string) => void;
  readonly #inputs: InputPorts;
  readonly #outputs: OutputPorts;
  readonly #midiEvents: Emitter<MidiEvent>;
  readonly #deviceChanges: Emitter<DeviceInfo[]>;
  /** The last listing error per backend and direction, so a persisting failure is logged once. */
  readonly #listFailures = new Map<MidiBackend, Partial<Record<'inputs' | 'outputs', string>>>();
  #config: DeviceConfig;
  #timer: unknown = null;
  #lastDevicesJson = '';
  #disposed = false;

  /** Every message from every connected input, parsed; timestamp from the injected clock. */
  readonly onDidMidiEvent: Event<MidiEvent>;
  /** The full device list whenever anything in it changed (hot-plug, connect, disconnect, config). */
  readonly onDidChangeDevices: Event<DeviceInfo[]>;

  constructor(config: DeviceConfig, options: DeviceManagerOptions = {}) {
    this.#config = { ...config };
    this.#hardware = [...(options.backends ?? [])];
    this.virtualDevice = options.virtualDevice ?? new VirtualDevice();
    this.#virtualBackend = new VirtualBackend(this.virtualDevice);
    this.#timers = options.timers ?? defaultTimers;
    const log = options.log ?? ((message) => appLog.warn(`[midi] ${message}`));
    this.#log = log;
    this.#midiEvents = new Emitter({ onListenerError: (error) => log(`a MIDI event listener threw: ${errorMessage(error)}`) });
    this.#deviceChanges = new Emitter({ onListenerError: (error) => log(`a device-list listener threw: ${errorMessage(error)}`) });
    this.onDidMidiEvent = this.#midiEvents.event;
    this.onDidChangeDevices = this.#deviceChanges.event;

    for (const backend of this.#hardware) {
      const status = safeStatus(backend);
      if (!status.available) log(`${backend.id}: ${status.reason ?? 'unavailable'}`);
    }
    this.#inputs = new InputPorts({
      virtualBackend: this.#virtualBackend,
      hardware: this.#hardware,
      config: () => this.#config,
      status: () => this.status,
      virtualPortName: options.virtualPortName === undefined ? VIRTUAL_PORT_NAME : options.virtualPortName,
      now: options.now ?? Date.now,
      emit: (event) => this.#midiEvents.fire(event),
      log,
    });
    this.#outputs = new OutputPorts({
      virtualControllerName: this.virtualDevice.name,
      configuredDevice: () => this.#config.name?.trim() || null,
      rescan: () => {
        for (const backend of this.#hardware) if (safeStatus(backend).available) this.#scanOutputs(backend);
      },
      unavailableReason: () => {
        const status = this.status;
        return status.available || this.#hardware.length === 0 ? null : (status.reason ?? 'MIDI unavailable');
      },
    });
    this.outputs = this.#outputs;

    this.poll();
    const intervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    if (intervalMs > 0) this.#timer = this.#timers.setInterval(() => this.poll(), intervalMs);
  }

  /** The hardware MIDI subsystem: available when any hardware backend is; else the first backend's reason. */
  get status(): MidiBackendStatus {
    const statuses = this.#hardware.map(safeStatus);
    if (statuses.some((s) => s.available)) return { available: true, reason: null };
    return { available: false, reason: statuses[0]?.reason ?? `${MIDI_UNAVAILABLE_PREFIX}no hardware MIDI backend` };
  }

  get config(): DeviceConfig {
    return { ...this.#config };
  }

  /**
   * Every input and output: the virtual controller (always connected), the OS virtual port, present hardware
   * ports, inputs that are wanted but unplugged, the configured device while it is missing, and — when the
   * MIDI subsystem cannot start — one `unavailable` entry carrying the reason.
   */
  devices(): DeviceInfo[] {
    return [...this.#inputs.devices(), ...this.#outputs.devices()];
  }

  /** Connects a present input by id; with auto_reconnect it is reconnected after it is unplugged and comes back. */
  connect(id: string): DeviceCommandResult {
    if (this.#disposed) return { ok: false, error: SHUT_DOWN };
    const result = this.#inputs.connect(id);
    this.#emitDevicesIfChanged();
    return result;
  }

  /** Disconnects an input; it stays disconnected (no auto-reconnect) until connect() or a new config. */
  disconnect(id: string): DeviceCommandResult {
    if (this.#disposed) return { ok: false, error: SHUT_DOWN };
    const result = this.#inputs.disconnect(id);
    this.#emitDevicesIfChanged();
    return result;
  }

  /** Applies a new `[device]` section: drops the input the old one chose if the new one chooses another, then rescans. */
  setConfig(config: DeviceConfig): void {
    if (this.#disposed) return;
    this.#config = { ...config };
    this.#inputs.reconfigure();
    this.poll();
  }

  /** Rescans every backend's ports now (the timer calls this every pollIntervalMs). Never throws. */
  poll(): void {
    if (this.#disposed) return;
    for (const backend of [this.#virtualBackend, ...this.#hardware]) {
      if (!safeStatus(backend).available) continue;
      const inputs = this.#list(backend, 'inputs');
      if (inputs) this.#inputs.update(backend, inputs);
      this.#scanOutputs(backend);
    }
    this.#inputs.connectWanted();
    this.#emitDevicesIfChanged();
  }

  /** Stops polling, closes every port, disposes the backends and drops all listeners. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#timer !== null) this.#timers.clearInterval(this.#timer);
    this.#timer = null;
    this.#inputs.close();
    this.#outputs.close();
    for (const backend of [this.#virtualBackend, ...this.#hardware]) {
      try {
        backend.dispose();
      } catch (error) {
        this.#log(`${backend.id}: dispose failed: ${errorMessage(error)}`);
      }
    }
    this.#midiEvents.dispose();
    this.#deviceChanges.dispose();
  }

  #scanOutputs(backend: MidiBackend): void {
    const ports = this.#list(backend, 'outputs');
    // Our own "Conductor" input shows up among the OS outputs; sending to it would loop back into Conductor.
    if (ports) this.#outputs.update(backend, ports, backend === this.#virtualBackend ? undefined : (name) => this.#inputs.isOwnVirtualPort(name));
  }

  #list(backend: MidiBackend, direction: 'inputs' | 'outputs'): MidiPort[] | null {
    try {
      const ports = direction === 'inputs' ? backend.listInputs() : backend.listOutputs();
      delete this.#listFailures.get(backend)?.[direction];
      return ports;
    } catch (error) {
      const message = `${backend.id}: cannot list MIDI ${direction}: ${errorMessage(error)}`;
      const failures = this.#listFailures.get(backend) ?? {};
      if (failures[direction] !== message) this.#log(message);
      failures[direction] = message;
      this.#listFailures.set(backend, failures);
      return null; // keep what we knew; try again next poll
    }
  }

  #emitDevicesIfChanged(): void {
    if (this.#disposed) return;
    const devices = this.devices();
    const json = JSON.stringify(devices);
    if (json === this.#lastDevicesJson) return;
    this.#lastDevicesJson = json;
    this.#deviceChanges.fire(devices);
  }
}

/**
 * The app's DeviceManager: by default the @julusian/midi backend (soft-failing to "MIDI unavailable") plus the
 * virtual controller. `options.backends` replaces the default hardware backend.
 */
export function createDeviceManager(config: DeviceConfig, options: DeviceManagerOptions = {}): DeviceManager {
  return new DeviceManager(config, { ...options, backends: options.backends ?? [new RtMidiBackend()] });
}
