// Per-platform locations of Conductor's files (DESIGN §6–§8). Pure path math; creates nothing.
// Every location has an environment override so tests and portable setups never touch the real home.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

function dataRoot(): string {
  if (process.env.CONDUCTOR_DATA_DIR) return process.env.CONDUCTOR_DATA_DIR;
  const home = homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'conductor');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'conductor');
  return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'conductor');
}

/** The only directory a plugin may see (as its WASI root), one per plugin. */
export function pluginDataDir(pluginId: string): string {
  return join(dataRoot(), 'plugin-data', pluginId);
}

/**
 * Where sandboxes cache instrumented plugin modules (plugins/sandbox/module-cache.ts): `cache/instrumented` beside
 * `plugin-data/`, never inside a plugin's data directory. Env CONDUCTOR_MODULE_CACHE_DIR overrides.
 */
export function instrumentedCacheDir(): string {
  return process.env.CONDUCTOR_MODULE_CACHE_DIR ?? join(dataRoot(), 'cache', 'instrumented');
}

/** Where config.toml, trusted_keys.toml and plugin_grants.toml live (env CONDUCTOR_CONFIG_DIR overrides). */
export function configDir(): string {
  if (process.env.CONDUCTOR_CONFIG_DIR) return process.env.CONDUCTOR_CONFIG_DIR;
  const home = homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'conductor');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'conductor');
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'conductor');
}

/** The trusted-keys file (DESIGN §7); env CONDUCTOR_TRUSTED_KEYS overrides the file itself. */
export function trustedKeysPath(): string {
  return process.env.CONDUCTOR_TRUSTED_KEYS ?? join(configDir(), 'trusted_keys.toml');
}

/** The capability-grant store (one TOML file in the config dir). */
export function grantsPath(): string {
  return join(configDir(), 'plugin_grants.toml');
}

/** The user's plugin settings (plain values), by plugin id. */
export function pluginSettingsPath(): string {
  return join(configDir(), 'plugin_settings.json');
}

/** The plugins' secret settings (mode 0600; sealed by the OS keychain in the desktop app). */
export function pluginSecretsPath(): string {
  return join(configDir(), 'plugin_secrets.json');
}

/** Which bundled plugins were installed from the app, and as what (so an uninstall sticks and updates apply). */
export function bundledRecordPath(): string {
  return join(configDir(), 'bundled_plugins.json');
}

/** The config file (DESIGN §8). */
export function configPath(): string {
  return join(configDir(), 'config.toml');
}

/** Where installed plugins live: `~/.conductor/wasm-plugins/` as in the spec (env CONDUCTOR_PLUGINS_DIR overrides). */
export function pluginsDir(): string {
  return process.env.CONDUCTOR_PLUGINS_DIR ?? join(homedir(), '.conductor', 'wasm-plugins');
}

/** `~` or `~/…` → the user's home directory (config paths are written the spec's way); other paths unchanged. */
export function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') || path.startsWith('~\\') ? join(homedir(), path.slice(1)) : path;
}

/**
 * A file shipped in resources/: beside the bundle (dist/ → ../resources), from sources (src-main/common/ → ../../resources),
 * or in a packaged app's resources folder. Null when this build does not ship it.
 */
export function shippedResourcePath(fileName: string): string | null {
  // dist/main.js → ../resources; src-main/common/paths.ts (tests) → ../../resources.
  const candidates = [`../resources/${fileName}`, `../../resources/${fileName}`].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged) candidates.push(join(packaged, fileName));
  return candidates.find((p) => existsSync(p)) ?? null;
}
