import { describe, expect, it } from 'vitest';
import { checkAbi } from '../abi';
import { inspectModule } from '../wasm/inspect';
import { instrumentModule } from '../wasm/instrument';
import { synthesizeModule, warmUp } from './warmup';

describe('sandbox warm-up', () => {
  it('synthesizes a valid plugin-shaped module that the loader accepts and instruments', () => {
    const bytes = synthesizeModule(200);
    expect(WebAssembly.validate(bytes)).toBe(true);
    const info = inspectModule(bytes);
    expect(info.functionCount).toBe(201);
    expect(checkAbi(info).initForm).toBe('none');
    expect(WebAssembly.validate(instrumentModule(bytes, { meterFuel: true, memoryMaxPages: 2048, tableMaxElements: 10_000 }))).toBe(true);
  });

  it('stops as soon as work arrives', async () => {
    let checks = 0;
    await warmUp(() => ++checks > 2, 1000);
    expect(checks).toBe(3);
  });
});
