// Unit tests of plugin-params.ts: what an action switch drops, missing required params across the draft (nested
// actions included, uninstalled plugins blocking nothing), the JSON parameter parse and stale Test results.
import { describe, expect, it } from 'vitest';
import type { AppConfig, Mapping } from '../../src-shared/config';
import type { PluginAction, PluginMetadata } from '../../src-shared/plugin';
import { sampleConfig, samplePlugin } from '../test-support/fake-api';
import { isStaleTest, listNames, missingRequired, parseJsonParam, requiredParamProblems, switchPluginAction } from './plugin-params';

const SWITCH_SCENE: PluginAction = { name: 'switch_scene', description: '', parameters: [{ name: 'scene_name', type: 'string', required: false, description: '' }] };
const FADE: PluginAction = {
  name: 'fade',
  description: '',
  parameters: [
    { name: 'source', type: 'string', required: false, description: '' },
    { name: 'fade_ms', type: 'number', required: true, description: '' },
  ],
};
const META: PluginMetadata = {
  name: 'obs-shaped',
  version: '2.0.0',
  description: '',
  author: '',
  license: '',
  type: 'action',
  capabilities: [],
  actions: [SWITCH_SCENE, FADE],
  allowedHosts: [],
  settings: [],
  oauth: null,
  source: 'plugin.toml',
};
const OBS = samplePlugin('obs', { metadata: META });

const fadeMapping = (params: Record<string, string | number>): Mapping => ({
  description: 'Fade',
  trigger: { type: 'Note', note: 40 },
  action: { type: 'WasmPlugin', path: OBS.wasmPath, params: { action: 'fade', ...params } },
});

describe('switchPluginAction', () => {
  it('keeps the params the new action declares and drops every other one, naming them in order', () => {
    expect(switchPluginAction({ action: 'switch_scene', scene_name: 'Intro', source: 'Cam', extra: 1 }, FADE)).toEqual({
      params: { action: 'fade', source: 'Cam' },
      dropped: ['scene_name', 'extra'],
    });
  });
  it('drops nothing when everything fits, and never reports `action` itself', () => {
    expect(switchPluginAction({ action: 'fade', source: 'Cam' }, SWITCH_SCENE)).toEqual({ params: { action: 'switch_scene' }, dropped: ['source'] });
    expect(switchPluginAction({ action: 'fade' }, SWITCH_SCENE)).toEqual({ params: { action: 'switch_scene' }, dropped: [] });
  });
  it('lists names in words', () => {
    expect(listNames(['a'])).toBe('a');
    expect(listNames(['a', 'b'])).toBe('a and b');
    expect(listNames(['a', 'b', 'c'])).toBe('a, b and c');
  });
});

describe('required parameters', () => {
  it('are missing while absent or blank, and fine once set (0 and false count as set)', () => {
    expect(missingRequired({ action: 'fade' }, FADE).map((p) => p.name)).toEqual(['fade_ms']);
    expect(missingRequired({ action: 'fade', fade_ms: '  ' }, FADE).map((p) => p.name)).toEqual(['fade_ms']);
    expect(missingRequired({ action: 'fade', fade_ms: 0 }, FADE)).toEqual([]);
    expect(missingRequired({ action: 'fade' }, undefined)).toEqual([]);
  });

  it('are found across modes, global mappings and nested Sequence/Repeat steps, with their field paths', () => {
    const config: AppConfig = sampleConfig();
    config.modes[0]!.mappings.push(fadeMapping({}));
    config.modes[1]!.mappings.push({
      description: 'Nested',
      trigger: { type: 'Note', note: 41 },
      action: { type: 'Sequence', actions: [{ type: 'Delay', ms: 5 }, { type: 'Repeat', count: 2, action: fadeMapping({ source: 'x' }).action }] },
    });
    config.globalMappings.push(fadeMapping({ fade_ms: 100 }));
    expect(requiredParamProblems(config, [OBS])).toEqual([
      { key: 'm0:2', field: 'action.params.fade_ms', message: 'fade_ms is required for fade' },
      { key: 'm1:0', field: 'action.actions[1].action.params.fade_ms', message: 'fade_ms is required for fade' },
    ]);
  });

  it('block nothing for a plugin that is not installed or has no metadata', () => {
    const config: AppConfig = sampleConfig();
    config.modes[0]!.mappings.push(fadeMapping({}));
    expect(requiredParamProblems(config, [])).toEqual([]);
    expect(requiredParamProblems(config, [samplePlugin('obs')])).toEqual([]);
  });
});

describe('parseJsonParam', () => {
  it('takes empty text as no value, valid JSON as its value, and says why otherwise', () => {
    expect(parseJsonParam('  ')).toEqual({ ok: true, value: undefined });
    expect(parseJsonParam('[1, 2]')).toEqual({ ok: true, value: [1, 2] });
    expect(parseJsonParam('{"volume": 50}', true)).toEqual({ ok: true, value: { volume: 50 } });
    expect(parseJsonParam('{"volume": ')).toEqual({ ok: false, message: 'Not valid JSON yet' });
    expect(parseJsonParam('[1]', true)).toMatchObject({ ok: false, message: expect.stringContaining('JSON object') });
    expect(parseJsonParam('null', true).ok).toBe(false);
  });
});

describe('isStaleTest', () => {
  it('is stale once the path or any param differs from what the Test ran with', () => {
    const ran = { path: '/p/a.wasm', params: { action: 'fade', fade_ms: 100 } };
    expect(isStaleTest(ran, { path: '/p/a.wasm', params: { fade_ms: 100, action: 'fade' } })).toBe(false);
    expect(isStaleTest(ran, { path: '/p/a.wasm', params: { action: 'fade', fade_ms: 101 } })).toBe(true);
    expect(isStaleTest(ran, { path: '/p/b.wasm', params: ran.params })).toBe(true);
    expect(isStaleTest(null, ran)).toBe(false);
  });
});
