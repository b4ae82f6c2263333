// Layouts slice: the saved controller layouts (learned layouts, the layout chosen per device) — layouts.get/save and
// layouts.didChange. Edits show at once and are saved one after another; never writes anything but the whole state.
import type { ConductorApi } from '../../../src-shared/contract';
import type { ControllerLayout, ControllerLayoutsState } from '../../../src-shared/controller-layout';
import { layoutChoiceKey } from '../../../src-shared/device-layouts';
import { errorMessage } from '../../format';
import type { LayoutsSlice, SliceCreator } from '../types';

type Edit = (state: ControllerLayoutsState) => ControllerLayoutsState;

/** `state` with `layout` added, or replacing the learned layout with its id. */
export function withCustomLayout(state: ControllerLayoutsState, layout: ControllerLayout): ControllerLayoutsState {
  const at = state.custom.findIndex((l) => l.id === layout.id);
  const custom = at < 0 ? [...state.custom, layout] : state.custom.map((l, i) => (i === at ? layout : l));
  return { ...state, custom };
}

/** `state` without the learned layout `id`, and without the devices' choices of it (they go back to automatic). */
export function withoutCustomLayout(state: ControllerLayoutsState, id: string): ControllerLayoutsState {
  const choices = Object.fromEntries(Object.entries(state.choices).filter(([, chosen]) => chosen !== id));
  return { custom: state.custom.filter((l) => l.id !== id), choices };
}

/**
 * `state` with `layoutId` chosen for `deviceName` (null: chosen automatically again), saved under the name without
 * the ALSA client:port numbers so the choice survives re-plugging (layoutForDevice looks it up the same way).
 */
export function withChoice(state: ControllerLayoutsState, deviceName: string, layoutId: string | null): ControllerLayoutsState {
  const choices = { ...state.choices };
  const key = layoutChoiceKey(deviceName);
  delete choices[deviceName];
  if (layoutId === null) delete choices[key];
  else choices[key] = layoutId;
  return { ...state, choices };
}

export const createLayoutsSlice = (api: ConductorApi): SliceCreator<LayoutsSlice> => {
  return (set, get) => {
    /** What main last said it has. */
    let confirmed: ControllerLayoutsState = { custom: [], choices: {} };
    /** Edits shown but not yet saved, oldest first; each is saved in turn on top of what main confirmed. */
    const pending: { edit: Edit }[] = [];
    let queue: Promise<unknown> = Promise.resolve();

    const show = (): void => set({ controllerLayouts: pending.reduce((s, p) => p.edit(s), confirmed) });

    const change = (what: string, edit: Edit): Promise<string | null> => {
      const entry = { edit };
      pending.push(entry);
      show();
      const run = queue.then(async (): Promise<string | null> => {
        let error: string | null;
        try {
          const reply = await api.layouts.save(edit(confirmed));
          if (reply.ok) confirmed = reply.state;
          error = reply.ok ? null : reply.error;
        } catch (err) {
          error = errorMessage(err);
        }
        pending.splice(pending.indexOf(entry), 1);
        show();
        if (error !== null) get().toast('error', `${what}: ${error}`, 'layouts');
        return error;
      });
      queue = run;
      return run;
    };

    return {
      controllerLayouts: confirmed,
      layoutsLoaded: false,
      layoutsChanged(state) {
        confirmed = state;
        set({ layoutsLoaded: true });
        show();
      },
      chooseLayout: (deviceName, layoutId) => change('Controller layout', (s) => withChoice(s, deviceName, layoutId)),
      saveCustomLayout: (layout) => change('Controller layout', (s) => withCustomLayout(s, layout)),
      removeCustomLayout: (id) => change('Remove controller layout', (s) => withoutCustomLayout(s, id)),
    };
  };
};
