// Plain-language troubleshooting for a plugin (spec "Troubleshooting"): why it does not load or run, what to do,
// the one-click limit raise the Plugins view offers after out-of-fuel / memory / timeout, and the pointer to the
// plugin's settings after a call failed for a missing one. Pure: text only.
import { LIMIT_BOUNDS, type EditableLimit, type PluginSnapshot } from '../../src-shared/plugin';
import { formatBytes, formatMs, formatNumber } from '../format';

/** A limit the user may want to raise, and to what (double, capped at the bound). */
export interface LimitRaise {
  limit: EditableLimit;
  from: number;
  to: number;
  /** Button text, e.g. "Raise fuel limit to 200,000,000". */
  label: string;
}

const MIB = 1024 * 1024;

export function formatLimit(limit: EditableLimit, value: number): string {
  if (limit === 'memoryBytes') return formatBytes(value);
  if (limit === 'callTimeoutMs') return formatMs(value);
  return formatNumber(value);
}

const RAISE_NOUN: Record<EditableLimit, string> = {
  fuelPerCall: 'fuel limit',
  memoryBytes: 'memory limit',
  tableElements: 'table limit',
  callTimeoutMs: 'timeout',
};

/** Which limit the plugin last ran into: its last failed call, or (memory) the reason it failed to load. */
export function limitHit(s: PluginSnapshot): EditableLimit | null {
  const kind = s.stats.lastError?.kind ?? null;
  if (kind === 'out-of-fuel') return 'fuelPerCall';
  if (kind === 'memory') return 'memoryBytes';
  if (kind === 'timeout') return 'callTimeoutMs';
  if (s.state === 'failed' && /memory/i.test(s.reason ?? '') && /limit/i.test(s.reason ?? '')) return 'memoryBytes';
  if (s.state === 'failed' && /table/i.test(s.reason ?? '') && /limit/i.test(s.reason ?? '')) return 'tableElements';
  return null;
}

/** The raise to offer for `limit`: double the current value (memory in whole MiB), or null at the upper bound. */
export function limitRaise(s: PluginSnapshot, limit: EditableLimit): LimitRaise | null {
  const from = s.limits[limit];
  const max = LIMIT_BOUNDS[limit][1];
  if (from >= max) return null;
  let to = Math.min(from * 2, max);
  if (limit === 'memoryBytes') to = Math.min(Math.ceil(to / MIB) * MIB, max);
  return { limit, from, to, label: `Raise ${RAISE_NOUN[limit]} to ${formatLimit(limit, to)}` };
}

/**
 * Whether to point the user to the plugin's settings: its last call failed for a required setting without a value
 * (kind "settings": "set <name> in the plugin's settings"). `missingSettings` — the required settings still without
 * a value, when the form is known — names them, and an empty list means they were filled in since: no hint.
 */
export function settingsNeeded(s: PluginSnapshot, missingSettings?: readonly string[] | null): string | null {
  const last = s.stats.lastError;
  if (last?.kind !== 'settings') return null;
  if (missingSettings && missingSettings.length === 0) return null;
  const what = missingSettings && missingSettings.length > 0 ? `set ${missingSettings.join(', ')}` : last.message;
  return `It needs settings before it can run (${what}): fill them in under Settings (below).`;
}

/** Hints for why a plugin does not load or run, most specific first (`missingSettings`: see settingsNeeded). */
export function troubleshooting(s: PluginSnapshot, missingSettings?: readonly string[] | null): string[] {
  const hints: string[] = [];
  const failed = s.verification?.failedCheck ?? null;
  if (failed === 'trust') hints.push("Its signature is valid but the developer's key is not trusted: add the developer's key in Settings → Trusted keys.");
  else if (failed === 'hash') hints.push('The file was modified after signing: reinstall it from its source (or re-sign it if you built it).');
  else if (s.verification && !s.verification.ok && failed) hints.push(`Signature check "${failed}" failed: ${s.verification.detail}`);
  const hit = limitHit(s);
  if (hit) {
    const raise = limitRaise(s, hit);
    const at = `${formatLimit(hit, s.limits[hit])}${hit === 'fuelPerCall' ? ' per call' : ''}`;
    const what: Record<EditableLimit, string> = {
      fuelPerCall: `It ran out of fuel (limit ${at}): it needs more work per call than allowed`,
      memoryBytes: `It hit its memory limit (${at})`,
      tableElements: `It needs a bigger table than allowed (${at})`,
      callTimeoutMs: `It ran longer than its timeout (${at}) and was restarted`,
    };
    hints.push(
      raise
        ? `${what[hit]}. If you trust it to need more, raise the ${RAISE_NOUN[hit]} (below, or under Limits).`
        : `${what[hit]}, which is already the highest allowed: the plugin itself has to do less per call.`,
    );
  }
  const settings = settingsNeeded(s, missingSettings);
  if (settings) hints.push(settings);
  if (s.state === 'waiting-approval') hints.push('It does not run until you decide on its pending capabilities: use "Review permissions".');
  return hints;
}
