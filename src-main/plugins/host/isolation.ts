// The isolation policy: whether a plugin's sandbox is a process of its own or a worker thread in the shared sandbox
// process. Pure; decides from the signature tier, the granted capabilities and the user's override, and never from
// anything the plugin says about itself. docs/isolation.md explains the trade.
import { CAPABILITY_INFO } from '../../../src-shared/capabilities';
import type { Capability, IsolationMode, PluginIsolation, SignatureTier } from '../../../src-shared/plugin';

export interface IsolationInput {
  /** The plugin's signature tier (null before it was verified: treated as unchecked). */
  tier: SignatureTier | null;
  /** What its sandbox is being started with. */
  grants: readonly Capability[];
  /** `[wasm.limits.<plugin>] isolation`, when set. */
  override: IsolationMode | undefined;
}

/**
 * Default: bundled and trusted-signed plugins whose granted capabilities are all low or medium risk share the shared
 * sandbox process; unsigned, self-signed and unchecked plugins, and any plugin granted a high-risk capability
 * (subprocess, systemcontrol), run in a process of their own. The override wins over both.
 */
export function decideIsolation({ tier, grants, override }: IsolationInput): PluginIsolation {
  if (override !== undefined) {
    return { mode: override, reason: `set in config.toml (isolation = "${override}")`, override };
  }
  const highRisk = grants.filter((c) => CAPABILITY_INFO[c].risk === 'high');
  if (highRisk.length > 0) {
    return { mode: 'process', reason: `granted ${highRisk.join(' and ')} (high risk): runs in a process of its own`, override: null };
  }
  if (tier === 'bundled') return { mode: 'shared', reason: 'bundled with the app, low/medium-risk capabilities only', override: null };
  if (tier === 'trusted') return { mode: 'shared', reason: 'signed by a trusted key, low/medium-risk capabilities only', override: null };
  return { mode: 'process', reason: `${tier ?? 'unchecked'} plugins run in a process of their own`, override: null };
}
