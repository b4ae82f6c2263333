import { describe, expect, it } from 'vitest';
import type { ConfigState } from '../../src-shared/contract';
import { sampleConfig } from '../test-support/fake-api';
import { configProblems, healthText } from './health';

const fileState: ConfigState = {
  config: sampleConfig(),
  path: '/home/u/.config/conductor/config.toml',
  issues: [
    { path: 'modes[0].mappings[2].trigger', segments: ['modes', 0, 'mappings', 2, 'trigger', 'Note', 'note'], message: 'note must be 0–127', line: 12, column: 5 },
    { path: '', segments: [], message: 'Unexpected character', line: 3, column: null },
  ],
};

describe('config health', () => {
  it('is OK with no problems', () => {
    expect(configProblems(null, [], [])).toEqual([]);
    expect(healthText([])).toBe('Config OK');
  });

  it('lists the file, the refused save and the held-back save, each pointing at its mapping and field', () => {
    const problems = configProblems(
      fileState,
      [{ path: 'global_mappings[1].action', segments: ['global_mappings', 1, 'action', 'Shell', 'command'], message: 'command is empty', line: null, column: null }],
      [{ key: 'm1:0', field: 'action.params.fade_ms', message: 'fade_ms is required for fade' }],
    );
    expect(problems.map((p) => [p.source, p.place, p.target])).toEqual([
      ['file', 'config.toml line 12, column 5', { kind: 'mapping', key: 'm0:2', field: 'trigger.note' }],
      ['file', 'config.toml line 3', { kind: 'other' }],
      ['save', null, { kind: 'mapping', key: 'g:1', field: 'action.command' }],
      ['draft', null, { kind: 'mapping', key: 'm1:0', field: 'action.params.fade_ms' }],
    ]);
    expect(new Set(problems.map((p) => p.id)).size).toBe(4);
    expect(healthText(problems)).toBe('4 problems');
    expect(healthText(problems.slice(0, 1))).toBe('1 problem');
  });
});
