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

  it('names the field that is wrong', () => {
    expect(() => normalizeMetadata({ capabilities: ['teleport'] }, 'init', 'p')).toThrow('plugin metadata (init): unknown capability "teleport"');
    expect(() => normalizeMetadata({ actions: [{ description: 'x' }] }, 'init', 'p')).toThrow('actions[0].name must be a non-empty string');
    expect(() => normalizeMetadata({ actions: [{ name: 'a', parameters: [{}] }] }, 'init', 'p')).toThrow('actions[0].parameters[0].name');
    expect(() => normalizeMetadata([], 'init', 'p')).toThrow(MetadataError);
    expect(() => resolveMetadata({ init: '{oops', sidecarToml: null, section: null }, 'p')).toThrow(/is not valid JSON/);
    expect(() => resolveMetadata({ init: null, sidecarToml: 'name = ', section: null }, 'p')).toThrow(/^plugin.toml: /);
  });
});
