// Whole configs summarised for `conductor config check`: device, signature policy, timing, each mapping in words.
// Presentation only: never validates (schema.ts does), never changes a config, never words a trigger or action itself.
import type { Action, AppConfig, Mapping, TimingConfig, Trigger } from '../../src-shared/config';
import { describeAction, describeTrigger } from '../../src-shared/wording';

export interface MappingSummary {
  description: string;
  triggerType: Trigger['type'];
  trigger: string;
  actionType: Action['type'];
  action: string;
}

export interface ConfigSummary {
  device: { name: string | null; autoConnect: boolean; autoReconnect: boolean; port: number | null };
  wasm: { requireSignature: boolean; allowSelfSigned: boolean };
  timing: { holdThresholdMs: number; doubleTapTimeoutMs: number; chordTimeoutMs: number };
  modes: { name: string; color: string | null; mappings: MappingSummary[] }[];
  globalMappings: MappingSummary[];
  /** Mappings in all modes plus global ones. */
  mappingCount: number;
  /** Top-level tables and keys this version does not use (kept when saving). */
  unknownKeys: string[];
}

function summarizeMapping(m: Mapping, timing: TimingConfig): MappingSummary {
  return {
    description: m.description,
    triggerType: m.trigger.type,
    trigger: describeTrigger(m.trigger, timing, { detail: 'full' }),
    actionType: m.action.type,
    action: describeAction(m.action, { detail: 'full' }),
  };
}

export function summarizeConfig(config: AppConfig): ConfigSummary {
  const { device, wasm, timing } = config;
  const modes = config.modes.map((m) => ({ name: m.name, color: m.color, mappings: m.mappings.map((x) => summarizeMapping(x, timing)) }));
  const globalMappings = config.globalMappings.map((x) => summarizeMapping(x, timing));
  return {
    device: { name: device.name, autoConnect: device.autoConnect, autoReconnect: device.autoReconnect, port: device.port },
    wasm: { requireSignature: wasm.requireSignature, allowSelfSigned: wasm.allowSelfSigned },
    timing: { holdThresholdMs: timing.holdThresholdMs, doubleTapTimeoutMs: timing.doubleTapTimeoutMs, chordTimeoutMs: timing.chordTimeoutMs },
    modes,
    globalMappings,
    mappingCount: modes.reduce((n, m) => n + m.mappings.length, 0) + globalMappings.length,
    unknownKeys: Object.keys(config.extra ?? {}),
  };
}
