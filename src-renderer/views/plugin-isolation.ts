// Wording and pure edits for a plugin's isolation in the Plugins view: where its sandbox runs, the Automatic / Own
// process / Shared process choice, and the warning when the user shares an untrusted or high-risk plugin. Never calls main.
import { CAPABILITY_INFO } from '../../src-shared/capabilities';
import type { IsolationMode, PluginIsolation, PluginLimitOverrides, PluginSnapshot } from '../../src-shared/plugin';

/** The select's value: the user's override, or 'auto' when the policy decides. */
export type IsolationChoice = IsolationMode | 'auto';

export const ISOLATION_CHOICES: readonly { value: IsolationChoice; label: string }[] = [
  { value: 'auto', label: 'Automatic (policy)' },
  { value: 'process', label: 'Own process' },
  { value: 'shared', label: 'Shared process' },
];

const MODE_TEXT: Record<IsolationMode, string> = {
  process: 'Own sandbox process',
  shared: 'Shared sandbox process',
};

/** "Own sandbox process — unsigned plugins run in a process of their own"; "Not started" while no sandbox runs. */
export function isolationText(isolation: PluginIsolation | null | undefined): string {
  if (!isolation) return 'Not started';
  const reason = isolation.reason.trim();
  return reason === '' ? MODE_TEXT[isolation.mode] : `${MODE_TEXT[isolation.mode]} — ${reason}`;
}

/** The user's override as loaded (`[wasm.limits.<plugin>] isolation`), 'auto' when none is set. */
export function isolationChoice(s: PluginSnapshot): IsolationChoice {
  return s.limits.isolation ?? s.isolation?.override ?? 'auto';
}

/**
 * What plugins.setLimits gets when only the isolation changes: the plugin's numeric limits as they are (the call
 * replaces the whole set; main drops those equal to the defaults) and the new choice ('auto' = no override).
 */
export function limitsWithIsolation(s: PluginSnapshot, choice: IsolationChoice): PluginLimitOverrides {
  const { fuelPerCall, memoryBytes, tableElements, callTimeoutMs } = s.limits;
  return { fuelPerCall, memoryBytes, tableElements, callTimeoutMs, ...(choice === 'auto' ? {} : { isolation: choice }) };
}

/** `overrides` (null = all defaults) with the plugin's isolation override kept, so saving numbers never drops it. */
export function keepIsolation(s: PluginSnapshot, overrides: PluginLimitOverrides | null): PluginLimitOverrides | null {
  const choice = isolationChoice(s);
  if (choice === 'auto') return overrides;
  return { ...(overrides ?? {}), isolation: choice };
}

/**
 * Why sharing a process is a poor fit for this plugin (not signed by a trusted key or bundled, or granted a high-risk
 * capability), or null when the policy would share it anyway.
 */
export function sharedRisk(s: PluginSnapshot): string | null {
  const why: string[] = [];
  const tier = s.verification?.tier ?? 'unchecked';
  if (tier === 'unsigned') why.push('it is not signed');
  else if (tier === 'self-signed') why.push('it is signed only by its own key, not one you trust');
  else if (tier === 'unchecked') why.push('its signature was not checked');
  const high = s.grants.filter((c) => CAPABILITY_INFO[c].risk === 'high').map((c) => `"${CAPABILITY_INFO[c].title}"`);
  if (high.length > 0) why.push(`it was granted ${high.join(' and ')} (high risk)`);
  return why.length === 0 ? null : why.join(', and ');
}

/**
 * The plain-words warning shown with "Shared process" for a plugin the policy would keep apart, or null. `saved`: the
 * override is already "shared" (it wins over the policy); otherwise the user is about to choose it.
 */
export function sharedWarning(s: PluginSnapshot, saved: boolean): string | null {
  const risk = sharedRisk(s);
  if (risk === null) return null;
  const cost =
    'If it ever broke out of its WebAssembly sandbox, it could read or change the other plugins in that process — their memory, settings and what they were granted. ' +
    'Its own process keeps it apart, at about 40 MB more memory.';
  return saved ? `Runs in a shared process because you chose so, although ${risk}. ${cost}` : `Sharing a process overrides the policy, although ${risk}. ${cost}`;
}
