// `[wasm.limits.<plugin>] isolation`: read as one of ISOLATION_MODES (anything else is an issue with its line and
// column), written back after the numeric limits, absent when not set; readWasmPolicy sees it too.
import { describe, expect, it } from 'vitest';
import TOML from '@iarna/toml';
import { parseConfigText } from './schema';
import { readWasmPolicy } from './schema-wasm';
import { serializeConfig } from './write';

const MIB = 1024 * 1024;

describe('[wasm.limits.<plugin>] isolation', () => {
  it('reads "process" and "shared" beside the numeric limits and writes them back unchanged', () => {
    const text = ['[wasm.limits.spotify]', 'max_memory_mb = 64', 'isolation = "shared"', '', '[wasm.limits.shell-tools]', 'isolation = "process"', ''].join('\n');
    const { config, issues } = parseConfigText(text);
    expect(issues).toEqual([]);
    expect(config?.wasm.limits).toEqual({ spotify: { memoryBytes: 64 * MIB, isolation: 'shared' }, 'shell-tools': { isolation: 'process' } });
    const written = serializeConfig(config!);
    expect(written).toContain('[wasm.limits.spotify]\nmax_memory_mb = 64\nisolation = "shared"\n');
    expect(written).toContain('[wasm.limits.shell-tools]\nisolation = "process"\n');
    expect(parseConfigText(written).config?.wasm.limits).toEqual(config?.wasm.limits);
  });

  it('is absent when not set: no key read, none written', () => {
    const { config } = parseConfigText('[wasm.limits.a]\nmax_fuel = 2000000\n');
    expect(config?.wasm.limits).toEqual({ a: { fuelPerCall: 2_000_000 } });
    expect(config?.wasm.limits?.a).not.toHaveProperty('isolation');
    expect(serializeConfig(config!)).not.toContain('isolation');
  });

  it('refuses any other value with the allowed ones, the path, line and column', () => {
    const text = ['[wasm.limits.a]', 'max_fuel = 2000000', 'isolation = "Shared"', '[wasm.limits.b]', 'isolation = true', '[wasm.limits.c]', '  isolation = "sandbox"', ''].join('\n');
    const { config, issues } = parseConfigText(text);
    expect(config).toBeNull();
    expect(issues).toEqual([
      {
        path: 'wasm.limits.a.isolation',
        segments: ['wasm', 'limits', 'a', 'isolation'],
        message: 'expected one of "process", "shared", got "Shared"; did you mean "shared"?',
        line: 3,
        column: 1,
      },
      expect.objectContaining({ path: 'wasm.limits.b.isolation', message: 'expected one of "process", "shared", got true', line: 5, column: 1 }),
      expect.objectContaining({ path: 'wasm.limits.c.isolation', message: 'expected one of "process", "shared", got "sandbox"', line: 7, column: 3 }),
    ]);
  });

  it('names isolation among the allowed keys of a limits table', () => {
    const { issues } = parseConfigText('[wasm.limits.a]\nisolaton = "shared"\n');
    expect(issues).toEqual([expect.objectContaining({ path: 'wasm.limits.a.isolaton', message: expect.stringMatching(/unknown field for per-plugin limits \(fields: .*isolation\); did you mean "isolation"\?/) })]);
    expect(parseConfigText('[wasm.limits]\na = 3\n').issues[0]?.message).toMatch(/^expected a table of limits \(max_fuel, .*, isolation\), got 3/);
  });

  it('readWasmPolicy (the [wasm] table alone) carries the override too', () => {
    const doc = TOML.parse('[wasm.limits.a]\nisolation = "process"\n');
    expect(readWasmPolicy(doc)).toEqual({ policy: { requireSignature: false, allowSelfSigned: false, limits: { a: { isolation: 'process' } } }, issues: [] });
  });
});
