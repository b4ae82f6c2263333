// The templates slice: the list loads once; applying one replaces the draft as one undo step (saving nothing) and a
// refusal is a toast; the offer goes to the first connected hardware input with a template, unless turned down.
import { afterEach, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../../src-shared/config';
import { DEVICE_TEMPLATES } from '../../../src-shared/device-templates';
import type { DeviceInfo } from '../../../src-shared/midi';
import { connectStore, flush, sampleConfig } from '../../test-support/fake-api';
import { templateOffer } from './templates';

const NANO = DEVICE_TEMPLATES.find((t) => t.id === 'nanokontrol2');
if (!NANO) throw new Error('no nanokontrol2 template');

function device(name: string, patch: Partial<DeviceInfo> = {}): DeviceInfo {
  return { id: `hw-in:${name}`, name, kind: 'hardware', direction: 'input', state: 'connected', detail: null, ...patch };
}

function templateConfig(): AppConfig {
  const c = sampleConfig();
  return { ...c, device: { ...c.device, name: 'nanoKONTROL2' }, modes: [{ name: 'Transport', color: null, mappings: [] }, { name: 'Shortcuts', color: null, mappings: [] }] };
}

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
});

describe('templates slice', () => {
  it('loads the list once', async () => {
    const c = await connectStore({ 'config.templates': () => [...DEVICE_TEMPLATES] });
    stop = c.stop;
    await c.store.getState().loadTemplates();
    await c.store.getState().loadTemplates();
    expect(c.api.callsOf('config.templates')).toEqual([[]]);
    expect(c.store.getState().templates?.length).toBe(12);
  });

  it('applying replaces the draft (one undo step, nothing saved); undo brings the old draft back', async () => {
    const applied = templateConfig();
    const c = await connectStore({ 'config.applyTemplate': () => ({ ok: true, config: applied, template: NANO }) });
    stop = c.stop;
    const before = c.store.getState().draft;
    expect(await c.store.getState().applyTemplate('nanokontrol2')).toBe(true);
    expect(c.api.callsOf('config.applyTemplate')).toEqual([['nanokontrol2']]);
    expect(c.store.getState().draft).toEqual(applied);
    expect(c.store.getState().selectedScope).toBe('m0');
    expect(c.api.callsOf('config.save')).toEqual([]);
    expect(c.store.getState().toasts.at(-1)?.text).toMatch(/^Korg nanoKONTROL2: the template is in your mappings now/);
    c.store.getState().undo();
    expect(c.store.getState().draft).toEqual(before);
  });

  it('a refusal is a toast and leaves the draft', async () => {
    const c = await connectStore({ 'config.applyTemplate': () => ({ ok: false, error: 'unknown template "x"; known templates: a, b' }) });
    stop = c.stop;
    const before = c.store.getState().draft;
    expect(await c.store.getState().applyTemplate('x')).toBe(false);
    await flush();
    expect(c.store.getState().draft).toBe(before);
    expect(c.store.getState().toasts.at(-1)).toMatchObject({ tone: 'error', text: 'The template was not applied: unknown template "x"; known templates: a, b' });
    expect(c.store.getState().applyingTemplate).toBeNull();
  });
});

describe('the template offer', () => {
  it('goes to the first connected hardware input whose name has a template', () => {
    const devices = [
      device('Virtual Controller', { kind: 'virtual', id: 'virtual:in' }),
      device('nanoKONTROL2 MIDI 1', { direction: 'output', id: 'hw-out:nano' }),
      device('APC MINI MIDI 1', { state: 'disconnected' }),
      device('Some Synth'),
      device('nanoKONTROL2:nanoKONTROL2 MIDI 1 28:0'),
    ];
    expect(templateOffer(devices, DEVICE_TEMPLATES, [])?.template.id).toBe('nanokontrol2');
    expect(templateOffer(devices, null, [])).toBeNull();
    expect(templateOffer([device('Some Synth')], DEVICE_TEMPLATES, [])).toBeNull();
  });

  it('is not made again for a device turned down (by its name without the port numbers)', async () => {
    const c = await connectStore();
    stop = c.stop;
    c.store.getState().declineTemplateOffer('nanoKONTROL2:nanoKONTROL2 MIDI 1 28:0');
    c.store.getState().declineTemplateOffer('nanoKONTROL2:nanoKONTROL2 MIDI 1 28:0');
    const declined = c.store.getState().declinedTemplateOffers;
    expect(declined).toEqual(['nanoKONTROL2:nanoKONTROL2 MIDI 1']);
    expect(templateOffer([device('nanoKONTROL2:nanoKONTROL2 MIDI 1 32:0')], DEVICE_TEMPLATES, declined)).toBeNull();
    expect(templateOffer([device('nanoKONTROL2:nanoKONTROL2 MIDI 1 32:0'), device('Arturia BeatStep')], DEVICE_TEMPLATES, declined)?.template.id).toBe('beatstep');
  });
});
