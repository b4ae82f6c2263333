// Which controller the Mappings view draws (the device in use and its layout) and the names of controls on it, so
// every view names a trigger's control the same way ("Pad 5"). React hooks over the store; never edits anything.
import { useMemo } from 'react';
import type { TimingConfig, Trigger } from '../../src-shared/config';
import { layoutFromVirtual, type ControllerLayout } from '../../src-shared/controller-layout';
import { VIRTUAL_DEVICE_NAME } from '../../src-shared/midi';
import { layoutForDevice } from '../../src-shared/device-layouts';
import { drawnInput, layoutControlName, triggerWords } from './control-summary';
import { useApp } from '../store/context';

export interface ShownLayout {
  /** The layout drawn; null = a device no layout fits yet (the view offers to learn one). */
  layout: ControllerLayout | null;
  /** The input the layout belongs to (layout choices are kept by its name); '' when there is none at all. */
  deviceName: string;
  /** Its id (DeviceInfo.id): presses from it select controls ("follow") and grow a learned layout. */
  deviceId: string | null;
  /** The input is the virtual controller: pressing a control on screen plays it, and its LED feedback shows. */
  virtual: boolean;
  /** The virtual controller's own layout (as main reports it), when there is one. */
  virtualLayout: ControllerLayout | null;
}

/** The input drawn (control-summary's drawnInput: picked by hand, else the one in use, else virtual) and its layout. */
export function useShownLayout(): ShownLayout {
  const devices = useApp((s) => s.devices);
  const wanted = useApp((s) => s.draft?.device.name ?? null);
  const chosenId = useApp((s) => s.drawnInputId);
  const virtualSpec = useApp((s) => s.virtualLayout);
  const layouts = useApp((s) => s.controllerLayouts);
  return useMemo(() => {
    // The virtual controller (not the OS-level virtual port other software sends to, which is drawn like hardware).
    const virtualInput = devices.find((d) => d.direction === 'input' && d.id === `virtual:${VIRTUAL_DEVICE_NAME}`) ?? devices.find((d) => d.kind === 'virtual' && d.direction === 'input') ?? null;
    const virtualLayout = virtualSpec ? layoutFromVirtual(virtualSpec, virtualInput?.name) : null;
    const drawn = drawnInput(chosenId, wanted, devices);
    const hardware = drawn && drawn.id !== virtualInput?.id ? drawn : null;
    if (hardware) return { layout: layoutForDevice(hardware.name, layouts, virtualLayout ?? undefined), deviceName: hardware.name, deviceId: hardware.id, virtual: false, virtualLayout };
    const name = virtualInput?.name ?? virtualLayout?.name ?? '';
    const layout = name ? layoutForDevice(name, layouts, virtualLayout ?? undefined) : virtualLayout;
    return { layout: layout ?? virtualLayout, deviceName: name, deviceId: virtualInput?.id ?? null, virtual: true, virtualLayout };
  }, [devices, wanted, chosenId, virtualSpec, layouts]);
}

/** The shown layout's name of a trigger's control ("Pad 5"; a chord's "Pad 1 + Pad 5"), or null. */
export function useControlName(trigger: Trigger): string | null {
  const { layout } = useShownLayout();
  return layoutControlName(layout, trigger);
}

/** A trigger in words led by its control's name: "Pad 5 · Note E1 (40)" (just the words when no control fits). */
export function useTriggerWords(trigger: Trigger, timing?: TimingConfig): string {
  const { layout } = useShownLayout();
  return triggerWords(layout, trigger, timing);
}
