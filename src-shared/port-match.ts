// The one rule that finds a MIDI port by the name a mapping, the config or a plugin wrote (main sends with it, the UI
// says with it whether a named port is there now). Pure string matching; never opens or lists a port.

/** A listed port as matching sees it: its id (`hw-out:…`) and the name the OS gives it. */
export interface NamedPort {
  readonly id: string;
  readonly name: string;
}

/**
 * A port name without the ALSA "client:port" numbers RtMidi appends on Linux ("nanoPAD2:nanoPAD2 MIDI 1 24:0" →
 * "nanoPAD2:nanoPAD2 MIDI 1"); the client number changes when a device is re-plugged, the rest does not.
 */
export function stablePortName(name: string): string {
  return name.replace(/\s+\d+:\d+$/, '');
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
