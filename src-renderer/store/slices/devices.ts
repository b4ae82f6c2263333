// Devices slice: MIDI backend status, the device list, the virtual controller's layout, held pads and LED lights;
// actions connect/disconnect devices and play the virtual controller. Never touches the draft config.
import type { ConductorApi, DevicesState, VirtualLightChange } from '../../../src-shared/contract';
import { guarded, succeeded } from '../guard';
import type { AppState, DevicesSlice, SliceCreator } from '../types';

/** State from a devices.list reply or a devices.onDidChange event (the lights too: main's snapshot of them now). */
export function applyDevicesState(d: DevicesState): Partial<AppState> {
  return { midiStatus: d.status, devices: d.devices, virtualLayout: d.virtualLayout, padLights: { ...d.lights } };
}

/** A virtual.onDidChangeLight event: the pad lit with `velocity`, or unlit (velocity 0). Unchanged state when it already was. */
export function applyLight(s: Pick<AppState, 'padLights'>, change: VirtualLightChange): Partial<AppState> {
  const current = s.padLights[change.note];
  if (change.velocity > 0 ? current === change.velocity : current === undefined) return {};
  const padLights = { ...s.padLights };
  if (change.velocity > 0) padLights[change.note] = change.velocity;
  else delete padLights[change.note];
  return { padLights };
}

export const createDevicesSlice =
  (api: ConductorApi): SliceCreator<DevicesSlice> =>
  (set, get) => {
    const busy = (id: string, on: boolean) =>
      set((s) => {
        const deviceBusy = { ...s.deviceBusy };
        if (on) deviceBusy[id] = true;
        else delete deviceBusy[id];
        return { deviceBusy };
      });
    const toggle = async (id: string, connect: boolean) => {
      busy(id, true);
      const what = `${connect ? 'Connect' : 'Disconnect'} ${id}`;
      const reply = await guarded(get, what, () => (connect ? api.devices.connect(id) : api.devices.disconnect(id)));
      succeeded(get, what, reply);
      busy(id, false);
    };
    return {
      midiStatus: null,
      devices: [],
      virtualLayout: null,
      deviceBusy: {},
      pressedNotes: {},
      padLights: {},
      connectDevice: (id) => toggle(id, true),
      disconnectDevice: (id) => toggle(id, false),
      async pressPad(note, velocity) {
        set((s) => ({ pressedNotes: { ...s.pressedNotes, [note]: velocity } }));
        const v = Math.max(1, Math.min(127, Math.round(velocity)));
        const reply = await guarded(get, `Pad ${note}`, () => api.virtual.press(note, v));
        if (!succeeded(get, `Pad ${note}`, reply)) {
          set((s) => {
            const pressedNotes = { ...s.pressedNotes };
            delete pressedNotes[note];
            return { pressedNotes };
          });
        }
      },
      async releasePad(note) {
        if (get().pressedNotes[note] === undefined) return;
        set((s) => {
          const pressedNotes = { ...s.pressedNotes };
          delete pressedNotes[note];
          return { pressedNotes };
        });
        const reply = await guarded(get, `Release pad ${note}`, () => api.virtual.release(note));
        succeeded(get, `Release pad ${note}`, reply);
      },
      async turnKnob(cc, value) {
        const reply = await guarded(get, `Knob CC ${cc}`, () => api.virtual.knob(cc, Math.max(0, Math.min(127, Math.round(value)))));
        succeeded(get, `Knob CC ${cc}`, reply);
      },
    };
  };
