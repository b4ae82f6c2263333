// Atomic save under SIGKILL: a child process saves a large config over and over through ConfigStore.save and is
// killed at random moments; config.toml (and its backup) must always be one whole version, old or new.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, watch, type FSWatcher } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { parseConfigText } from './schema';

const MAPPINGS = 1500;
const RUNS = 9;
let dir: string;
let script: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-config-crash-'));
  script = join(dir, 'save-loop.mjs');
  // Everything bundled (the temp dir has no node_modules); CommonJS dependencies get `require` and `__filename`.
  await build({
    entryPoints: [fileURLToPath(new URL('./test-support/save-loop.fixture.ts', import.meta.url))],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    banner: {
      js: [
        "import { createRequire } from 'node:module';",
        "import { fileURLToPath as __toPath } from 'node:url';",
        'const require = createRequire(import.meta.url);',
        'const __filename = __toPath(import.meta.url);',
      ].join(' '),
    },
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The run and generation every mapping of the file names; fails on a torn or mixed file. */
function versionOf(text: string): { run: number; generation: number } {
  const { config, issues } = parseConfigText(text);
  expect(issues).toEqual([]);
  const mappings = config?.modes[0]?.mappings ?? [];
  expect(mappings).toHaveLength(MAPPINGS);
  const versions = new Set(mappings.map((m) => /^run (\d+) generation (\d+) /.exec(m.description)?.slice(1).join('/')));
  expect(versions.size).toBe(1);
  const [run, generation] = ([...versions][0] ?? '').split('/').map(Number);
  return { run: run ?? NaN, generation: generation ?? NaN };
}

const TEMP_FILE = /^config\.toml(\.bak)?\.\d+$/;

const TARGET = /^config\.toml$/;

/**
 * How the saver dies once it has reported some saves: after a random delay; as soon as a write-file-atomic temp file
 * appears (mid-write of the atomic path); or at the first change event on config.toml / config.toml.bak themselves
 * (where a non-atomic writer would be between truncating and finishing the file).
 */
type Kill = { delayMs: number } | { onEvent: RegExp };

function saveThenKill(path: string, run: number, minSaves: number, kill: Kill): Promise<{ lastReported: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, path, String(MAPPINGS), String(run)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lastReported = 0;
    let stderr = '';
    let watcher: FSWatcher | null = null;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      for (const m of chunk.matchAll(/saved (\d+)/g)) lastReported = Math.max(lastReported, Number(m[1]));
      if (lastReported < minSaves || watcher || child.killed) return;
      if ('onEvent' in kill) {
        watcher = watch(dir, (_event, name) => {
          if (name !== null && kill.onEvent.test(name)) child.kill('SIGKILL');
        });
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref(); // in case this platform reports no file names
      } else {
        setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      watcher?.close();
      if (signal === 'SIGKILL') resolve({ lastReported });
      else reject(new Error(`saver exited with ${code}: ${stderr}`));
    });
  });
}

describe('ConfigStore.save under SIGKILL', () => {
  it('leaves config.toml and config.toml.bak whole (old or new version) whenever the process dies', async () => {
    const path = join(dir, 'config.toml');
    let tornWrites = 0;
    for (let run = 1; run <= RUNS; run++) {
      const kill: Kill = run % 3 === 0 ? { delayMs: Math.floor(Math.random() * 200) } : { onEvent: run % 3 === 1 ? TEMP_FILE : TARGET };
      const { lastReported } = await saveThenKill(path, run, 1 + (run % 3), kill);
      expect(lastReported).toBeGreaterThanOrEqual(1);
      const current = versionOf(readFileSync(path, 'utf8'));
      // Old or new: this run's, at least the last save the child reported — never anything half-written.
      expect(current.run).toBe(run);
      expect(current.generation).toBeGreaterThanOrEqual(lastReported);
      // The backup is whole too: the version before (or, killed between the two writes, the same one).
      const backupText = readFileSync(`${path}.bak`, 'utf8');
      expect(parseConfigText(backupText).issues).toEqual([]);
      if (current.generation > 1) {
        const backup = versionOf(backupText);
        expect(backup.run).toBe(run);
        expect([current.generation - 1, current.generation]).toContain(backup.generation);
      }
      // A temp file left beside it means the kill landed inside a write (write-file-atomic's `config.toml.<n>`).
      const leftovers = readdirSync(dir).filter((f) => TEMP_FILE.test(f));
      if (leftovers.length > 0) tornWrites++;
      for (const f of leftovers) rmSync(join(dir, f));
    }
    process.stdout.write(`config crash test: ${tornWrites} of ${RUNS} kills landed inside a write\n`);
  });
});
