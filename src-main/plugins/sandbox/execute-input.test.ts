// The execute input's bytes (runtime.ts encodes small inputs into one reused buffer): every call's input reaches the
// guest intact — multi-byte text, sizes either side of the reused buffer's bound, a short input after a long one.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../src-shared/plugin';
import { cFixture } from '../../../plugins/fixtures';
import { PluginRuntime } from './runtime';

const runtimes: PluginRuntime[] = [];
afterEach(() => {
  for (const r of runtimes.splice(0)) r.shutdown();
});

describe('execute input bytes', () => {
  it('reach the plugin intact, call after call, whatever their size and characters', async () => {
    // c/noalloc.c logs its input as it got it (the input goes on its stack: at most 16 KiB).
    const { runtime } = await PluginRuntime.load(new Uint8Array(readFileSync(cFixture('noalloc'))), { limits: DEFAULT_LIMITS, grants: [], dataDir: null });
    runtimes.push(runtime);
    const texts = ['é', 'ü→', '🎹'.repeat(2047), 'ü'.repeat(4090), 'x'.repeat(4097), '日本'.repeat(2100), 'short after long', '', 'a'];
    for (const data of texts) {
      const input = JSON.stringify({ action: 'echo', data });
      const result = runtime.execute(input);
      expect(result.code, `${data.length} units: ${result.error ?? ''}`).toBe(0);
      expect(result.log).toContain(input);
    }
  });
});
