import { describe, expect, it } from 'vitest';
import { checkAbi } from '../common/abi-check';
import { inspectModule } from '../common/wasm/inspect';
import { planCalls } from '../common/wasm/call-plan';
import { instrumentModule } from '../common/wasm/instrument';
import { readModule } from '../common/wasm/reader';
import { synthesizeModule, warmUp } from './warmup';

describe('sandbox warm-up', () => {
  it('synthesizes a valid plugin-shaped module that the loader accepts and instruments', () => {
    const bytes = synthesizeModule(200);
    expect(WebAssembly.validate(bytes)).toBe(true);
    const info = inspectModule(bytes);
    expect(info.functionCount).toBe(409); // alloc, _initialize, init, dealloc, execute, 4 leaves, 200 generated, 200 helpers
    expect(checkAbi(info)).toMatchObject({ initForm: 'metadata', hasInitialize: true, hasDealloc: true, usesWasi: true });
    // Exercises caller-charged leaves, direct and through the table, like real C output.
    const calls = planCalls(readModule(bytes));
    expect(calls.callerCharged.size).toBeGreaterThanOrEqual(200);
    expect(calls.indirectCost(1)).not.toBeNull();
    expect(WebAssembly.validate(instrumentModule(bytes, { meterFuel: true, memoryMaxPages: 2048, tableMaxElements: 10_000 }))).toBe(true);
  });

  it('stops as soon as work arrives', async () => {
    let checks = 0;
    await warmUp(() => ++checks > 2, 1000);
    expect(checks).toBe(3);
  });
});
