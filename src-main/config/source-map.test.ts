// Positions of keys in TOML text: headers, arrays of tables, dotted and quoted keys, inline tables and arrays.
import { describe, expect, it } from 'vitest';
import TOML from '@iarna/toml';
import { formatPath, SourceMap } from './source-map';

const TEXT = `# comment with [brackets] and key = "value"
title = """
multi-line [not a header]
key = 1
"""
literal = '''a ''b'' c'''
device.name = "x" # trailing
"quoted key".inner = 1

[[modes]]
name = "A"
[[modes.mappings]]
trigger = { Note = { note = 1 } }
[[modes.mappings]]
action = { Sequence = { actions = [
  { Text = { text = "a, b } c" } },
  # a comment inside an array
  { Delay = { ms = 5 } },
] } }
[modes.mappings.trigger]
type = "Note"

[[modes]]
name = "B"
when = 1979-05-27 07:32:00Z
list = [ 1, 2 ]
`;

describe('SourceMap', () => {
  const map = new SourceMap(TEXT);

  it('is given valid TOML (what it is built for)', () => {
    expect(TOML.parse(TEXT)).toMatchObject({ title: 'multi-line [not a header]\nkey = 1\n', modes: [{ name: 'A' }, { name: 'B' }] });
  });
  const lineOf = (needle: string, nth = 0): number => TEXT.split('\n').findIndex((l, i, all) => l.includes(needle) && all.slice(0, i).filter((x) => x.includes(needle)).length === nth) + 1;

  it('finds keys after multi-line strings, comments and dotted or quoted keys', () => {
    expect(map.exact(['title'])).toEqual({ line: 2, column: 1 });
    expect(map.exact(['key'])).toBeNull();
    expect(map.exact(['literal'])).toEqual({ line: 6, column: 1 });
    expect(map.exact(['device', 'name'])).toEqual({ line: 7, column: 8 });
    expect(map.exact(['quoted key', 'inner'])).toEqual({ line: 8, column: 14 });
  });

  it('numbers arrays of tables and resolves [modes.mappings.trigger] to the latest element', () => {
    expect(map.exact(['modes', 0])).toEqual({ line: lineOf('[[modes]]'), column: 1 });
    expect(map.exact(['modes', 0, 'mappings', 0, 'trigger', 'Note', 'note'])).toEqual({ line: lineOf('note = 1'), column: 22 });
    expect(map.exact(['modes', 0, 'mappings', 1, 'trigger'])).toEqual({ line: lineOf('[modes.mappings.trigger]'), column: 1 });
    expect(map.exact(['modes', 0, 'mappings', 1, 'trigger', 'type'])).toEqual({ line: lineOf('type = "Note"'), column: 1 });
    expect(map.exact(['modes', 1, 'name'])).toEqual({ line: lineOf('name = "B"'), column: 1 });
    expect(map.exact(['modes', 1, 'list', 1])).toEqual({ line: lineOf('list = '), column: 13 });
  });

  it('follows arrays of inline tables across lines, past commas and braces inside strings', () => {
    expect(map.exact(['modes', 0, 'mappings', 1, 'action', 'Sequence', 'actions', 0, 'Text', 'text'])).toEqual({ line: lineOf('{ Text'), column: 14 });
    expect(map.exact(['modes', 0, 'mappings', 1, 'action', 'Sequence', 'actions', 1, 'Delay', 'ms'])).toEqual({ line: lineOf('{ Delay'), column: 15 });
    expect(map.exact(['modes', 1, 'when'])).toEqual({ line: lineOf('when ='), column: 1 });
  });

  it('locate() falls back to the nearest ancestor that is in the text', () => {
    expect(map.locate(['modes', 1, 'color'])).toEqual(map.exact(['modes', 1]));
    expect(map.locate(['nothing', 'here'])).toBeNull();
  });

  it('formats paths the way issues print them', () => {
    expect(formatPath(['modes', 0, 'mappings', 3, 'trigger', 'Note', 'note'])).toBe('modes[0].mappings[3].trigger.Note.note');
    expect(formatPath(['params', 'my key', 0])).toBe('params["my key"][0]');
    expect(formatPath([])).toBe('');
  });
});
