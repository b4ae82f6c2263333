// The joystick interface's events and what they mean in Conductor's ids: decoding, the Xbox and PlayStation
// numberings, sticks (Y up = +), analog triggers (rest −32767 → 0), the D-pad as a hat axis, and initial-state events.
import { describe, expect, it } from 'vitest';
import { decodeJsEvent, encodeJsEvent, GENERIC_LAYOUT, JoydevTranslator, layoutForName, PLAYSTATION_LAYOUT, XBOX_LAYOUT, type JsEvent } from './joydev';

const ev = (type: 'button' | 'axis', number: number, value: number, initial = false): JsEvent => ({ timeMs: 1234, value, type, initial, number });

describe('js_event', () => {
  it('decodes what the kernel writes (and what encode writes)', () => {
    const e = ev('axis', 4, -32767, true);
    expect(decodeJsEvent(encodeJsEvent(e))).toEqual(e);
    // time 0x01020304, value -2, type button|init, number 7
    expect(decodeJsEvent(new Uint8Array([4, 3, 2, 1, 0xfe, 0xff, 0x81, 7]))).toEqual({ timeMs: 0x01020304, value: -2, type: 'button', initial: true, number: 7 });
    expect(decodeJsEvent(new Uint8Array([0, 0, 0, 0, 0, 0, 0x04, 0]))).toBeNull();
  });
});

describe('layouts', () => {
  it('are chosen by the controller’s name', () => {
    expect(layoutForName('Microsoft X-Box 360 pad')).toBe(XBOX_LAYOUT);
    expect(layoutForName('Sony Interactive Entertainment Wireless Controller')).toBe(PLAYSTATION_LAYOUT);
    expect(layoutForName('Thrustmaster T.16000M')).toBe(GENERIC_LAYOUT);
  });

  it('Xbox: A B X Y, shoulders, Back/Start/Guide, stick clicks → 128… ids', () => {
    const t = new JoydevTranslator(XBOX_LAYOUT);
    const ids = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => t.translate(ev('button', n, 1))[0]);
    expect(ids.map((i) => (i?.kind === 'button' ? i.id : null))).toEqual([128, 129, 130, 131, 136, 137, 141, 140, 142, 138, 139]);
    expect(t.translate(ev('button', 0, 0))).toEqual([{ kind: 'button', id: 128, pressed: false, value: 0 }]);
  });

  it('PlayStation: Cross Circle Triangle Square map to South East North West; L2/R2 buttons to the digital ids', () => {
    const t = new JoydevTranslator(PLAYSTATION_LAYOUT);
    const ids = [0, 1, 2, 3, 6, 7].map((n) => t.translate(ev('button', n, 1))[0]);
    expect(ids.map((i) => (i?.kind === 'button' ? i.id : null))).toEqual([128, 129, 131, 130, 143, 144]);
  });
});

describe('axes', () => {
  it('sticks: X as is, Y inverted so that up is +; triggers 0–127 from rest −32767', () => {
    const t = new JoydevTranslator(XBOX_LAYOUT);
    expect(t.translate(ev('axis', 0, 32767))).toEqual([{ kind: 'axis', id: 128, value: 1 }]);
    expect(t.translate(ev('axis', 1, -32767))).toEqual([{ kind: 'axis', id: 129, value: 1 }]);
    expect(t.translate(ev('axis', 4, 16384))).toEqual([{ kind: 'axis', id: 131, value: -16384 / 32767 }]);
    expect(t.translate(ev('axis', 2, -32767))).toEqual([{ kind: 'trigger', id: 132, value: 0 }]);
    expect(t.translate(ev('axis', 5, 32767))).toEqual([{ kind: 'trigger', id: 133, value: 127 }]);
  });

  it('the D-pad hat presses and releases the D-pad buttons, and a direct switch releases one and presses the other', () => {
    const t = new JoydevTranslator(XBOX_LAYOUT);
    expect(t.translate(ev('axis', 7, 0, true))).toEqual([]);
    expect(t.translate(ev('axis', 7, -32767))).toEqual([{ kind: 'button', id: 132, pressed: true, value: 127 }]);
    expect(t.translate(ev('axis', 7, 32767))).toEqual([
      { kind: 'button', id: 132, pressed: false, value: 0 },
      { kind: 'button', id: 133, pressed: true, value: 127 },
    ]);
    expect(t.translate(ev('axis', 7, 0))).toEqual([{ kind: 'button', id: 133, pressed: false, value: 0 }]);
    expect(t.translate(ev('axis', 6, -20000))).toEqual([{ kind: 'button', id: 134, pressed: true, value: 127 }]);
  });

  it('ignores initial-state events and numbers the layout does not know', () => {
    const t = new JoydevTranslator(XBOX_LAYOUT);
    expect(t.translate(ev('button', 0, 1, true))).toEqual([]);
    expect(t.translate(ev('button', 40, 1))).toEqual([]);
    expect(t.translate(ev('axis', 30, 1))).toEqual([]);
  });
});
