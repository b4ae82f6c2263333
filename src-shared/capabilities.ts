// The capability catalogue (DESIGN §6): risk level, grant rule and plain-language wording of each capability.
// Shared by main (grant decisions), CLI and renderer (approval dialogs). Data only — decides nothing itself.
import type { Capability, SignatureTier, SignerInfo } from './plugin';

export type RiskLevel = 'low' | 'medium' | 'high';

/** How a capability gets granted: automatically, after the user approves, or after an explicit confirmed approval. */
export type GrantRule = 'automatic' | 'approval' | 'explicit-approval';

export type GrantStatus = 'granted' | 'denied' | 'pending';

export interface CapabilityInfo {
  capability: Capability;
  risk: RiskLevel;
  grant: GrantRule;
  /** Short human-readable name ("Network access"). */
  title: string;
  /** What granting it allows, in plain language, for the approval dialog. */
  description: string;
  /** The icon the UI shows next to the risk level. */
  riskIcon: '🟢' | '🟡' | '🔴';
}

export const CAPABILITY_INFO: Readonly<Record<Capability, CapabilityInfo>> = Object.freeze({
  network: {
    capability: 'network',
    risk: 'low',
    grant: 'automatic',
    title: 'Network access',
    description:
      'Make HTTP requests to hosts on the public internet (only to the hosts it lists, if it lists any). Your computer and local network only at addresses it lists exactly, such as 127.0.0.1:4455.',
    riskIcon: '🟢',
  },
  midi: {
    capability: 'midi',
    risk: 'low',
    grant: 'automatic',
    title: 'Send MIDI',
    description: 'Send MIDI messages to your connected MIDI outputs (for example to light up pads).',
    riskIcon: '🟢',
  },
  filesystem: {
    capability: 'filesystem',
    risk: 'medium',
    grant: 'approval',
    title: 'Files in its own folder',
    description: 'Read and write files in its own data folder. It cannot see any other file on your computer.',
    riskIcon: '🟡',
  },
  subprocess: {
    capability: 'subprocess',
    risk: 'high',
    grant: 'explicit-approval',
    title: 'Run programs',
    description: 'Start programs and shell commands on your computer, with your user account\'s permissions.',
    riskIcon: '🔴',
  },
  systemcontrol: {
    capability: 'systemcontrol',
    risk: 'high',
    grant: 'explicit-approval',
    title: 'Control the system',
    description: 'Lock the screen, put the computer to sleep, show notifications, change brightness and volume.',
    riskIcon: '🔴',
  },
});

/** "filesystem (medium risk), subprocess (high risk)" — for messages such as "waiting for approval of: …". */
export function describeCapabilities(capabilities: readonly Capability[]): string {
  return capabilities.map((c) => `${c} (${CAPABILITY_INFO[c].risk} risk)`).join(', ');
}

/** What a plugin may use now: granted ones reach the sandbox, pending ones block execution, denied ones it runs without. */
export interface GrantDecision {
  granted: Capability[];
  pending: Capability[];
  denied: Capability[];
}

/**
 * The host asks the user to decide on a plugin's pending capabilities (the UI shows the approval dialog).
 * Emitted when the plugin loads with pending capabilities and again whenever it is triggered while waiting.
 */
export interface ApprovalRequest {
  pluginId: string;
  name: string;
  version: string;
  tier: SignatureTier;
  signer: SignerInfo | null;
  /** Every capability the plugin requests, with its current status. */
  capabilities: { capability: Capability; status: GrantStatus }[];
  pending: Capability[];
  /** Hosts a plugin with `network` may reach (empty = any public host; local addresses only when listed). */
  allowedHosts: string[];
  reason: 'load' | 'call' | 'grants-changed';
}
