// The one rule that finds a MIDI port by the name a mapping, the config or a plugin wrote: exact name, then the
// name without ALSA numbers, then the id, then a part of the name in any case — first in OS order at each step.
import { describe, expect, it } from 'vitest';
import { findPort, portNameContains, withPortIds } from './port-match';

const ports = (...names: string[]) => withPortIds('hw-out:', names.map((name, index) => ({ index, name }))).map(({ id, port }) => ({ id, name: port.name }));

describe('findPort', () => {
  const list = ports('Synth A:Synth A MIDI 1 24:0', 'synth', 'Synth B:Synth B MIDI 1 28:0', 'Drum Machine');

  it('takes the exact name first, even when an earlier port contains it', () => {
    expect(findPort(list, 'synth')?.name).toBe('synth');
    expect(findPort(list, 'Drum Machine')?.name).toBe('Drum Machine');
  });

  it('then the name without the ALSA client:port numbers (they change on re-plug)', () => {
    expect(findPort(list, 'Synth B:Synth B MIDI 1')?.name).toBe('Synth B:Synth B MIDI 1 28:0');
  });

  it('then the id', () => {
    expect(findPort(list, 'hw-out:Synth A:Synth A MIDI 1')?.name).toBe('Synth A:Synth A MIDI 1 24:0');
  });

  it('then a part of the name in any case; when several contain it, the first listed wins', () => {
    expect(findPort(list, 'DRUM')?.name).toBe('Drum Machine');
    expect(findPort(list, 'synth b')?.name).toBe('Synth B:Synth B MIDI 1 28:0');
    expect(findPort(list, 'MIDI 1')?.name).toBe('Synth A:Synth A MIDI 1 24:0');
  });

  it('is case-sensitive only for the exact step: "SYNTH" is a part of the first port, not the exact "synth"', () => {
    expect(findPort(list, 'SYNTH')?.name).toBe('Synth A:Synth A MIDI 1 24:0');
  });

  it('matches nothing for an empty name or a name no port contains', () => {
    expect(findPort(list, '')).toBeNull();
    expect(findPort(list, 'Launchpad')).toBeNull();
    expect(findPort([], 'synth')).toBeNull();
  });

  it('tells two ports with the same name apart by their ids', () => {
    const twins = ports('nanoKEY 20:0', 'nanoKEY 24:0');
    expect(twins.map((p) => p.id)).toEqual(['hw-out:nanoKEY', 'hw-out:nanoKEY#2']);
    expect(findPort(twins, 'hw-out:nanoKEY#2')?.name).toBe('nanoKEY 24:0');
    expect(findPort(twins, 'nanoKEY')?.name).toBe('nanoKEY 20:0');
  });
});

describe('portNameContains', () => {
  it('is a case-insensitive part of the name; an empty part never matches', () => {
    expect(portNameContains('Maschine Mikro MK3 MIDI 1', 'maschine')).toBe(true);
    expect(portNameContains('Maschine Mikro MK3 MIDI 1', 'MK3 midi')).toBe(true);
    expect(portNameContains('Maschine Mikro MK3 MIDI 1', 'Launchpad')).toBe(false);
    expect(portNameContains('Maschine Mikro MK3 MIDI 1', '')).toBe(false);
  });
});
