import { describe, expect, it } from 'vitest';
import type { PluginSettingSpec, PluginSettingsForm } from '../../src-shared/plugin';
import {
  draftsOf,
  localProblem,
  missingRequired,
  namedSetting,
  oauthConnectLabel,
  oauthPendingText,
  oauthScopesText,
  oauthStatusText,
  sameSettingsObjects,
  settingChanges,
} from './plugin-settings';

const spec = (name: string, type: PluginSettingSpec['type'], over: Partial<PluginSettingSpec> = {}): PluginSettingSpec => ({
  name,
  type,
  description: '',
  default: null,
  required: false,
  ...over,
});

const SPECS: PluginSettingSpec[] = [
  spec('host', 'host', { default: '127.0.0.1' }),
  spec('port', 'number', { default: 4455 }),
  spec('password', 'secret', { required: true }),
  spec('verbose', 'bool'),
  spec('nickname', 'string'),
];

function form(over: Partial<PluginSettingsForm> = {}): PluginSettingsForm {
  return { id: 'obs', specs: SPECS, values: {}, secretsSet: [], secretStorage: 'file', oauth: null, ...over };
}

describe('plugin settings form', () => {
  it('starts from the saved values, secrets always empty, a bool from its value or default', () => {
    expect(draftsOf(form())).toEqual({ host: '', port: '', password: '', verbose: false, nickname: '' });
    expect(draftsOf(form({ values: { port: 4466, verbose: true, nickname: 'me' }, secretsSet: ['password'] }))).toEqual({
      host: '',
      port: '4466',
      password: '',
      verbose: true,
      nickname: 'me',
    });
    expect(draftsOf({ ...form(), specs: [spec('on', 'bool', { default: true })] })).toEqual({ on: true });
  });

  it('sends only what changed: typed values set (numbers as numbers), emptied fields clear, an untouched secret stays', () => {
    const f = form({ values: { port: 4466, nickname: 'me' }, secretsSet: ['password'] });
    expect(settingChanges(f, draftsOf(f))).toEqual({});
    expect(settingChanges(f, { ...draftsOf(f), port: ' 4467 ', password: 's3cret', verbose: true })).toEqual({ port: 4467, password: 's3cret', verbose: true });
    expect(settingChanges(f, { ...draftsOf(f), nickname: '', port: '' })).toEqual({ nickname: null, port: null });
    // Text settings keep their spaces; url/host ones are trimmed (main checks them).
    expect(settingChanges(f, { ...draftsOf(f), nickname: ' a ', host: ' obs.local:4455 ' })).toEqual({ nickname: ' a ', host: 'obs.local:4455' });
  });

  it('knows the required settings still missing: a secret until it is set, a plain one unless it has a default', () => {
    expect(missingRequired(form())).toEqual(['password']);
    expect(missingRequired(form({ secretsSet: ['password'] }))).toEqual([]);
    const withRequiredText = { ...form({ secretsSet: ['password'] }), specs: [...SPECS, spec('scene', 'string', { required: true }), spec('mode', 'string', { required: true, default: 'a' })] };
    expect(missingRequired(withRequiredText)).toEqual(['scene']);
    expect(missingRequired({ ...withRequiredText, values: { scene: 'x' } })).toEqual([]);
  });

  it('flags a number that is not one, and finds the setting a refusal names', () => {
    expect(localProblem(SPECS[1]!, 'abc')).toBe('Enter a number');
    expect(localProblem(SPECS[1]!, '12.5')).toBeNull();
    expect(localProblem(SPECS[1]!, '')).toBeNull();
    expect(localProblem(SPECS[4]!, 'abc')).toBeNull();
    expect(namedSetting(form(), 'setting host must be a host name or address, optionally with :port (e.g. 127.0.0.1:4455)')).toBe('host');
    expect(namedSetting(form(), 'the plugin declares no setting "ghost"')).toBeNull();
    expect(namedSetting(form(), 'disk full')).toBeNull();
  });

  it("words the OAuth row: status, Connect or Reconnect, the scopes, the wait (which tab or window stays open)", () => {
    const oauth = { provider: 'Spotify', scopes: ['user-read-playback-state', 'user-modify-playback-state'], connected: false, pending: false, error: null };
    expect(oauthStatusText(oauth)).toBe('Spotify account: Not connected');
    expect(oauthConnectLabel(oauth)).toBe('Connect Spotify');
    expect(oauthStatusText({ ...oauth, connected: true })).toBe('Spotify account: Connected ✓');
    expect(oauthConnectLabel({ ...oauth, connected: true })).toBe('Reconnect');
    expect(oauthScopesText(oauth)).toBe('asks for: user-read-playback-state, user-modify-playback-state');
    expect(oauthScopesText({ ...oauth, scopes: [] })).toBe('asks for no particular permission (no scopes)');
    expect(oauthPendingText('browser')).toBe('Waiting for you to finish in the browser… (this tab can stay open)');
    expect(oauthPendingText('electron')).toBe('Waiting for you to finish in the browser… (this window can stay open)');
    expect(oauthPendingText(null)).toBe('Waiting for you to finish in the browser… (this tab/window can stay open)');
  });

  it('keeps the drafts only for a form whose settings objects are the very same (only its OAuth state changed)', () => {
    const f = form({ values: { port: 4466 } });
    expect(sameSettingsObjects(f, { ...f, oauth: { provider: 'X', scopes: [], connected: true, pending: false, error: null } })).toBe(true);
    // A load or a save brings new objects, even with equal contents: the fields start over (a typed secret is emptied).
    expect(sameSettingsObjects(f, { ...f, values: { port: 4466 } })).toBe(false);
    expect(sameSettingsObjects(f, { ...f, secretsSet: [] })).toBe(false);
  });
});
