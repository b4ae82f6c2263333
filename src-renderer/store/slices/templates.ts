// Templates slice: the device templates main ships (config.templates), applying one to the draft (config.applyTemplate,
// one undo step; the user saves as with any edit), and the "start from its template?" offers the user turned down.
// Never saves the config itself.
import type { ConductorApi } from '../../../src-shared/contract';
import { templateForDevice, type TemplateInfo } from '../../../src-shared/device-templates';
import type { DeviceInfo } from '../../../src-shared/midi';
import { stablePortName } from '../../../src-shared/port-match';
import { errorMessage } from '../../format';
import type { SliceCreator } from '../types';

export interface TemplatesSlice {
  /** The templates main offers; null until loaded. */
  templates: TemplateInfo[] | null;
  templatesError: string | null;
  /** A template being applied (its id), else null. */
  applyingTemplate: string | null;
  /** Device names (without ALSA's client:port) whose template offer was turned down in this session. */
  declinedTemplateOffers: string[];
  /** Loads the list once (again after a failure). */
  loadTemplates(): Promise<void>;
  /** The draft becomes the template's config (one undo step); true when it did. Nothing is saved. */
  applyTemplate(id: string): Promise<boolean>;
  declineTemplateOffer(deviceName: string): void;
}

/** A connected hardware input whose name calls for one of `templates`, with that template (the first such device). */
export function templateOffer(devices: readonly DeviceInfo[], templates: readonly TemplateInfo[] | null, declined: readonly string[]): { device: DeviceInfo; template: TemplateInfo } | null {
  if (!templates || templates.length === 0) return null;
  for (const device of devices) {
    if (device.kind === 'virtual' || device.direction !== 'input' || device.state !== 'connected') continue;
    if (declined.includes(stablePortName(device.name))) continue;
    const template = templateForDevice(device.name, templates);
    if (template) return { device, template };
  }
  return null;
}

export const createTemplatesSlice =
  (api: ConductorApi): SliceCreator<TemplatesSlice> =>
  (set, get) => ({
    templates: null,
    templatesError: null,
    applyingTemplate: null,
    declinedTemplateOffers: [],
    async loadTemplates() {
      if (get().templates !== null) return;
      try {
        set({ templates: await api.config.templates(), templatesError: null });
      } catch (err) {
        set({ templatesError: errorMessage(err) });
      }
    },
    async applyTemplate(id) {
      if (get().applyingTemplate !== null) return false;
      set({ applyingTemplate: id });
      try {
        const reply = await api.config.applyTemplate(id);
        if (!reply.ok) {
          get().toast('error', `The template was not applied: ${reply.error}`, 'template');
          return false;
        }
        get().editDraft(() => reply.config);
        set({ selectedScope: reply.config.modes.length > 0 ? 'm0' : 'g', editingKey: null, saveIssues: [] });
        get().toast('success', `${reply.template.title}: the template is in your mappings now. Review them and Save to use it (Undo brings your mappings back).`, 'template');
        return true;
      } catch (err) {
        get().toast('error', `The template was not applied: ${errorMessage(err)}`, 'template');
        return false;
      } finally {
        set({ applyingTemplate: null });
      }
    },
    declineTemplateOffer(deviceName) {
      const name = stablePortName(deviceName);
      set((s) => (s.declinedTemplateOffers.includes(name) ? s : { declinedTemplateOffers: [...s.declinedTemplateOffers, name] }));
    },
  });
