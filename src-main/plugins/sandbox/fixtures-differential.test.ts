// Differential test on the real C plugins: instrumented (metered, capped) and original modules give the same
// return codes, output and traps for the same calls. Complements the wasm-opt -ttf corpus in ../wasm.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { errorMessage } from '../../../src-shared/errors';
import { cFixture } from '../../../plugins/fixtures';
import { instrumentModule } from '../common/wasm/instrument';
import { FUEL_EXPORT } from '../common/wasm/types';
import { ProcExit, WasiPreview1 } from './wasi';

interface Outcome {
  result: string;
  output: string;
}

/** Runs `calls` in order on one instance (state carries over, as in a warm sandbox). */
function runCalls(bytes: Uint8Array, calls: string[]): Outcome[] {
  let output = '';
  const text = new TextDecoder();
  const wasi = new WasiPreview1({ dataDir: null, stdout: (b) => (output += text.decode(b)), stderr: (b) => (output += `[err]${text.decode(b)}`) });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    wasi_snapshot_preview1: wasi.imports,
    conductor: { log: (level: number, ptr: number, len: number) => (output += `[${level}]${text.decode(new Uint8Array(memory().buffer, ptr, len))}\n`) },
  });
  const e = instance.exports as Record<string, unknown>;
  const memory = () => e.memory as WebAssembly.Memory;
  wasi.bindMemory(memory());
  const fuel = e[FUEL_EXPORT] as WebAssembly.Global | undefined;
  const guarded = (fn: () => unknown): string => {
    if (fuel) fuel.value = 1n << 50n;
    try {
      return `ok ${String(fn())}`;
    } catch (err) {
      return err instanceof ProcExit ? `exit ${err.code}` : `trap ${errorMessage(err)}`;
    }
  };
  const out: Outcome[] = [];
  output = '';
  out.push({ result: guarded(() => ((e._initialize as () => void)(), (e.init as () => unknown)())), output });
  for (const input of calls) {
    output = '';
    const data = new TextEncoder().encode(input);
    const result = guarded(() => {
      const ptr = (e.alloc as (n: number) => number)(data.byteLength);
      new Uint8Array(memory().buffer, ptr, data.byteLength).set(data);
      return (e.execute as (p: number, n: number) => number)(ptr, data.byteLength);
    });
    out.push({ result, output });
  }
  return out;
}

const CASES: Record<string, string[]> = {
  good: ['hello', 'echo', 'fail', 'count', 'nope'].map((a) => JSON.stringify({ action: a, context: { trigger: 'Note', note: 60, velocity: 9 } })),
  bench: [
    { action: 'primes', n: 100_000 },
    { action: 'crc32', n: 100_000 },
    { action: 'sort', n: 20_000 },
    { action: 'noop' },
  ].map((p) => JSON.stringify(p)),
  big: ['{"action":"run"}', '{"action":"noop"}'],
  tree: ['{"action":"tree","n":3000}', '{"action":"tree","n":1}', '{"action":"noop"}', '{"action":"tree","n":0}'],
  hostile: ['dotdot', 'absolute', 'symlink', 'trap'].map((a) => JSON.stringify({ action: a })),
};

describe('differential test on the C fixtures', () => {
  for (const [name, calls] of Object.entries(CASES)) {
    it(`${name}.wasm behaves the same metered and unmetered`, () => {
      const original = new Uint8Array(readFileSync(cFixture(name)));
      const instrumented = instrumentModule(original, { meterFuel: true, memoryMaxPages: 2048, tableMaxElements: 10_000 });
      const before = runCalls(original, calls);
      expect(runCalls(instrumented, calls)).toEqual(before);
      // The calls did real work (not a vacuous comparison).
      expect(before.map((o) => o.output).join('')).not.toBe('');
    });
  }
});
