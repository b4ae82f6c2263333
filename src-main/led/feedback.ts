// LED feedback for the running app: reads the config's LED settings and the current mode, feeds presses from every MIDI
// input to the scheme engine, and drives the connected hardware device's output and the virtual controller's (the
// on-screen pads light from that one). Never sends anything while LED feedback is off, and nothing after dispose.
import { LED_DEFAULTS, ledFeedbackEnabled, type AppConfig, type LedSettingsConfig, type RgbColour, type Trigger } from '../../src-shared/config';
import { builtinLayoutFor } from '../../src-shared/device-layouts';
import type { DeviceInfo, MidiEvent, MidiMessage } from '../../src-shared/midi';
import type { Event } from '../../src-shared/emitter';
import type { Clock, Timer } from '../common/clock';
import type { MidiOutputs } from '../midi/outputs';
import { DEFAULT_MODE_COLOUR, modeColour, velocityBandColour, type Rgb } from './colours';
import { LedEngine, type LedState, type LedTarget } from './engine';

/** The input notes a trigger listens to (the pads it lights). */
function triggerNotes(t: Trigger): number[] {
  if ('notes' in t && Array.isArray(t.notes)) return t.notes;
  if ('note' in t && typeof t.note === 'number') return [t.note];
  return [];
}

/** The engine's state for `config` in mode `modeName` (the first mode when it is not found), defaults filled in. */
export function resolveLedState(config: AppConfig, modeName: string | null): LedState {
  const mode = config.modes.find((m) => m.name === modeName) ?? config.modes[0];
  const led = config.led ?? {};
  const mappings = [...(mode?.mappings ?? []), ...config.globalMappings];
  const pads = [...new Set(mappings.flatMap((m) => triggerNotes(m.trigger)))].filter((n) => n >= 0 && n <= 127).sort((a, b) => a - b);
  return {
    scheme: mode?.led?.scheme ?? led.scheme ?? LED_DEFAULTS.scheme,
    brightness: led.brightness ?? LED_DEFAULTS.brightness,
    colour: modeColour(mode?.color ?? null) ?? DEFAULT_MODE_COLOUR,
    idleBrightness: mode?.led?.idleBrightness ?? LED_DEFAULTS.idleBrightness,
    activeBrightness: mode?.led?.activeBrightness ?? LED_DEFAULTS.activeBrightness,
    pads,
    noteOffset: led.midi?.noteOffset ?? LED_DEFAULTS.noteOffset,
    channel: led.midi?.channel ?? LED_DEFAULTS.channel,
    onVelocity: led.midi?.onVelocity ?? LED_DEFAULTS.onVelocity,
    offVelocity: led.midi?.offVelocity ?? LED_DEFAULTS.offVelocity,
    ...reactiveState(led.reactive),
  };
}

/** `[led_settings.reactive]` for the engine: a band colour the file leaves out keeps its default. */
function reactiveState(reactive: LedSettingsConfig['reactive']): Pick<LedState, 'bands' | 'fadeMs'> {
  if (reactive === undefined) return {};
  const rgb = (c: RgbColour | undefined, fallback: number): Rgb => (c === undefined ? velocityBandColour(fallback) : [c.r, c.g, c.b]);
  const { softColor, mediumColor, hardColor, fadeDurationMs } = reactive;
  return {
    ...(softColor || mediumColor || hardColor ? { bands: [rgb(softColor, 1), rgb(mediumColor, 64), rgb(hardColor, 127)] as const } : {}),
    ...(fadeDurationMs === undefined ? {} : { fadeMs: fadeDurationMs }),
  };
}

/** What LedFeedback needs of the device manager. */
export interface LedDevices {
  readonly outputs: Pick<MidiOutputs, 'send'>;
  readonly virtualDevice: { readonly name: string };
  devices(): DeviceInfo[];
  readonly onDidMidiEvent: Event<MidiEvent>;
  readonly onDidChangeDevices: Event<DeviceInfo[]>;
}

export interface LedFeedbackOptions {
  devices: LedDevices;
  clock: Clock;
  timer: Timer;
  frameMs?: number;
  fadeMs?: number;
}

/**
 * The outputs to light: the virtual controller (palette) and, for each connected hardware input, the output of the
 * same name, as its built-in layout's LED scheme says (a device no layout knows: on/off with on_velocity / off_velocity).
 */
export function ledTargets(devices: LedDevices, list: readonly DeviceInfo[] = devices.devices()): LedTarget[] {
  const target = (name: string, kind: LedTarget['kind']): LedTarget => ({ id: name, kind, send: (message: MidiMessage) => void devices.outputs.send(name, message) });
  const out: LedTarget[] = [target(devices.virtualDevice.name, 'palette')];
  const outputs = list.filter((d) => d.direction === 'output' && d.kind === 'hardware' && d.state !== 'unavailable');
  for (const input of list) {
    if (input.direction !== 'input' || input.kind !== 'hardware' || input.state !== 'connected') continue;
    const output = outputs.find((o) => o.name === input.name);
    if (output === undefined || out.some((t) => t.id === output.name)) continue;
    out.push(target(output.name, builtinLayoutFor(output.name)?.led ?? 'on-off'));
  }
  return out;
}

export class LedFeedback {
  readonly #options: LedFeedbackOptions;
  readonly #unsubscribe: Array<() => void>;
  #config: AppConfig;
  #mode: string | null;
  #engine: LedEngine | null = null;
  #disposed = false;

  constructor(config: AppConfig, mode: string | null, options: LedFeedbackOptions) {
    this.#options = options;
    this.#config = config;
    this.#mode = mode;
    const { devices } = options;
    this.#unsubscribe = [
      devices.onDidMidiEvent(({ message }) => this.#onMidi(message)),
      devices.onDidChangeDevices((list) => this.#engine?.setTargets(ledTargets(devices, list))),
    ];
    this.#update();
  }

  /** The running engine (null while LED feedback is off). */
  get engine(): LedEngine | null {
    return this.#engine;
  }

  /** A new config (reload): starts, updates or stops the engine. */
  apply(config: AppConfig, mode: string | null): void {
    this.#config = config;
    this.#mode = mode;
    this.#update();
  }

  /** The engine switched modes: the new mode's colour, scheme and pads. */
  setMode(mode: string | null): void {
    this.#mode = mode;
    this.#update();
  }

  /** Turns off what it lit and stops listening. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const u of this.#unsubscribe.splice(0)) u();
    this.#engine?.stop();
    this.#engine = null;
  }

  #update(): void {
    if (this.#disposed) return;
    if (!ledFeedbackEnabled(this.#config)) {
      this.#engine?.stop();
      this.#engine = null;
      return;
    }
    const state = resolveLedState(this.#config, this.#mode);
    if (this.#engine === null) {
      const { clock, timer, frameMs, fadeMs } = this.#options;
      this.#engine = new LedEngine(state, ledTargets(this.#options.devices), { clock, timer, ...(frameMs === undefined ? {} : { frameMs }), ...(fadeMs === undefined ? {} : { fadeMs }) });
    } else this.#engine.setState(state);
  }

  #onMidi(message: MidiMessage): void {
    const engine = this.#engine;
    if (engine === null) return;
    if (message.type === 'noteOn') engine.press(message.note, message.velocity);
    else if (message.type === 'noteOff') engine.release(message.note);
  }
}
