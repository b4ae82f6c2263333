// Per-platform locations of Conductor's files (DESIGN §6–§8). Pure path math; creates nothing.
import { homedir } from 'node:os';
import { join } from 'node:path';

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
