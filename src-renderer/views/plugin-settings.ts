// The plain logic of a plugin's settings form (views/PluginSettings.tsx): which required settings are missing, the
// form's starting state (secrets always empty: main never sends their values), the changes a save sends — only
// what differs, a value sets, an emptied field clears — and the words of its OAuth row. Pure: no React, no store.
import type { PluginSettingSpec, PluginSettingsForm, SettingValue } from '../../src-shared/plugin';

/** What a secret field shows while its secret is set (the value itself never reaches the page). */
export const SECRET_SET_PLACEHOLDER = '•••••• (set — type to replace)';

export const STORAGE_NOTE: Record<PluginSettingsForm['secretStorage'], string> = {
  keychain: 'Secrets are encrypted with your system keychain before they are saved (plugin_secrets.json holds only the sealed values).',
  file: 'Browser mode: secrets are kept in plugin_secrets.json in your config folder, readable only by you (no system keychain here).',
};

/** Whether a setting has a value the plugin gets: the user's, or (not for secrets) its default. */
export function hasValue(form: PluginSettingsForm, spec: PluginSettingSpec): boolean {
  if (spec.type === 'secret') return form.secretsSet.includes(spec.name);
  return Object.hasOwn(form.values, spec.name) || spec.default !== null;
}

/** The required settings without a value: a call fails until they are set. */
export function missingRequired(form: PluginSettingsForm): string[] {
  return form.specs.filter((s) => s.required && !hasValue(form, s)).map((s) => s.name);
}

export function shownValue(value: SettingValue): string {
  return typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
}

/** The form's editable state: text per plain field, a box per bool, typed (never loaded) text per secret. */
export type Drafts = Record<string, string | boolean>;

export function draftsOf(form: PluginSettingsForm): Drafts {
  const out: Drafts = {};
  for (const spec of form.specs) {
    const value = form.values[spec.name];
    if (spec.type === 'secret') out[spec.name] = '';
    else if (spec.type === 'bool') out[spec.name] = typeof value === 'boolean' ? value : spec.default === true;
    else out[spec.name] = value === undefined ? '' : String(value);
  }
  return out;
}

/** The problem with a typed value the form can see by itself (a number that is not one); main checks the rest. */
export function localProblem(spec: PluginSettingSpec, draft: string | boolean): string | null {
  if (spec.type !== 'number' || typeof draft !== 'string' || draft.trim() === '') return null;
  return Number.isFinite(Number(draft.trim())) ? null : 'Enter a number';
}

/** Only what differs from what main has: a value sets, an emptied field clears (its default applies again). */
export function settingChanges(form: PluginSettingsForm, drafts: Drafts): Record<string, SettingValue | null> {
  const before = draftsOf(form);
  const changes: Record<string, SettingValue | null> = {};
  for (const spec of form.specs) {
    const draft = drafts[spec.name];
    if (draft === undefined || draft === before[spec.name]) continue;
    if (typeof draft === 'boolean') changes[spec.name] = draft;
    else if (spec.type === 'secret') {
      if (draft !== '') changes[spec.name] = draft;
    } else if (draft.trim() === '') changes[spec.name] = null;
    else if (spec.type === 'number') changes[spec.name] = Number(draft.trim());
    else changes[spec.name] = spec.type === 'string' ? draft : draft.trim();
  }
  return changes;
}

/** The setting main's refusal names ("setting port must be a number", `declares no setting "x"`), if any. */
export function namedSetting(form: PluginSettingsForm, error: string): string | null {
  const m = /\bsetting "?([A-Za-z_][\w.-]*)"?/.exec(error);
  return m?.[1] && form.specs.some((s) => s.name === m[1]) ? m[1] : null;
}

export type OAuthState = NonNullable<PluginSettingsForm['oauth']>;

/** The OAuth row's status line: "Spotify account: Connected ✓" / "Spotify account: Not connected". */
export function oauthStatusText(oauth: OAuthState): string {
  return `${oauth.provider} account: ${oauth.connected ? 'Connected ✓' : 'Not connected'}`;
}

/** The Connect button: "Connect Spotify" the first time, "Reconnect" once connected. */
export function oauthConnectLabel(oauth: OAuthState): string {
  return oauth.connected ? 'Reconnect' : `Connect ${oauth.provider}`;
}

/** The scopes in the small print: what the plugin asks the provider for. */
export function oauthScopesText(oauth: OAuthState): string {
  return oauth.scopes.length > 0 ? `asks for: ${oauth.scopes.join(', ')}` : 'asks for no particular permission (no scopes)';
}

/** While a Connect waits for the browser; `shell` says which one stays open (this tab / this window). */
export function oauthPendingText(shell: 'electron' | 'browser' | null): string {
  const stays = shell === 'browser' ? 'this tab can stay open' : shell === 'electron' ? 'this window can stay open' : 'this tab/window can stay open';
  return `Waiting for you to finish in the browser… (${stays})`;
}

/**
 * Whether two forms hold the same settings objects (only their OAuth state may differ): the view then keeps its
 * drafts. Forms from a load or a save always come with new objects, so those start the fields over.
 */
export function sameSettingsObjects(a: PluginSettingsForm, b: PluginSettingsForm): boolean {
  return a.id === b.id && a.specs === b.specs && a.values === b.values && a.secretsSet === b.secretsSet && a.secretStorage === b.secretStorage;
}
