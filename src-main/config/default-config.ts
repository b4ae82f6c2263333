// The commented config written on first run (resources/default-config.toml) and the configs used when none is good.
// Reads the shipped file only; never writes it and never writes the user's config (ConfigStore does).
import { readFile } from 'node:fs/promises';
import { shippedResourcePath } from '../common/paths';
import { DEFAULT_TIMING, type AppConfig, type WasmPolicyConfig } from '../../src-shared/config';

export const DEFAULT_CONFIG_FILE = 'default-config.toml';

/** The shipped default config: beside the bundle (dist/ → resources/), from sources, or in a packaged app's resources. */
export function defaultConfigPath(): string | null {
  return shippedResourcePath(DEFAULT_CONFIG_FILE);
}

/** The shipped default config's text, or null when this build does not ship it. */
export async function readDefaultConfigText(path: string | null = defaultConfigPath()): Promise<string | null> {
  return path === null ? null : readFile(path, 'utf8');
}

/** No modes, no mappings, default device and timing, and the given (default: the default) signature policy. */
export function emptyConfig(wasm: WasmPolicyConfig = { requireSignature: false, allowSelfSigned: false }): AppConfig {
  return {
    device: { name: null, autoConnect: true, autoReconnect: true, port: null },
    wasm: { ...wasm },
    timing: { ...DEFAULT_TIMING },
    modes: [],
    globalMappings: [],
  };
}

/** The signature policy used while no good config was ever loaded and the file's own [wasm] cannot be read: fail closed. */
export const FAIL_CLOSED_POLICY: Readonly<WasmPolicyConfig> = Object.freeze({ requireSignature: true, allowSelfSigned: false });
