// Where Electron's binary is, found the way electron/index.js finds it but WITHOUT running that file (which
// downloads the binary synchronously when it is missing). Test support only: used by playwright.config.ts and
// the fixtures to skip the Electron project cleanly on machines without the binary.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ElectronBinary {
  /** The executable's path (it may not exist). */
  path: string | null;
  exists: boolean;
  /** Why it cannot be used, in words; null when it exists. */
  problem: string | null;
}

function platformExecutable(): string {
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (process.platform === 'win32') return 'electron.exe';
  return 'electron';
}

export function findElectronBinary(projectRoot: string): ElectronBinary {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(join(projectRoot, 'package.json')).resolve('electron/package.json'));
  } catch {
    return { path: null, exists: false, problem: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = (existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '') || platformExecutable();
  const path = join(process.env.ELECTRON_OVERRIDE_DIST_PATH || join(packageDir, 'dist'), relative);
  return existsSync(path)
    ? { path, exists: true, problem: null }
    : { path, exists: false, problem: `Electron's binary is not installed (no ${path}; \`npm start\` fetches it where its download host is reachable)` };
}
