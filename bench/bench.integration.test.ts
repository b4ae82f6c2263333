// Smoke test of `npm run bench -- --json` (the built dist/bench.js, tiny sample counts): exactly one JSON object with
// every figure present and of the right type, and nothing the bench started left running. Never asserts a speed.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const exec = promisify(execFile);

/** Every figure of --json; the ones a later issue compares against come last (issue #16). */
const NUMBER_KEYS = [
  'coldLoadMs', 'firstExecuteMs', 'warmP50Us', 'warmP99Us', 'warmSharedP50Us', 'warmSharedP99Us', 'inProcessP50Us', 'meteringRatio', 'meteringRatioTightLoop',
  'spareLoad100KbMs', 'verifySignature100KbMs', 'engineLatencyP50Us', 'engineLatencyP99Us', 'engineEventsPerSec',
  'matchOnlyEventsPerSec', 'sandboxRssMb', 'wasiReadPortableP50Us',
  'ipcFloorP50Us', 'ipcFloorP99Us', 'plugins32RssMb', 'plugins32LoadMs', 'marginalPluginRssMb', 'engineOverheadP50Us',
  'coldLoadCachedMs', 'coldLoad100KbMs', 'coldLoadCached100KbMs', 'spareLoadCached100KbMs',
  'meteringNestedShortLoopsRatio', 'meteringSmallFnLoopRatio', 'meteringCallIndirectRatio', 'meteringRecursionRatio',
  'meteringCTreeRatio', 'meteringWorstRatio',
  'engineP99At1kUs', 'engineMaxPressesPerSec',
];

describe('npm run bench -- --json', () => {
  it('prints one JSON object with every figure, and stops everything it started', async () => {
    const args = ['dist/bench.js', '--json', '--quick', '--calls', '200', '--rounds', '2', '--presses', '30', '--footprint-rounds=1', '--open-loop-samples', '200'];
    const { stdout, stderr } = await exec(process.execPath, args, { cwd: ROOT, timeout: 300_000, maxBuffer: 1 << 20 });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const figures = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    for (const key of NUMBER_KEYS) {
      expect({ key, type: typeof figures[key] }).toEqual({ key, type: 'number' });
      expect({ key, finite: Number.isFinite(figures[key]) }).toEqual({ key, finite: true });
    }
    // The fd-relative jail exists on Linux only.
    expect(figures.wasiReadP50Us === null || typeof figures.wasiReadP50Us === 'number').toBe(true);
    // Totals of real processes: positive, whatever the machine's speed.
    expect(figures.plugins32RssMb as number).toBeGreaterThan(0);
    expect(figures.plugins32LoadMs as number).toBeGreaterThan(0);
    expect(stderr).not.toMatch(/still running/);
  }, 360_000);

  it('refuses a sample count that is not a whole number ≥ 1', async () => {
    await expect(exec(process.execPath, ['dist/bench.js', '--json', '--calls', '0'], { cwd: ROOT })).rejects.toThrow(/--calls wants a whole number/);
  });
});
