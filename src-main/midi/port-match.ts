// How a MIDI port is named and found: stable ids here, and the one rule that finds a port by the name a mapping, the
// config or a plugin wrote (src-shared/port-match.ts, shared with the UI) re-exported. Pure; never opens a port.
import { stablePortName } from '../../src-shared/port-match';
import type { MidiPort } from './backend';

export { findPort, portNameContains, type NamedPort } from '../../src-shared/port-match';

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
