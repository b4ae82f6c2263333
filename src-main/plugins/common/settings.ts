// Plugin settings (issue #14): a user's values checked against the metadata's declarations, resolved with defaults
// for the sandbox, and the hosts a `url`/`host` setting opens. Pure data; never logs or returns a secret's value in text.
import type { PluginSettingSpec, SettingValue } from '../../../src-shared/plugin';

/** What the sandbox gets with a call: every declared setting's value (the user's, else the default). */
export interface SandboxSettings {
  values: Readonly<Record<string, SettingValue>>;
  /** Every declared name, set or not (`conductor.setting` answers notSet for a declared name without a value). */
  declared: readonly string[];
  /** allowed_hosts entries the user's url/host settings add (exactly that host and port). */
  hosts: readonly string[];
  /** The current OAuth access token (`conductor.oauth_token`), when the plugin declares a provider and the user connected. */
  oauthToken?: { access_token: string; expires_at: number } | null;
}

export interface ResolvedSettings {
  sandbox: SandboxSettings;
  /**
   * Why a call cannot run, in order: a value that does not fit its declaration ("setting port must be a number"),
   * then each required setting without a value ("set password in the plugin's settings").
   */
  problems: string[];
}

/** Thrown for a value that does not fit its declaration; the message never contains a secret's value. */
export class SettingValueError extends Error {
  override readonly name = 'SettingValueError';
}

/** The message a call fails with while a required setting has no value. */
export function missingSettingMessage(name: string): string {
  return `set ${name} in the plugin's settings`;
}

/**
 * The allowed_hosts entry a url/host setting stands for: `ws://127.0.0.1:4455/x` → `127.0.0.1:4455`,
 * `obs.local:4455` → `obs.local:4455`, `[::1]:8080` → `[::1]:8080`. Null for other types or an empty value.
 */
export function settingHost(spec: Pick<PluginSettingSpec, 'type'>, value: SettingValue): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  if (spec.type === 'url') {
    const url = new URL(value);
    return url.port ? `${url.hostname}:${url.port}` : url.hostname;
  }
  if (spec.type === 'host') return hostEntry(value);
  return null;
}

function hostEntry(value: string): string {
  const text = value.trim().toLowerCase();
  const parsed = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+|[0-9a-f:]+)(?::(\d{1,5}))?$/.exec(text);
  if (!parsed) throw new SettingValueError('must be a host name or address, optionally with :port (e.g. 127.0.0.1:4455)');
  const port = parsed[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw new SettingValueError('has a port outside 1–65535');
  return text;
}

/** Checks one value against its declaration (types, url syntax, host syntax); returns it normalised. */
export function checkSettingValue(spec: PluginSettingSpec, value: unknown): SettingValue {
  const what = `setting ${spec.name}`;
  switch (spec.type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new SettingValueError(`${what} must be a number`);
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw new SettingValueError(`${what} must be true or false`);
      return value;
    case 'url': {
      if (typeof value !== 'string') throw new SettingValueError(`${what} must be a URL`);
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        throw new SettingValueError(`${what} must be an absolute URL (e.g. ws://127.0.0.1:4455)`);
      }
      if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) throw new SettingValueError(`${what} must be an http(s) or ws(s) URL`);
      if (url.username || url.password) throw new SettingValueError(`${what} must not contain a user name or password`);
      return value;
    }
    case 'host':
      if (typeof value !== 'string') throw new SettingValueError(`${what} must be a host name or address`);
      try {
        return hostEntry(value);
      } catch (err) {
        throw new SettingValueError(`${what} ${(err as Error).message}`);
      }
    default:
      if (typeof value !== 'string') throw new SettingValueError(`${what} must be text`);
      return value;
  }
}

/** Parses a command-line `KEY=VALUE` against the declaration (numbers and true/false for number/bool settings). */
export function parseSettingText(spec: PluginSettingSpec, text: string): SettingValue {
  if (spec.type === 'number') {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw new SettingValueError(`setting ${spec.name} must be a number`);
    return n;
  }
  if (spec.type === 'bool') {
    if (!['true', 'false'].includes(text)) throw new SettingValueError(`setting ${spec.name} must be true or false`);
    return text === 'true';
  }
  return checkSettingValue(spec, text);
}

/**
 * The user's values resolved against the declarations: undeclared names are dropped, each value checked (text is
 * parsed for number and bool settings, as `--setting KEY=VALUE` gives it), defaults filled in. A value that does not
 * fit, and a required setting without a value, are `problems`.
 */
export function resolveSettings(specs: readonly PluginSettingSpec[], user: Readonly<Record<string, SettingValue>>): ResolvedSettings {
  const values: Record<string, SettingValue> = {};
  const hosts: string[] = [];
  const invalid: string[] = [];
  const missing: string[] = [];
  for (const spec of specs) {
    let value: SettingValue | null = null;
    const given = Object.hasOwn(user, spec.name) ? user[spec.name] : undefined;
    if (given !== undefined && given !== '') {
      try {
        value = typeof given === 'string' && (spec.type === 'number' || spec.type === 'bool') ? parseSettingText(spec, given) : checkSettingValue(spec, given);
        const host = settingHost(spec, value);
        if (host !== null) hosts.push(host);
      } catch (err) {
        invalid.push(err instanceof SettingValueError ? err.message : `setting ${spec.name} is not valid`);
        continue;
      }
    }
    if (value === null && spec.type !== 'secret') value = spec.default;
    if (value !== null && value !== '') values[spec.name] = value;
    else if (spec.required) missing.push(missingSettingMessage(spec.name));
  }
  return { sandbox: { values, declared: specs.map((s) => s.name), hosts }, problems: [...invalid, ...missing] };
}

/**
 * The allowed_hosts a plugin gets with its settings' hosts: its own list plus them. An empty own list means "any
 * public host", so it becomes `*` (which never unlocks a local address) plus the named hosts.
 */
export function withSettingHosts(own: readonly string[], settingHosts: readonly string[]): readonly string[] {
  if (settingHosts.length === 0) return own;
  return [...(own.length === 0 ? ['*'] : own), ...settingHosts];
}
