// The input side of the MIDI devices: which inputs exist, which one `[device]` chooses, connecting, hot-plug, the OS
// virtual input "Conductor", bytes → MidiEvents. Never throws out of a backend callback; never sends MIDI.
import type { DeviceConfig } from '../../src-shared/config';
import { errorMessage } from '../../src-shared/errors';
import type { DeviceInfo, DeviceState, MidiBackendStatus, MidiEvent, MidiMessage, MidiSendResult } from '../../src-shared/midi';
import { closeQuietly, safeStatus, stablePortName, type MidiBackend, type MidiInputConnection, type MidiPort } from './backend';
import { MidiParser } from './parser';
import { portNameContains, withPortIds } from './port-match';

export interface InputPortsOptions {
  /** The virtual controller's backend: its input is always connected and cannot be disconnected. */
  virtualBackend: MidiBackend;
  /** Hardware backends, in order of preference. */
  hardware: readonly MidiBackend[];
  /** The running `[device]` section. */
  config: () => DeviceConfig;
  /** The hardware MIDI subsystem's state (the DeviceManager's status). */
  status: () => MidiBackendStatus;
  /** Name of the OS-level virtual input to create; null = none. */
  virtualPortName: string | null;
  /** Clock for MidiEvent.timestamp (epoch ms). */
  now: () => number;
  /** Every parsed message of every connected input. */
  emit: (event: MidiEvent) => void;
  log: (message: string) => void;
}

interface InputSlot {
  readonly id: string;
  readonly backend: MidiBackend;
  name: string;
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

/** Ports never chosen as "the first hardware input" when `[device] name` is not set. */
const isLoopbackPortName = (name: string): boolean => /^midi through\b/i.test(name);

/** Every backend's input ports, as the DeviceManager's polls last listed them, and which of them are connected. */
export class InputPorts {
  readonly #options: InputPortsOptions;
  readonly #slots = new Map<string, InputSlot>();
  readonly #virtualPort: VirtualPortSlot | null;
  #claim: Claim;
  #claimedId: string | null = null;
  #closed = false;

  constructor(options: InputPortsOptions) {
    this.#options = options;
    this.#claim = options.config().autoConnect ? 'pending' : 'off';
    this.#virtualPort = options.virtualPortName === null ? null : this.#openVirtualPort(options.virtualPortName);
  }

  /**
   * Every input: the virtual controller (always connected), the OS virtual port, present hardware ports, inputs
   * that are wanted but unplugged, the configured device while it is missing, and — when the MIDI subsystem cannot
   * start — one `unavailable` entry carrying the reason.
   */
  devices(): DeviceInfo[] {
    const list: DeviceInfo[] = [];
    for (const slot of this.#ordered()) {
      const state: DeviceState = slot.connection ? 'connected' : 'disconnected';
      list.push({ id: slot.id, name: slot.name, kind: slot.backend.kind, direction: 'input', state, detail: slot.connection ? null : slot.detail });
      if (slot.backend === this.#options.virtualBackend && this.#virtualPort) {
        const port = this.#virtualPort;
        list.push({ id: port.id, name: port.name, kind: 'virtual', direction: 'input', state: port.state, detail: port.detail });
      }
    }
    const placeholder = this.#placeholder();
    if (placeholder) list.push(placeholder);
    return list;
  }

  /** Our own "Conductor" port shows up among the OS ports; sending to it would loop back into Conductor. */
  isOwnVirtualPort(name: string): boolean {
    const own = this.#virtualPort;
    if (!own?.connection) return false;
    const stable = stablePortName(name);
    return stable === own.name || stable.endsWith(`:${own.name}`);
  }

  /** Replaces what `backend` lists with `ports`: new ones are added, ones gone are lost (see #lost). */
  update(backend: MidiBackend, ports: readonly MidiPort[]): void {
    if (this.#closed) return;
    const seen = new Set<string>();
    for (const { id, port } of withPortIds(backend.kind === 'virtual' ? 'virtual:' : 'hw-in:', ports)) {
      seen.add(id);
      const slot = this.#slots.get(id);
      if (slot) {
        slot.port = port;
        slot.name = port.name;
      } else {
        this.#slots.set(id, { id, backend, name: port.name, port, connection: null, parser: new MidiParser(), live: { current: false }, wanted: false, detail: null });
      }
    }
    for (const slot of [...this.#slots.values()]) {
      if (slot.backend === backend && slot.port && !seen.has(slot.id)) this.#lost(slot);
    }
  }

  /** auto_connect (the first time the configured input is present it becomes wanted), then opens every wanted present input. */
  connectWanted(): void {
    if (this.#closed) return;
    if (this.#claim === 'pending') {
      const target = this.#resolveTarget();
      if (target) {
        target.wanted = true;
        this.#claim = 'claimed';
        this.#claimedId = target.id;
      }
    }
    for (const slot of this.#slots.values()) {
      if (slot.port && !slot.connection && (slot.wanted || slot.backend === this.#options.virtualBackend)) this.#open(slot);
    }
  }

  /** Connects a present input by id; with auto_reconnect it is reconnected after it is unplugged and comes back. */
  connect(id: string): MidiSendResult {
    const slot = this.#slots.get(id);
    if (!slot) return { ok: false, error: this.#unknown(id) };
    if (slot.connection) return { ok: true };
    if (!slot.port) return { ok: false, error: `MIDI input "${slot.name}" is not plugged in` };
    const error = this.#open(slot);
    if (error) return { ok: false, error };
    slot.wanted = true;
    return { ok: true };
  }

  /** Disconnects an input; it stays disconnected (no auto-reconnect) until connect() or a new config. */
  disconnect(id: string): MidiSendResult {
    const slot = this.#slots.get(id);
    if (!slot) return { ok: false, error: this.#unknown(id) };
    if (slot.backend === this.#options.virtualBackend) return { ok: false, error: `the virtual controller "${slot.name}" is always connected` };
    slot.wanted = false;
    if (this.#claimedId === id) {
      this.#claim = 'off';
      this.#claimedId = null;
    }
    this.#close(slot);
    slot.detail = 'disconnected by the user';
    if (!slot.port) this.#slots.delete(id);
    return { ok: true };
  }

  /** A new `[device]` section is in force: drops the input the old one chose if the new one chooses another. */
  reconfigure(): void {
    const previous = this.#claimedId === null ? undefined : this.#slots.get(this.#claimedId);
    const target = this.#resolveTarget();
    if (previous && previous !== target) {
      previous.wanted = false;
      this.#close(previous);
      previous.detail = null;
      if (!previous.port) this.#slots.delete(previous.id);
    }
    this.#claimedId = null;
    this.#claim = this.#options.config().autoConnect ? 'pending' : 'off';
  }

  /** Closes every input and the OS virtual port; later bytes are dropped. Idempotent. */
  close(): void {
    this.#closed = true;
    for (const slot of this.#slots.values()) this.#close(slot);
    if (this.#virtualPort) closeQuietly(this.#virtualPort.connection);
    this.#slots.clear();
  }

  /**
   * A port that was present is gone: close it. With auto_reconnect a wanted input stays listed (disconnected) and
   * is reopened when a port with the same id — the same name, ignoring ALSA numbers — comes back; else it is dropped.
   */
  #lost(slot: InputSlot): void {
    const wasConnected = slot.connection !== null;
    this.#close(slot);
    slot.port = null;
    slot.wanted = slot.wanted && this.#options.config().autoReconnect;
    if (slot.id === this.#claimedId && !slot.wanted) {
      this.#claim = 'off';
      this.#claimedId = null;
    }
    slot.detail = slot.wanted ? 'unplugged; will reconnect when it comes back' : 'unplugged';
    if (wasConnected) this.#options.log(`MIDI input "${slot.name}" ${slot.detail}`);
    if (!slot.wanted) this.#slots.delete(slot.id);
  }

  /**
   * The present hardware input `[device]` selects: ports whose name contains `name` (any case), or — with no
   * name — every hardware input except loopbacks ("Midi Through") and our own virtual port; then the `port`-th of
   * those (0-based), default the first.
   */
  #resolveTarget(): InputSlot | null {
    const config = this.#options.config();
    const wanted = config.name?.trim() ?? '';
    const candidates = this.#ordered().filter((slot) => {
      if (!slot.port || slot.backend.kind !== 'hardware') return false;
      if (wanted !== '') return portNameContains(slot.name, wanted);
      return !isLoopbackPortName(slot.name) && !this.isOwnVirtualPort(slot.name);
    });
    return candidates[config.port ?? 0] ?? null;
  }

  /** Inputs in a stable order: the virtual controller, then present ports in backend and OS order, then absent ones. */
  #ordered(): InputSlot[] {
    const backends: MidiBackend[] = [this.#options.virtualBackend, ...this.#options.hardware];
    const rank = (slot: InputSlot): number => (slot.port ? backends.indexOf(slot.backend) * 1e6 + slot.port.index : Number.MAX_SAFE_INTEGER);
    return [...this.#slots.values()].sort((a, b) => rank(a) - rank(b));
  }

  #placeholder(): DeviceInfo | null {
    const configured = this.#options.config().name?.trim() || null;
    const hasHardware = this.#options.hardware.length > 0;
    const status = this.#options.status();
    if (hasHardware && !status.available) {
      const name = configured ?? 'MIDI hardware';
      return { id: `hw-in:${name}`, name, kind: 'hardware', direction: 'input', state: 'unavailable', detail: status.reason };
    }
    if (configured === null || !hasHardware) return null;
    if ([...this.#slots.values()].some((slot) => slot.backend.kind === 'hardware' && portNameContains(slot.name, configured))) return null;
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
      const detail = errorMessage(error);
      if (slot.detail !== detail) this.#options.log(detail);
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
    if (this.#closed) return;
    let messages: MidiMessage[];
    try {
      messages = parser.feed(bytes);
    } catch (error) {
      this.#options.log(`${deviceId}: cannot parse MIDI: ${errorMessage(error)}`);
      return;
    }
    for (const message of messages) this.#options.emit({ deviceId, message, timestamp: this.#options.now() });
  }

  #openVirtualPort(name: string): VirtualPortSlot {
    const slot: VirtualPortSlot = { id: `virtual:${name}`, name, state: 'unavailable', detail: null, connection: null };
    const backend = this.#options.hardware.find((b) => safeStatus(b).available);
    if (!backend) {
      slot.detail = this.#options.status().reason;
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
      slot.detail = errorMessage(error);
      this.#options.log(slot.detail);
    }
    return slot;
  }

  #unknown(id: string): string {
    const known = [...this.#slots.keys()];
    return `no MIDI input with id "${id}"; known: ${known.length > 0 ? known.join(', ') : 'none'}`;
  }
}
