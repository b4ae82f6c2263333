// The official plugins shipped in resources/plugins/: copied into the plugins folder on first run, and replaced by the
// new build after an app update — but never reinstalled after the user uninstalled one, never over a file they changed.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode } from '../../../src-shared/errors';
import { writeFileAtomically } from '../../fs/atomic-write';

/** What was installed from the app, by file name → SHA-256 of the copy made (the record of bundled_plugins.json). */
type InstallRecord = Record<string, string>;

export interface BundledInstallResult {
  installed: string[];
  updated: string[];
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function readRecord(path: string): Promise<InstallRecord> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as InstallRecord) : {};
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return {};
    return {}; // an unreadable record only means we offer the bundled plugins once more; nothing is overwritten blindly
  }
}

/**
 * For each `<name>.wasm` in `bundledDir`: not offered before → copied in (unless a file of that name exists);
 * offered before and the installed copy is still exactly what we installed → replaced when the bundled one changed;
 * offered before and gone (uninstalled) or changed by the user → left alone. The record lives at `recordPath`.
 */
export async function installBundledPlugins(bundledDir: string, pluginsDir: string, recordPath: string): Promise<BundledInstallResult> {
  const result: BundledInstallResult = { installed: [], updated: [] };
  let files: string[];
  try {
    files = (await readdir(bundledDir)).filter((f) => f.endsWith('.wasm')).sort();
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return result;
    throw err;
  }
  const record = await readRecord(recordPath);
  const next: InstallRecord = { ...record };
  for (const file of files) {
    const bytes = await readFile(join(bundledDir, file));
    const hash = sha256(bytes);
    const target = join(pluginsDir, file);
    const present = await stat(target).then(() => true, () => false);
    const installedHash = present ? sha256(await readFile(target)) : null;
    if (!(file in record)) {
      if (present) continue; // the user's own file of that name: not ours to replace
      await mkdir(pluginsDir, { recursive: true });
      await writeFileAtomically(target, bytes);
      next[file] = hash;
      result.installed.push(file);
    } else if (installedHash !== null && installedHash === record[file] && installedHash !== hash) {
      await writeFileAtomically(target, bytes);
      next[file] = hash;
      result.updated.push(file);
    }
  }
  if (JSON.stringify(next) !== JSON.stringify(record)) await writeFileAtomically(recordPath, `${JSON.stringify(next, null, 2)}\n`);
  return result;
}
