import { describe, expect, it } from 'vitest';
import { MetadataError, normalizeMetadata, resolveMetadata } from './metadata';

describe('plugin metadata', () => {
  it('prefers init() over plugin.toml over the custom section', () => {
    const init = '{"name":"a"}';
    const toml = 'name = "b"';
    const section = '{"name":"c"}';
    expect(resolveMetadata({ init, sidecarToml: toml, section }, 'x').name).toBe('a');
    expect(resolveMetadata({ init: null, sidecarToml: toml, section }, 'x').name).toBe('b');
    expect(resolveMetadata({ init: null, sidecarToml: null, section }, 'x').name).toBe('c');
    expect(resolveMetadata({ init: null, sidecarToml: null, section: null }, 'x')).toMatchObject({ name: 'x', source: 'none', actions: [] });
  });

  it("normalises capability spellings from Conductor's files", () => {
    const m = normalizeMetadata({ capabilities: ['Network', 'SystemControl', 'system_control', 'FILESYSTEM'] }, 'init', 'p');
    expect(m.capabilities).toEqual(['network', 'systemcontrol', 'filesystem']);
  });

  it('accepts a plugin.toml with a [plugin] table', () => {
    const m = resolveMetadata({ init: null, sidecarToml: '[plugin]\nname = "t"\nversion = "2.0.0"\n[[actions]]\nname = "go"\n', section: null }, 'x');
    expect(m).toMatchObject({ name: 't', version: '2.0.0', actions: [{ name: 'go', description: '', parameters: [] }] });
  });

  describe('action parameters', () => {
    const paramsOf = (parameters: unknown) => normalizeMetadata({ actions: [{ name: 'switch_scene', parameters }] }, 'init', 'p').actions[0]?.parameters;

    it('takes objects, filling missing fields with defaults', () => {
      expect(paramsOf([{ name: 'scene_name', type: 'string', required: true, description: 'Scene to show' }, { name: 'fade' }])).toEqual([
        { name: 'scene_name', type: 'string', required: true, description: 'Scene to show' },
        { name: 'fade', type: 'string', required: false, description: '' },
      ]);
    });

    it("takes plain names, as Conductor's own plugins write them, with the object form's defaults", () => {
      expect(paramsOf(['scene_name'])).toEqual([{ name: 'scene_name', type: 'string', required: false, description: '' }]);
      expect(paramsOf(['scene_name'])).toEqual(paramsOf([{ name: 'scene_name' }]));
    });

    it('takes a mix of both shapes, in order', () => {
      expect(paramsOf(['scene_name', { name: 'fade_ms', type: 'number', required: true }, 'transition'])).toEqual([
        { name: 'scene_name', type: 'string', required: false, description: '' },
        { name: 'fade_ms', type: 'number', required: true, description: '' },
        { name: 'transition', type: 'string', required: false, description: '' },
      ]);
    });

    it('takes plain names from every metadata source', () => {
      const json = '{"actions":[{"name":"switch_scene","parameters":["scene_name",{"name":"fade_ms","type":"number"}]}]}';
      const toml = '[[actions]]\nname = "switch_scene"\nparameters = ["scene_name", { name = "fade_ms", type = "number" }]\n';
      const expected = [
        { name: 'scene_name', type: 'string', required: false, description: '' },
        { name: 'fade_ms', type: 'number', required: false, description: '' },
      ];
      for (const sources of [
        { init: json, sidecarToml: null, section: null },
        { init: null, sidecarToml: toml, section: null },
        { init: null, sidecarToml: `[plugin]\nname = "t"\n${toml}`, section: null },
        { init: null, sidecarToml: null, section: json },
      ]) {
        expect(resolveMetadata(sources, 'x').actions).toEqual([{ name: 'switch_scene', description: '', parameters: expected }]);
      }
    });

    it('refuses anything else, naming the action and the index', () => {
      const refusal = (parameters: unknown) => () => paramsOf(parameters);
      expect(refusal(['scene_name', 42])).toThrow(MetadataError);
      expect(refusal(['scene_name', 42])).toThrow(
        'plugin metadata (init): actions[0].parameters[1] of action "switch_scene" must be a parameter name or an object with a "name", got number 42',
      );
      expect(refusal([null])).toThrow('actions[0].parameters[0] of action "switch_scene" must be a parameter name or an object with a "name", got null');
      expect(refusal([true])).toThrow('actions[0].parameters[0] of action "switch_scene" must be a parameter name or an object with a "name", got boolean true');
      expect(refusal([['scene_name']])).toThrow('actions[0].parameters[0] of action "switch_scene" must be a parameter name or an object with a "name", got an array');
      expect(refusal(['a', ''])).toThrow('plugin metadata (init): actions[0].parameters[1] of action "switch_scene" must be a non-empty string');
      expect(refusal([{ name: '' }])).toThrow('actions[0].parameters[0].name of action "switch_scene" must be a non-empty string');
      expect(refusal([{ name: 7 }])).toThrow('actions[0].parameters[0].name of action "switch_scene" must be a non-empty string');
      expect(refusal(['scene_name', 'fade', 'scene_name'])).toThrow(
        'plugin metadata (init): actions[0].parameters[2] of action "switch_scene" repeats the name "scene_name" of parameters[0]',
      );
      expect(refusal(['scene_name', { name: 'scene_name', type: 'number' }])).toThrow('actions[0].parameters[1] of action "switch_scene" repeats the name "scene_name" of parameters[0]');
      expect(refusal('scene_name')).toThrow('actions[0].parameters of action "switch_scene" must be an array');
      expect(() => resolveMetadata({ init: null, sidecarToml: '[[actions]]\nname = "go"\nparameters = [1]\n', section: null }, 'x')).toThrow(
        'plugin metadata (plugin.toml): actions[0].parameters[0] of action "go" must be a parameter name or an object with a "name", got number 1',
      );
    });

    it('names the action by its own index when there are several', () => {
      const m = { actions: [{ name: 'a', parameters: ['x'] }, { name: 'b', parameters: ['y', 'y'] }] };
      expect(() => normalizeMetadata(m, 'custom-section', 'p')).toThrow('plugin metadata (custom-section): actions[1].parameters[1] of action "b" repeats the name "y" of parameters[0]');
    });
  });

  it('names the field that is wrong', () => {
    expect(() => normalizeMetadata({ capabilities: ['teleport'] }, 'init', 'p')).toThrow('plugin metadata (init): unknown capability "teleport"');
    expect(() => normalizeMetadata({ actions: [{ description: 'x' }] }, 'init', 'p')).toThrow('actions[0].name must be a non-empty string');
    expect(() => normalizeMetadata({ actions: [{ name: 'a', parameters: [{}] }] }, 'init', 'p')).toThrow('actions[0].parameters[0].name');
    expect(() => normalizeMetadata([], 'init', 'p')).toThrow(MetadataError);
    expect(() => resolveMetadata({ init: '{oops', sidecarToml: null, section: null }, 'p')).toThrow(/is not valid JSON/);
    expect(() => resolveMetadata({ init: null, sidecarToml: 'name = ', section: null }, 'p')).toThrow(/^plugin.toml: /);
  });
});
