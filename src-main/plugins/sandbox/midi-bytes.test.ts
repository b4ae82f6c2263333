// MIDI validation for conductor.midi_send: complete messages with status bytes only.
import { describe, expect, it } from 'vitest';
import { midiProblem } from './midi-bytes';

const bytes = (hex: string) => new Uint8Array(Buffer.from(hex.replace(/\s/g, ''), 'hex'));

describe('midiProblem', () => {
  it.each([
    ['903C64', 'note-on'],
    ['803C00', 'note-off'],
    ['B0077F', 'control change'],
    ['C005', 'program change'],
    ['D040', 'channel pressure'],
    ['E00040', 'pitch bend'],
    ['F07E7F0601F7', 'SysEx'],
    ['F0F7', 'empty SysEx'],
    ['F8 FA FC FE FF', 'real-time'],
    ['F10F F20000 F301 F6', 'system common'],
    ['903C64 F07E7FF7 C001', 'several messages'],
  ])('accepts %s (%s)', (hex) => {
    expect(midiProblem(bytes(hex))).toBeNull();
  });

  it.each([
    ['', 'no bytes'],
    ['3C64', 'byte 0 (0x3C) is a data byte where a status byte must start a message (running status is not accepted)'],
    ['903C64 3C64', 'byte 3 (0x3C) is a data byte'],
    ['903C', 'message 0x90 at byte 0 is incomplete (needs 3 bytes)'],
    ['C0', 'message 0xC0 at byte 0 is incomplete (needs 2 bytes)'],
    ['90 3C F8', 'message 0x90 at byte 0 has a status byte 0xF8 where a data byte must be'],
    ['F07E7F', 'SysEx starting at byte 0 has no closing F7'],
    ['F07E90F7', 'SysEx starting at byte 0 contains status byte 0x90 at byte 2 before its F7'],
    ['F7', 'byte 0 (0xF7) is not a status byte that can start a message'],
    ['F4', 'byte 0 (0xF4) is not'],
    ['F5', 'byte 0 (0xF5) is not'],
    ['F9', 'byte 0 (0xF9) is not'],
    ['FD', 'byte 0 (0xFD) is not'],
  ])('refuses %s', (hex, reason) => {
    expect(midiProblem(bytes(hex))).toContain(reason);
  });
});
