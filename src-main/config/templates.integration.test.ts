// Each shipped device template runs in the engine: a real Core loads it as config.toml, and one press of a control
// mapped to a mode change — a pad or button on the virtual controller for MIDI templates, a button from the engine's
// gamepad input for gamepad templates — fires that mapping and switches the mode.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppConfig, Mapping } from '../../src-shared/config';
import type { EngineEvent } from '../../src-shared/engine';
import { startTestCore, type TestCore } from '../services/test-support/test-core';
import { DEVICE_TEMPLATES, templateFile, templatesDir } from './templates';

let t: TestCore | null = null;
afterEach(async () => {
  await t?.stop();
  t = null;
});

/** A ModeChange mapping to press, and the mode to be in first (its own mode; the first mode for a global one). */
function modeChangeToPress(config: AppConfig): { mapping: Mapping; from: string; to: string } {
  const first = config.modes[0]?.name ?? '';
  const candidates = [...config.modes.flatMap((m) => m.mappings.map((mapping) => ({ mapping, from: m.name }))), ...config.globalMappings.map((mapping) => ({ mapping, from: first }))];
  for (const { mapping, from } of candidates) {
    const action = mapping.action;
    if (action.type === 'ModeChange' && typeof action.mode === 'string' && action.mode !== from) return { mapping, from, to: action.mode };
  }
  throw new Error('no mode change to press');
}

/** One press and release of the mapping's control, through the input its device would use. */
function press(core: TestCore['core'], mapping: Mapping): void {
  const trigger = mapping.trigger;
  const virtual = core.devices.virtualDevice;
  switch (trigger.type) {
    case 'Note':
      virtual.pressPad(trigger.note, 100);
      virtual.releasePad(trigger.note);
      return;
    case 'CC':
      virtual.turnKnob(trigger.cc, 127);
      virtual.turnKnob(trigger.cc, 0);
      return;
    case 'GamepadButton': {
      const deviceId = 'gamepad:0 Test Controller';
      core.engine.handleGamepad({ deviceId, input: { kind: 'button', id: trigger.button, pressed: true, value: 127 }, timestamp: Date.now() });
      core.engine.handleGamepad({ deviceId, input: { kind: 'button', id: trigger.button, pressed: false, value: 0 }, timestamp: Date.now() });
      return;
    }
    default:
      throw new Error(`no way to press a ${trigger.type} trigger in this test`);
  }
}

describe('device templates in the engine', () => {
  for (const template of DEVICE_TEMPLATES) {
    it(`${template.id}: one press of a mode button switches the mode`, async () => {
      const text = readFileSync(templateFile(template, templatesDir() ?? ''), 'utf8');
      t = await startTestCore({ configText: text });
      const { core } = t;
      expect(core.config.issues).toEqual([]);
      const { mapping, from, to } = modeChangeToPress(core.config.config);
      if (core.engine.currentMode !== from) expect(core.engine.setMode(from).ok).toBe(true);

      const seen: EngineEvent[] = [];
      const switched = new Promise<void>((resolve) => {
        const stop = core.engine.onDidEngineEvent((e) => {
          seen.push(e);
          if (e.kind === 'mode-change' && e.reason === 'action') {
            stop();
            resolve();
          }
        });
      });
      press(core, mapping);
      await switched;
      expect(core.engine.currentMode).toBe(to);
      const fired = seen.find((e) => e.kind === 'trigger');
      expect(fired?.kind === 'trigger' ? fired.trigger : null).toBe(mapping.trigger.type);
    });
  }
});

describe('templates through the contract', () => {
  it('config.templates lists them; config.applyTemplate answers the running config with the template in it, saving nothing', async () => {
    t = await startTestCore({ configText: '[wasm]\nrequire_signature = true\n\n[[modes]]\nname = "Mine"\n' });
    const { services, core } = t;
    const listed = (await services.dispatch('config.templates', [])) as { id: string }[];
    expect(listed.map((x) => x.id)).toEqual(DEVICE_TEMPLATES.map((x) => x.id));

    const reply = await services.dispatch('config.applyTemplate', ['nanokontrol2']);
    if (!reply || typeof reply !== 'object' || !('ok' in reply) || reply.ok !== true || !('config' in reply)) throw new Error(`not applied: ${JSON.stringify(reply)}`);
    const config = reply.config as AppConfig;
    expect(config.device.name).toBe('nanoKONTROL2');
    expect(config.modes.map((m) => m.name)).toEqual(['Transport', 'Shortcuts']);
    expect(config.wasm.requireSignature).toBe(true);
    expect(core.config.config.modes.map((m) => m.name)).toEqual(['Mine']);
    expect(readFileSync(t.configPath, 'utf8')).toMatch(/name = "Mine"/);

    const unknown = await services.dispatch('config.applyTemplate', ['tr-808']);
    expect(unknown).toEqual({ ok: false, error: expect.stringMatching(/^unknown template "tr-808"; known templates: maschine-mikro-mk3, /) as unknown });
    await expect(services.dispatch('config.applyTemplate', [''])).rejects.toThrow(/config\.applyTemplate/);
    await expect(services.dispatch('config.applyTemplate', [])).rejects.toThrow(/config\.applyTemplate/);
  });
});
