// Plugin settings (issue #14): declarations parsed from metadata, values checked and resolved with defaults, the
// hosts url/host settings open, and the problems a call fails with — never quoting a secret.
import { describe, expect, it } from 'vitest';
import type { PluginSettingSpec } from '../../../src-shared/plugin';
import { normalizeMetadata } from './metadata';
import { parseSettingText, resolveSettings, settingHost, withSettingHosts } from './settings';

const spec = (name: string, type: PluginSettingSpec['type'], extra: Partial<PluginSettingSpec> = {}): PluginSettingSpec => ({
  name,
  type,
  description: '',
  default: null,
  required: false,
  ...extra,
});

const OBS = [
  spec('host', 'host', { default: '127.0.0.1' }),
  spec('port', 'number', { default: 4455 }),
  spec('password', 'secret', { required: true }),
  spec('verbose', 'bool', { default: false }),
];

describe('settings in metadata', () => {
  it('are parsed with their defaults (type string by default)', () => {
    const m = normalizeMetadata(
      { settings: [{ name: 'host', type: 'host', default: '127.0.0.1', description: 'OBS host' }, { name: 'password', type: 'secret', required: true }, { name: 'label' }] },
      'init',
      'x',
    );
    expect(m.settings).toEqual([
      { name: 'host', type: 'host', description: 'OBS host', default: '127.0.0.1', required: false },
      { name: 'password', type: 'secret', description: '', default: null, required: true },
      { name: 'label', type: 'string', description: '', default: null, required: false },
    ]);
  });

  it('refuse bad declarations, naming the entry', () => {
    const bad = (settings: unknown): (() => unknown) => () => normalizeMetadata({ settings }, 'init', 'x');
    expect(bad({})).toThrow(/"settings" must be an array/);
    expect(bad([{ name: 'a', type: 'colour' }])).toThrow(/settings\[0\]\.type must be one of string, number, bool, secret, url, host/);
    expect(bad([{ name: 'a' }, { name: 'a' }])).toThrow(/settings\[1\] repeats the name "a"/);
    expect(bad([{ name: 'has space' }])).toThrow(/settings\[0\]\.name must be/);
    expect(bad([{ name: 'p', type: 'number', default: '4455' }])).toThrow(/settings\[0\]\.default must be a number, got string/);
    expect(bad([{ name: 'k', type: 'secret', default: 'hunter2' }])).toThrow(/a secret cannot have a default/);
  });
});

describe('resolving values', () => {
  it('fills defaults, parses command-line text for numbers and bools, and lists missing required ones', () => {
    expect(resolveSettings(OBS, {})).toEqual({
      sandbox: { values: { host: '127.0.0.1', port: 4455, verbose: false }, declared: ['host', 'port', 'password', 'verbose'], hosts: [] },
      problems: ["set password in the plugin's settings"],
    });
    const r = resolveSettings(OBS, { host: '192.168.1.20', port: '4466', password: 's3cret', verbose: 'true', undeclared: 'x' });
    expect(r).toEqual({
      sandbox: { values: { host: '192.168.1.20', port: 4466, password: 's3cret', verbose: true }, declared: ['host', 'port', 'password', 'verbose'], hosts: ['192.168.1.20'] },
      problems: [],
    });
  });

  it('a value that does not fit is a problem that names the setting, never the value', () => {
    const r = resolveSettings([spec('port', 'number'), spec('url', 'url'), spec('token', 'secret', { required: true })], { port: 'forty', url: 'ftp://x', token: '' });
    expect(r.problems).toEqual(['setting port must be a number', 'setting url must be an http(s) or ws(s) URL', "set token in the plugin's settings"]);
    expect(JSON.stringify(r)).not.toContain('forty');
  });

  it('url and host settings the user gives open exactly that host and port; defaults do not', () => {
    expect(settingHost(spec('u', 'url'), 'ws://127.0.0.1:4455/path')).toBe('127.0.0.1:4455');
    expect(settingHost(spec('u', 'url'), 'https://api.example.com/v1')).toBe('api.example.com');
    expect(settingHost(spec('h', 'host'), 'OBS.local:4455')).toBe('obs.local:4455');
    expect(settingHost(spec('h', 'host'), '[::1]:8080')).toBe('[::1]:8080');
    expect(settingHost(spec('s', 'string'), '127.0.0.1')).toBeNull();
    expect(resolveSettings([spec('h', 'host', { default: '10.0.0.1' })], {}).sandbox.hosts).toEqual([]);
    expect(resolveSettings([spec('h', 'host')], { h: 'evil host' }).problems).toEqual(['setting h must be a host name or address, optionally with :port (e.g. 127.0.0.1:4455)']);
    expect(resolveSettings([spec('h', 'host')], { h: 'x:70000' }).problems).toEqual(['setting h has a port outside 1–65535']);
  });

  it('setting hosts widen the plugin\'s own list; an empty list (any public host) becomes "*" plus them', () => {
    expect(withSettingHosts([], [])).toEqual([]);
    expect(withSettingHosts([], ['127.0.0.1:4455'])).toEqual(['*', '127.0.0.1:4455']);
    expect(withSettingHosts(['api.example.com'], ['127.0.0.1:4455'])).toEqual(['api.example.com', '127.0.0.1:4455']);
  });

  it('command-line text is typed by the declaration', () => {
    expect(parseSettingText(spec('n', 'number'), '42')).toBe(42);
    expect(parseSettingText(spec('b', 'bool'), 'false')).toBe(false);
    expect(() => parseSettingText(spec('b', 'bool'), 'yes')).toThrow(/must be true or false/);
    expect(parseSettingText(spec('s', 'secret'), 'p=w')).toBe('p=w');
  });
});
