import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../src-shared/config';
import { sampleConfig } from '../test-support/fake-api';
import { COALESCE_MS, EMPTY_HISTORY, HISTORY_LIMIT, recordEdit, redoStep, undoStep } from './history';

const named = (description: string): AppConfig => {
  const c = sampleConfig();
  return { ...c, globalMappings: c.globalMappings.map((m) => ({ ...m, description })) };
};

describe('draft history', () => {
  it('undoes and redoes edits in order; a new edit drops the redo steps', () => {
    const [a, b, c, d] = [named('a'), named('b'), named('c'), named('d')];
    let h = recordEdit(EMPTY_HISTORY, a, null, 0);
    h = recordEdit(h, b, null, 10);
    const u1 = undoStep(h, c);
    expect(u1?.draft).toBe(b);
    const u2 = undoStep(u1?.history ?? h, b);
    expect(u2?.draft).toBe(a);
    expect(undoStep(u2?.history ?? h, a)).toBeNull();
    const r1 = redoStep(u2?.history ?? h, a);
    expect(r1?.draft).toBe(b);
    const r2 = redoStep(r1?.history ?? h, b);
    expect(r2?.draft).toBe(c);
    expect(redoStep(r2?.history ?? h, c)).toBeNull();
    // Undo once, then edit: the undone step cannot come back.
    const undone = undoStep(h, c);
    const edited = recordEdit(undone?.history ?? h, b, null, 20);
    expect(edited.future).toEqual([]);
    expect(redoStep(edited, d)).toBeNull();
  });

  it('merges quick edits of one group into one step, not edits of other groups, null groups or after a pause', () => {
    const [a, b, c] = [named('a'), named('b'), named('c')];
    let h = recordEdit(EMPTY_HISTORY, a, 'mapping:m0:0', 0);
    h = recordEdit(h, b, 'mapping:m0:0', 300);
    h = recordEdit(h, c, 'mapping:m0:0', 600);
    expect(h.past).toEqual([a]);
    h = recordEdit(h, c, 'mapping:m0:0', 600 + COALESCE_MS + 1);
    expect(h.past).toHaveLength(2);
    h = recordEdit(h, c, 'mapping:m0:1', 600 + COALESCE_MS + 2);
    expect(h.past).toHaveLength(3);
    h = recordEdit(h, c, null, 600 + COALESCE_MS + 3);
    h = recordEdit(h, c, null, 600 + COALESCE_MS + 4);
    expect(h.past).toHaveLength(5);
  });

  it('keeps at most HISTORY_LIMIT steps, dropping the oldest', () => {
    let h = EMPTY_HISTORY;
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) h = recordEdit(h, named(String(i)), null, i);
    expect(h.past).toHaveLength(HISTORY_LIMIT);
    expect(h.past[0]?.globalMappings[0]?.description).toBe('5');
  });
});
