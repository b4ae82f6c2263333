// Conductor's official signing key (resources/official-signing-key.public), trusted on first run.
// Reads the shipped public key only; the private half is never in the repository or the app.
import { readFile } from 'node:fs/promises';
import { shippedResourcePath } from '../common/paths';
import type { TrustedKeyStore } from './trusted-keys';

export const OFFICIAL_KEY_NAME = 'Conductor (official plugins)';
export const OFFICIAL_KEY_FILE = 'official-signing-key.public';

/** The shipped key file: beside the bundle (dist/ → resources/), from sources, or in a packaged app's resources. */
export function officialKeyPath(): string | null {
  return shippedResourcePath(OFFICIAL_KEY_FILE);
}

/** The official public key as lowercase hex, or null when the file is not shipped with this build. */
export async function readOfficialKey(path: string | null = officialKeyPath()): Promise<string | null> {
  if (!path) return null;
  return (await readFile(path, 'utf8')).trim().toLowerCase();
}

/** "Trusted on first run": adds the shipped official key when `store`'s file does not exist yet. */
export async function trustOfficialKeyOnFirstRun(store: TrustedKeyStore, keyFile: string | null = officialKeyPath()): Promise<boolean> {
  const key = await readOfficialKey(keyFile);
  return key ? store.ensureOfficialKey(key, OFFICIAL_KEY_NAME) : false;
}
