import { describe, expect, it } from 'vitest';
import { editorFields, indexIssues, issueTarget, messagesFor } from './issues';

describe('issue places', () => {
  it.each([
    [['modes', 0, 'mappings', 3, 'trigger', 'Note', 'note'], { kind: 'mapping', key: 'm0:3', field: 'trigger.note' }],
    [['modes', 0, 'mappings', 3, 'trigger', 'Note', 'velocity_min'], { kind: 'mapping', key: 'm0:3', field: 'trigger.velocityMin' }],
    [['modes', 1, 'mappings', 0, 'trigger', 'Nte'], { kind: 'mapping', key: 'm1:0', field: 'trigger.type' }],
    [['modes', 1, 'mappings', 0, 'trigger', 'type'], { kind: 'mapping', key: 'm1:0', field: 'trigger.type' }],
    [['modes', 1, 'mappings', 0, 'trigger', 'min_duration_ms'], { kind: 'mapping', key: 'm1:0', field: 'trigger.minDurationMs' }],
    [['modes', 1, 'mappings', 0, 'trigger'], { kind: 'mapping', key: 'm1:0', field: 'trigger' }],
    [['modes', 1, 'mappings', 0, 'trigger', 'NoteChord', 'notes', 2], { kind: 'mapping', key: 'm1:0', field: 'trigger.notes' }],
    [['modes', 0, 'mappings', 2], { kind: 'mapping', key: 'm0:2', field: '' }],
    [['modes', 0, 'mappings', 2, 'description'], { kind: 'mapping', key: 'm0:2', field: 'description' }],
    [['global_mappings', 0, 'action', 'SendMidi', 'program'], { kind: 'mapping', key: 'g:0', field: 'action.program' }],
    [['global_mappings', 0, 'action', 'SendMidi', 'message_type'], { kind: 'mapping', key: 'g:0', field: 'action.messageType' }],
    [['globalMappings', 1, 'action', 'Shell', 'timeout_ms'], { kind: 'mapping', key: 'g:1', field: 'action.timeoutMs' }],
    [['modes', 0, 'mappings', 1, 'action', 'Sequence', 'actions', 2, 'Shell', 'command'], { kind: 'mapping', key: 'm0:1', field: 'action.actions[2].command' }],
    [['modes', 0, 'mappings', 1, 'action', 'Sequence', 'actions'], { kind: 'mapping', key: 'm0:1', field: 'action.actions' }],
    [['modes', 0, 'mappings', 1, 'action', 'Repeat', 'action', 'Delay', 'ms'], { kind: 'mapping', key: 'm0:1', field: 'action.action.ms' }],
    [['modes', 0, 'mappings', 1, 'action', 'Repeat', 'delay_between_ms'], { kind: 'mapping', key: 'm0:1', field: 'action.delayBetweenMs' }],
    [['modes', 0, 'mappings', 1, 'action', 'WasmPlugin', 'params', 'volume'], { kind: 'mapping', key: 'm0:1', field: 'action.params.volume' }],
    [['modes', 0, 'mappings', 1, 'action', 'ModeChange', 'mode'], { kind: 'mapping', key: 'm0:1', field: 'action.mode' }],
    // keys no path text could carry unquoted reach the field as they are
    [['modes', 0, 'mappings', 1, 'action', 'WasmPlugin', 'params', 'a.b["c"]'], { kind: 'mapping', key: 'm0:1', field: 'action.params.a.b["c"]' }],
    [['modes', 0, 'mappings', 1, 'action', 'command'], { kind: 'mapping', key: 'm0:1', field: 'action.command' }],
    [['modes', 2, 'name'], { kind: 'mode', modeIndex: 2, field: 'name' }],
    [['modes', 2], { kind: 'mode', modeIndex: 2, field: '' }],
    [['device', 'name'], { kind: 'other' }],
    [[], { kind: 'other' }],
    [['modes'], { kind: 'other' }],
  ])('%j', (segments, target) => {
    expect(issueTarget(segments)).toEqual(target);
  });

  it('groups issues by mapping and mode, the rest for the top list', () => {
    const index = indexIssues([
      { path: 'modes[0].mappings[1].trigger.Note.note', segments: ['modes', 0, 'mappings', 1, 'trigger', 'Note', 'note'], message: 'expected 0–127, got 200', line: 9, column: 3 },
      { path: 'modes[0].mappings[1].action.Text.text', segments: ['modes', 0, 'mappings', 1, 'action', 'Text', 'text'], message: 'missing required field', line: null, column: null },
      { path: 'modes[1].name', segments: ['modes', 1, 'name'], message: 'duplicate mode name', line: 12, column: 1 },
      { path: '', segments: [], message: 'TOML syntax error', line: 1, column: 1 },
      { path: 'wasm.require_signature', segments: ['wasm', 'require_signature'], message: 'expected a boolean', line: 4, column: 1 },
      // the display text is never parsed: an issue with empty segments belongs to the whole file
      { path: 'modes[0].mappings[1].description', segments: [], message: 'from an older main', line: null, column: null },
    ]);
    const mapping = index.byMapping.get('m0:1');
    expect(messagesFor(mapping, 'trigger.note')).toEqual(['expected 0–127, got 200']);
    expect(messagesFor(mapping, 'action.text')).toEqual(['missing required field']);
    expect(messagesFor(index.byMode.get(1), 'name')).toEqual(['duplicate mode name']);
    expect(index.other.map((i) => i.message)).toEqual(['TOML syntax error', 'expected a boolean', 'from an older main']);
    expect(indexIssues([]).byMapping.size).toBe(0);
  });

  it('knows which fields the editor shows, nested actions included', () => {
    const fields = editorFields(
      { description: '', trigger: { type: 'VelocityRange', note: 1, minVelocity: 0, maxVelocity: 40 }, action: { type: 'Sequence', actions: [{ type: 'Shell', command: 'x' }, { type: 'WasmPlugin', path: '/p.wasm', params: {} }] } },
      () => ['volume'],
    );
    for (const f of ['trigger.minVelocity', 'trigger.level', 'action.actions', 'action.actions[0].command', 'action.actions[1].path', 'action.actions[1].params.volume', 'action.actions[1].type']) expect(fields.has(f)).toBe(true);
    expect(fields.has('trigger.cc')).toBe(false);
    expect(fields.has('')).toBe(false);
  });
});
