// The execute input built from a params prefix serialised once is the same string as the one built whole, for
// every shape of params (including keys named like the members the host adds).
import { describe, expect, it } from 'vitest';
import { buildExecuteInput, executeInputPrefix, executeInputWithPrefix } from './execute-input';
import type { ActionParams, TriggerContext } from './plugin';

const context: TriggerContext = { trigger: 'Note', mode: 'Live "quoted"', timestamp: 1_700_000_000_123, device: 'virtual:test', channel: 3, note: 60, velocity: 100 };

describe('execute input', () => {
  it.each<[string, ActionParams]>([
    ['empty params', {}],
    ['plain values', { action: 'play', volume: 0.5, loud: true, nothing: null }],
    ['nested and unicode', { list: [1, 'two', { three: 3 }], text: 'ünïcødé \u2028 "q" \\ \n' }],
    ['a key named parameters', { parameters: 'mine', action: 'x' }],
    ['a key named __proto__ as data', JSON.parse('{"__proto__": {"x": 1}, "a": 2}') as ActionParams],
  ])('the prefix form equals the whole form: %s', (_, params) => {
    const prefix = executeInputPrefix(params);
    expect(prefix).not.toBeNull();
    expect(executeInputWithPrefix(prefix ?? '', context)).toBe(buildExecuteInput(params, context));
    expect(JSON.parse(executeInputWithPrefix(prefix ?? '', context))).toEqual(JSON.parse(buildExecuteInput(params, context)));
  });

  it('gives no prefix for params with a context key of their own (the whole form keeps its place)', () => {
    const params: ActionParams = { context: 'mine', action: 'x' };
    expect(executeInputPrefix(params)).toBeNull();
    expect(Object.keys(JSON.parse(buildExecuteInput(params, context)) as object)).toEqual(['context', 'action', 'parameters']);
  });
});
