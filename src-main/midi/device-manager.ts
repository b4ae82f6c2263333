// Owns the MIDI backends: chooses and connects inputs from `[device]`, follows hot-plug by polling, parses every
// input into MidiEvents, and routes outgoing MIDI to outputs. Never throws out of a backend callback or poll.
import type { DeviceConfig } from '../../src-shared/config';
import {
  VIRTUAL_PORT_NAME,
  type DeviceInfo,
  type DeviceState,
  type MidiBackendStatus,
  type MidiEvent,
  type MidiMessage,
  type MidiSendResult,
} from '../../src-shared/midi';
import { splitMidiBytes } from '../../src-shared/midi-bytes';
import { MIDI_UNAVAILABLE_PREFIX, stablePortName, type MidiBackend, type MidiInputConnection, type MidiOutputConnection, type MidiPort } from './backend';
import { encodeMidiMessage, midiMessageProblem } from './encode';
import { MidiParser } from './parser';
import { RtMidiBackend } from './rtmidi-backend';
import { VirtualBackend, VirtualDevice } from './virtual-device';

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

/** Sending MIDI: what the SendMidi action and plugins' conductor.midi_send use. Never throws. */
export interface MidiOutputs {
  /** Names of the outputs present now (the virtual controller's first). */
  list(): string[];
  /** Encodes and sends one message. */
  send(portName: string, message: MidiMessage): MidiSendResult;
  /** Sends raw bytes: one or more whole messages (status byte first, SysEx F0 … F7 allowed). */
  sendBytes(portName: string, bytes: ArrayLike<number>): MidiSendResult;
}

const DEFAULT_POLL_INTERVAL_MS = 1000;

interface InputSlot {
  readonly id: string;
  readonly backend: MidiBackend;
  name: string;
  readonly stableName: string;
  /** null while the port is absent from the backend's list. */
  port: MidiPort | null;
  connection: MidiInputConnection | null;
  readonly parser: MidiParser;
  /** Cleared when the connection is closed, so bytes arriving late from the backend are dropped. */
  live: { current: boolean };
  /** Should be connected whenever present. */
  wanted: boolean;
  detail: string | null;
}

interface OutputSlot {
  readonly id: string;
  readonly backend: MidiBackend;
  readonly name: string;
  readonly stableName: string;
  port: MidiPort;
  connection: MidiOutputConnection | null;
}

/** The OS virtual input port's state (it is not a listed port of any backend). */
interface VirtualPortSlot {
  readonly id: string;
  readonly name: string;
  state: DeviceState;
  detail: string | null;
  connection: MidiInputConnection | null;
}

/**
 * What the config's `[device]` section still asks for: 'pending' = auto_connect, the device has not been seen
 * yet; 'claimed' = the chosen input is `#claimedId` (connected, or unplugged and awaiting auto-reconnect);
 * 'off' = nothing to do automatically (auto_connect off, or the user disconnected it, or it was lost without
 * auto_reconnect).
 */
type Claim = 'off' | 'pending' | 'claimed';

const defaultTimers: PollTimers = {
  setInterval: (callback, intervalMs) => {
    const handle = setInterval(callback, intervalMs);
    handle.unref();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Ports never chosen as "the first hardware input" when `[device] name` is not set. */
const isLoopbackPortName = (name: string): boolean => /^midi through\b/i.test(name);

export class DeviceManager {
  readonly virtualDevice: VirtualDevice;
  readonly outputs: MidiOutputs;
  readonly #hardware: MidiBackend[];
  readonly #virtualBackend: VirtualBackend;
  readonly #now: () => number;
  readonly #timers: PollTimers;
  readonly #log: (message: string) => void;
  readonly #inputs = new Map<string, InputSlot>();
  readonly #outputs = new Map<string, OutputSlot>();
  readonly #virtualPort: VirtualPortSlot | null;
  readonly #eventListeners = new Set<(event: MidiEvent) => void>();
  readonly #deviceListeners = new Set<(devices: DeviceInfo[]) => void>();
  /** The last listing error per backend and direction, so a persisting failure is logged once. */
  readonly #listFailures = new Map<MidiBackend, Partial<Record<'inputs' | 'outputs', string>>>();
  #config: DeviceConfig;
  #claim: Claim;
  #claimedId: string | null = null;
  #timer: unknown = null;
  #lastDevicesJson = '';
  #disposed = false;

  constructor(config: DeviceConfig, options: DeviceManagerOptions = {}) {
    this.#config = { ...config };
    this.#claim = config.autoConnect ? 'pending' : 'off';
    this.#hardware = [...(options.backends ?? [])];
    this.virtualDevice = options.virtualDevice ?? new VirtualDevice();
    this.#virtualBackend = new VirtualBackend(this.virtualDevice);
    this.#now = options.now ?? Date.now;
    this.#timers = options.timers ?? defaultTimers;
    this.#log = options.log ?? ((message) => console.warn(`[midi] ${message}`));
    this.outputs = {
      list: () => this.#outputNames(),
      send: (portName, message) => this.#send(portName, message),
      sendBytes: (portName, bytes) => this.#sendBytes(portName, bytes),
    };

    for (const backend of this.#hardware) {
      const status = safeStatus(backend);
      if (!status.available) this.#log(`${backend.id}: ${status.reason ?? 'unavailable'}`);
    }
    const virtualPortName = options.virtualPortName === undefined ? VIRTUAL_PORT_NAME : options.virtualPortName;
    this.#virtualPort = virtualPortName === null ? null : this.#openVirtualPort(virtualPortName);

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
    const list: DeviceInfo[] = [];
    for (const slot of this.#orderedInputs()) {
      const state: DeviceState = slot.connection ? 'connected' : 'disconnected';
      list.push({ id: slot.id, name: slot.name, kind: slot.backend.kind, direction: 'input', state, detail: slot.connection ? null : slot.detail });
      if (slot.backend === this.#virtualBackend && this.#virtualPort) {
        const port = this.#virtualPort;
        list.push({ id: port.id, name: port.name, kind: 'virtual', direction: 'input', state: port.state, detail: port.detail });
      }
    }
    const placeholder = this.#placeholder();
    if (placeholder) list.push(placeholder);
    for (const slot of this.#outputs.values()) {
      list.push({ id: slot.id, name: slot.name, kind: slot.backend.kind, direction: 'output', state: 'connected', detail: null });
    }
    return list;
  }

  /** Every message from every connected input, parsed; timestamp from the injected clock. */
  onDidMidiEvent(listener: (event: MidiEvent) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  /** The full device list whenever anything in it changed (hot-plug, connect, disconnect, config). */
  onDidChangeDevices(listener: (devices: DeviceInfo[]) => void): () => void {
    this.#deviceListeners.add(listener);
    return () => this.#deviceListeners.delete(listener);
  }

  /** Connects a present input by id; with auto_reconnect it is reconnected after it is unplugged and comes back. */
  connect(id: string): DeviceCommandResult {
    if (this.#disposed) return { ok: false, error: 'MIDI devices have been shut down' };
    const slot = this.#inputs.get(id);
    if (!slot) return { ok: false, error: this.#unknownInput(id) };
    if (slot.connection) return { ok: true };
    if (!slot.port) return { ok: false, error: `MIDI input "${slot.name}" is not plugged in` };
    const error = this.#open(slot);
    if (error) {
      this.#emitDevicesIfChanged();
      return { ok: false, error };
    }
    slot.wanted = true;
    this.#emitDevicesIfChanged();
    return { ok: true };
  }

  /** Disconnects an input; it stays disconnected (no auto-reconnect) until connect() or a new config. */
  disconnect(id: string): DeviceCommandResult {
    if (this.#disposed) return { ok: false, error: 'MIDI devices have been shut down' };
    const slot = this.#inputs.get(id);
    if (!slot) return { ok: false, error: this.#unknownInput(id) };
    if (slot.backend === this.#virtualBackend) return { ok: false, error: `the virtual controller "${slot.name}" is always connected` };
    slot.wanted = false;
    if (this.#claimedId === id) {
      this.#claim = 'off';
      this.#claimedId = null;
    }
    this.#close(slot);
    slot.detail = 'disconnected by the user';
    if (!slot.port) this.#inputs.delete(id);
    this.#emitDevicesIfChanged();
    return { ok: true };
  }

  /** Applies a new `[device]` section: drops the input the old one chose if the new one chooses another, then rescans. */
  setConfig(config: DeviceConfig): void {
    if (this.#disposed) return;
    this.#config = { ...config };
    const previous = this.#claimedId === null ? undefined : this.#inputs.get(this.#claimedId);
    const target = this.#resolveTarget();
    if (previous && previous !== target) {
      previous.wanted = false;
      this.#close(previous);
      previous.detail = null;
      if (!previous.port) this.#inputs.delete(previous.id);
    }
    this.#claimedId = null;
    this.#claim = config.autoConnect ? 'pending' : 'off';
    this.poll();
  }

  /** Rescans every backend's ports now (the timer calls this every pollIntervalMs). Never throws. */
  poll(): void {
    if (this.#disposed) return;
    for (const backend of [this.#virtualBackend, ...this.#hardware]) {
      if (!safeStatus(backend).available) continue;
      this.#scanInputs(backend);
      this.#scanOutputs(backend);
    }
    this.#applyClaim();
    for (const slot of this.#inputs.values()) {
      if (slot.port && !slot.connection && (slot.wanted || slot.backend === this.#virtualBackend)) this.#open(slot);
    }
    this.#emitDevicesIfChanged();
  }

  /** Stops polling, closes every port, disposes the backends and drops all listeners. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#timer !== null) this.#timers.clearInterval(this.#timer);
    this.#timer = null;
    for (const slot of this.#inputs.values()) this.#close(slot);
    for (const slot of this.#outputs.values()) closeQuietly(slot.connection);
    if (this.#virtualPort) closeQuietly(this.#virtualPort.connection);
    for (const backend of [this.#virtualBackend, ...this.#hardware]) {
      try {
        backend.dispose();
      } catch (error) {
        this.#log(`${backend.id}: dispose failed: ${errorText(error)}`);
      }
    }
    this.#inputs.clear();
    this.#outputs.clear();
    this.#eventListeners.clear();
    this.#deviceListeners.clear();
  }

  // ── scanning ────────────────────────────────────────────────────────────────────────────────────────

  #list(backend: MidiBackend, direction: 'inputs' | 'outputs'): MidiPort[] | null {
    try {
      const ports = direction === 'inputs' ? backend.listInputs() : backend.listOutputs();
      delete this.#listFailures.get(backend)?.[direction];
      return ports;
    } catch (error) {
      const message = `${backend.id}: cannot list MIDI ${direction}: ${errorText(error)}`;
      const failures = this.#listFailures.get(backend) ?? {};
      if (failures[direction] !== message) this.#log(message);
      failures[direction] = message;
      this.#listFailures.set(backend, failures);
      return null; // keep what we knew; try again next poll
    }
  }

  #scanInputs(backend: MidiBackend): void {
    const ports = this.#list(backend, 'inputs');
    if (!ports) return;
    const seen = new Set<string>();
    for (const { id, port } of withIds(backend.kind === 'virtual' ? 'virtual:' : 'hw-in:', ports)) {
      seen.add(id);
      const slot = this.#inputs.get(id);
      if (slot) {
        slot.port = port;
        slot.name = port.name;
      } else {
        this.#inputs.set(id, {
          id,
          backend,
          name: port.name,
          stableName: stablePortName(port.name),
          port,
          connection: null,
          parser: new MidiParser(),
          live: { current: false },
          wanted: false,
          detail: null,
        });
      }
    }
    for (const slot of [...this.#inputs.values()]) {
      if (slot.backend === backend && slot.port && !seen.has(slot.id)) this.#lost(slot);
    }
  }

  #scanOutputs(backend: MidiBackend): void {
    const ports = this.#list(backend, 'outputs');
    if (!ports) return;
    const seen = new Set<string>();
    for (const { id, port } of withIds(backend.kind === 'virtual' ? 'virtual-out:' : 'hw-out:', ports)) {
      if (backend !== this.#virtualBackend && this.#isOwnVirtualPort(port.name)) continue;
      seen.add(id);
      const slot = this.#outputs.get(id);
      if (slot && slot.name === port.name) slot.port = port;
      else {
        if (slot) closeQuietly(slot.connection);
        this.#outputs.set(id, { id, backend, name: port.name, stableName: stablePortName(port.name), port, connection: null });
      }
    }
    for (const slot of [...this.#outputs.values()]) {
      if (slot.backend === backend && !seen.has(slot.id)) {
        closeQuietly(slot.connection);
        this.#outputs.delete(slot.id);
      }
    }
  }

  /** Our own "Conductor" port shows up among the OS outputs; sending to it would loop back into Conductor. */
  #isOwnVirtualPort(name: string): boolean {
    const own = this.#virtualPort;
    if (!own?.connection) return false;
    const stable = stablePortName(name);
    return stable === own.name || stable.endsWith(`:${own.name}`);
  }

  /**
   * A port that was present is gone: close it. With auto_reconnect a wanted input stays listed (disconnected) and
   * is reopened when a port with the same id — the same name, ignoring ALSA numbers — comes back; else it is dropped.
   */
  #lost(slot: InputSlot): void {
    const wasConnected = slot.connection !== null;
    this.#close(slot);
    slot.port = null;
    slot.wanted = slot.wanted && this.#config.autoReconnect;
    if (slot.id === this.#claimedId && !slot.wanted) {
      this.#claim = 'off';
      this.#claimedId = null;
    }
    slot.detail = slot.wanted ? 'unplugged; will reconnect when it comes back' : 'unplugged';
    if (wasConnected) this.#log(`MIDI input "${slot.name}" ${slot.detail}`);
    if (!slot.wanted) this.#inputs.delete(slot.id);
  }

  /** auto_connect: the first time the configured input is present, it becomes wanted (and is opened by poll). */
  #applyClaim(): void {
    if (this.#claim !== 'pending') return;
    const target = this.#resolveTarget();
    if (!target) return;
    target.wanted = true;
    this.#claim = 'claimed';
    this.#claimedId = target.id;
  }

  /**
   * The present hardware input `[device]` selects: ports whose name contains `name` (case-insensitive), or —
   * with no name — every hardware input except loopbacks ("Midi Through") and our own virtual port; then the
   * `port`-th of those (0-based), default the first.
   */
  #resolveTarget(): InputSlot | null {
    const wanted = this.#config.name?.trim().toLowerCase() ?? '';
    const candidates = this.#orderedInputs().filter((slot) => {
      if (!slot.port || slot.backend.kind !== 'hardware') return false;
      if (wanted !== '') return slot.name.toLowerCase().includes(wanted);
      return !isLoopbackPortName(slot.name) && !this.#isOwnVirtualPort(slot.name);
    });
    return candidates[this.#config.port ?? 0] ?? null;
  }

  /** Inputs in a stable order: the virtual controller, then present ports in backend and OS order, then absent ones. */
  #orderedInputs(): InputSlot[] {
    const backends: MidiBackend[] = [this.#virtualBackend, ...this.#hardware];
    const rank = (slot: InputSlot): number => (slot.port ? backends.indexOf(slot.backend) * 1e6 + slot.port.index : Number.MAX_SAFE_INTEGER);
    return [...this.#inputs.values()].sort((a, b) => rank(a) - rank(b));
  }

  #placeholder(): DeviceInfo | null {
    const configured = this.#config.name?.trim() || null;
    const status = this.status;
    if (this.#hardware.length > 0 && !status.available) {
      const name = configured ?? 'MIDI hardware';
      return { id: `hw-in:${name}`, name, kind: 'hardware', direction: 'input', state: 'unavailable', detail: status.reason };
    }
    if (configured === null || this.#hardware.length === 0) return null;
    const lower = configured.toLowerCase();
    if ([...this.#inputs.values()].some((slot) => slot.backend.kind === 'hardware' && slot.name.toLowerCase().includes(lower))) return null;
    const waiting = this.#claim === 'pending';
    return {
      id: `hw-in:${configured}`,
      name: configured,
      kind: 'hardware',
      direction: 'input',
      state: 'disconnected',
      detail: waiting ? 'not found; will connect when it is plugged in' : 'not found',
    };
  }

  // ── inputs ──────────────────────────────────────────────────────────────────────────────────────────

  /** Opens `slot`; returns null or the error (also stored as the slot's detail, logged when it changes). */
  #open(slot: InputSlot): string | null {
    if (!slot.port) return `MIDI input "${slot.name}" is not plugged in`;
    const live = { current: true };
    slot.live = live;
    slot.parser.reset();
    try {
      slot.connection = slot.backend.openInput(slot.port, (bytes) => {
        if (live.current) this.#deliver(slot.id, slot.parser, bytes);
      });
      slot.detail = null;
      return null;
    } catch (error) {
      live.current = false;
      const detail = errorText(error);
      if (slot.detail !== detail) this.#log(detail);
      slot.detail = detail;
      return detail;
    }
  }

  #close(slot: InputSlot): void {
    slot.live.current = false;
    closeQuietly(slot.connection);
    slot.connection = null;
    slot.parser.reset();
  }

  #deliver(deviceId: string, parser: MidiParser, bytes: ArrayLike<number>): void {
    if (this.#disposed) return;
    let messages: MidiMessage[];
    try {
      messages = parser.feed(bytes);
    } catch (error) {
      this.#log(`${deviceId}: cannot parse MIDI: ${errorText(error)}`);
      return;
    }
    for (const message of messages) {
      const event: MidiEvent = { deviceId, message, timestamp: this.#now() };
      for (const listener of [...this.#eventListeners]) {
        try {
          listener(event);
        } catch (error) {
          this.#log(`a MIDI event listener threw: ${errorText(error)}`);
        }
      }
    }
  }

  #openVirtualPort(name: string): VirtualPortSlot {
    const slot: VirtualPortSlot = { id: `virtual:${name}`, name, state: 'unavailable', detail: null, connection: null };
    const backend = this.#hardware.find((b) => safeStatus(b).available);
    if (!backend) {
      slot.detail = this.status.reason;
      return slot;
    }
    if (!backend.openVirtualInput) {
      slot.detail = `virtual MIDI ports are not supported by the ${backend.id} backend`;
      return slot;
    }
    const parser = new MidiParser();
    try {
      slot.connection = backend.openVirtualInput(name, (bytes) => this.#deliver(slot.id, parser, bytes));
      slot.state = 'connected';
    } catch (error) {
      slot.detail = errorText(error);
      this.#log(slot.detail);
    }
    return slot;
  }

  #unknownInput(id: string): string {
    const known = [...this.#inputs.keys()];
    return `no MIDI input with id "${id}"; known: ${known.length > 0 ? known.join(', ') : 'none'}`;
  }

  // ── outputs ─────────────────────────────────────────────────────────────────────────────────────────

  #outputNames(): string[] {
    return [...this.#outputs.values()].map((slot) => slot.name);
  }

  /** Exact name, then name without ALSA numbers, then id, then a case-insensitive substring (first match). */
  #findOutput(portName: string): OutputSlot | null {
    const slots = [...this.#outputs.values()];
    const lower = portName.toLowerCase();
    return (
      slots.find((s) => s.name === portName) ??
      slots.find((s) => s.stableName === portName) ??
      slots.find((s) => s.id === portName) ??
      (lower === '' ? undefined : slots.find((s) => s.name.toLowerCase().includes(lower))) ??
      null
    );
  }

  #output(portName: string): OutputSlot | string {
    if (this.#disposed) return 'MIDI devices have been shut down';
    let slot = this.#findOutput(portName);
    if (!slot) {
      // it may have been plugged in since the last poll
      for (const backend of this.#hardware) if (safeStatus(backend).available) this.#scanOutputs(backend);
      slot = this.#findOutput(portName);
    }
    if (slot) return slot;
    const names = this.#outputNames();
    const status = this.status;
    const why = status.available || this.#hardware.length === 0 ? '' : ` (${status.reason ?? 'MIDI unavailable'})`;
    return `no MIDI output named "${portName}"; available: ${names.length > 0 ? names.join(', ') : 'none'}${why}`;
  }

  #send(portName: string, message: MidiMessage): MidiSendResult {
    const problem = midiMessageProblem(message);
    if (problem) return { ok: false, error: `invalid MIDI message: ${problem}` };
    return this.#sendFrames(portName, [encodeMidiMessage(message)]);
  }

  #sendBytes(portName: string, bytes: ArrayLike<number>): MidiSendResult {
    const frames = splitMidiBytes(bytes);
    if (!frames.ok) return { ok: false, error: `invalid MIDI bytes: ${frames.error}` };
    return this.#sendFrames(portName, frames.messages);
  }

  #sendFrames(portName: string, frames: number[][]): MidiSendResult {
    const slot = this.#output(portName);
    if (typeof slot === 'string') return { ok: false, error: slot };
    try {
      slot.connection ??= slot.backend.openOutput(slot.port);
    } catch (error) {
      return { ok: false, error: errorText(error) };
    }
    try {
      for (const frame of frames) slot.connection.send(frame);
      return { ok: true };
    } catch (error) {
      closeQuietly(slot.connection);
      slot.connection = null; // reopened on the next send
      return { ok: false, error: `cannot send to MIDI output "${slot.name}": ${errorText(error)}` };
    }
  }

  #emitDevicesIfChanged(): void {
    if (this.#disposed) return;
    const devices = this.devices();
    const json = JSON.stringify(devices);
    if (json === this.#lastDevicesJson) return;
    this.#lastDevicesJson = json;
    for (const listener of [...this.#deviceListeners]) {
      try {
        listener(devices);
      } catch (error) {
        this.#log(`a device-list listener threw: ${errorText(error)}`);
      }
    }
  }
}

/** Ids `<prefix><name without ALSA numbers>`; a second port with the same name gets "#2", a third "#3"… */
function withIds(prefix: string, ports: MidiPort[]): { id: string; port: MidiPort }[] {
  const counts = new Map<string, number>();
  return ports.map((port) => {
    const stable = stablePortName(port.name);
    const n = (counts.get(stable) ?? 0) + 1;
    counts.set(stable, n);
    return { id: `${prefix}${stable}${n > 1 ? `#${n}` : ''}`, port };
  });
}

function safeStatus(backend: MidiBackend): MidiBackendStatus {
  try {
    return backend.status();
  } catch (error) {
    return { available: false, reason: `${MIDI_UNAVAILABLE_PREFIX}${errorText(error)}` };
  }
}

function closeQuietly(connection: { close(): void } | null): void {
  try {
    connection?.close();
  } catch {
    // closing must never fail the caller
  }
}

/**
 * The app's DeviceManager: by default the @julusian/midi backend (soft-failing to "MIDI unavailable") plus the
 * virtual controller. `options.backends` replaces the default hardware backend.
 */
export function createDeviceManager(config: DeviceConfig, options: DeviceManagerOptions = {}): DeviceManager {
  return new DeviceManager(config, { ...options, backends: options.backends ?? [new RtMidiBackend()] });
}
