// How a MIDI port is named and found: stable ids, the one rule that finds an output by the name a mapping, the
// config or a plugin wrote, and the "part of the name, any case" test `[device] name` uses. Pure; never opens a port.
import { stablePortName, type MidiPort } from './backend';

/** A listed port as matching sees it: its id (`hw-out:…`) and the name the OS gives it. */
export interface NamedPort {
  readonly id: string;
  readonly name: string;
}

/** Whether `part` is part of the port's `name`, in any case ("synth" is part of "Synth:Synth MIDI 1 32:0"). Empty never is. */
export function portNameContains(name: string, part: string): boolean {
  return part !== '' && name.toLowerCase().includes(part.toLowerCase());
}

/**
 * The port `wanted` names, trying in turn: the exact name; the name without the ALSA client:port numbers
 * ("Synth:Synth MIDI 1"); the id ("hw-out:Synth:Synth MIDI 1"); a part of the name in any case ("synth"). Each step
 * takes the first port in list order (the OS's), so a part that fits several ports picks the first listed, and an
 * exact name wins over an earlier port that merely contains it. Null when nothing matches.
 */
export function findPort<T extends NamedPort>(ports: readonly T[], wanted: string): T | null {
  return (
    ports.find((p) => p.name === wanted) ??
    ports.find((p) => stablePortName(p.name) === wanted) ??
    ports.find((p) => p.id === wanted) ??
    ports.find((p) => portNameContains(p.name, wanted)) ??
    null
  );
}

/** Ids `<prefix><name without ALSA numbers>`; a second port with the same name gets "#2", a third "#3"… */
export function withPortIds(prefix: string, ports: readonly MidiPort[]): { id: string; port: MidiPort }[] {
  const counts = new Map<string, number>();
  return ports.map((port) => {
    const stable = stablePortName(port.name);
    const n = (counts.get(stable) ?? 0) + 1;
    counts.set(stable, n);
    return { id: `${prefix}${stable}${n > 1 ? `#${n}` : ''}`, port };
  });
}
