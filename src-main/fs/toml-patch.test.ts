// The comment-keeping TOML patcher: edits the text towards a target document and nothing else; tomlTextFor checks
// the result and falls back to a full rewrite when the patcher cannot express a change.
import { describe, expect, it } from 'vitest';
import TOML from '@iarna/toml';
import { alignItems } from './align-items';
import { patchTomlText, TomlPatchError } from './toml-patch';
import { tomlTextFor } from './toml-file';
import { sameTomlValue, tomlValueKey } from './toml-text';

type Doc = Record<string, unknown>;

/** Patches `text` with `change` applied to its document; checks the result reads back as the changed document. */
function edit(text: string, change: (doc: Doc) => void, options: Parameters<typeof patchTomlText>[2] = {}): string {
  const doc = TOML.parse(text.replace(/^\uFEFF/, '')) as Doc;
  change(doc);
  const out = patchTomlText(text, doc, options);
  expect(TOML.parse(out.replace(/^\uFEFF/, ''))).toEqual(doc);
  return out;
}

/** The lines of `before` that are not in `after` and the reverse, in order (a small LCS line diff). */
function lineDiff(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  const ops = alignItems(a, b);
  const removed: string[] = [];
  const added: string[] = [];
  for (const op of ops) {
    if (op.kind === 'remove' || op.kind === 'change') removed.push(a[op.i] ?? '');
    if (op.kind === 'add' || op.kind === 'change') added.push(b[op.j] ?? '');
  }
  return { removed, added };
}

const TEXT = `# Top comment
title   =   "demo"   # trailing

[server]
# the host
host = 'localhost'
port = 8080   # default port
options = { retries = 3, verbose = false }
list = [1, 2, 3]

[[items]]
name = "a"   # first

# The second item
[[items]]
name = "b"
tags = [
  "x",  # ex
  "y",
]

[[items]]
name = "c"
[items.meta]
kind = "special"

# end of file
`;

describe('patchTomlText', () => {
  it('changes values in place and keeps every other byte', () => {
    const out = edit(TEXT, (d) => {
      (d.server as Doc).port = 9090;
      (d.server as Doc).options = { retries: 5, verbose: false };
      ((d.items as Doc[])[1] as Doc).name = 'B';
      d.title = 'new title';
    });
    expect(lineDiff(TEXT, out)).toEqual({
      removed: ['title   =   "demo"   # trailing', 'port = 8080   # default port', 'options = { retries = 3, verbose = false }', 'name = "b"'],
      added: ['title   =   "new title"   # trailing', 'port = 9090   # default port', 'options = { retries = 5, verbose = false }', 'name = "B"'],
    });
  });

  it('returns the text unchanged when the document is the same', () => {
    expect(edit(TEXT, () => undefined)).toBe(TEXT);
  });

  it('adds and removes keys, inline-table keys and array items', () => {
    const out = edit(TEXT, (d) => {
      const server = d.server as Doc;
      server.timeout = 30;
      delete server.host;
      server.options = { retries: 3, verbose: false, level: 'debug' };
      server.list = [1, 2, 3, 4];
      ((d.items as Doc[])[1] as Doc).tags = ['x', 'y', 'z'];
      d.owner = 'me';
    });
    expect(out).toContain('# the host\nport = 8080   # default port\n');
    expect(out).toContain('list = [1, 2, 3, 4]\ntimeout = 30\n');
    expect(out).toContain('options = { retries = 3, verbose = false, level = "debug" }');
    expect(out).toContain('tags = [\n  "x",  # ex\n  "y",\n  "z",\n]');
    expect(out).toContain('title   =   "demo"   # trailing\nowner = "me"\n');
  });

  it('adds, inserts and removes [[array]] entries with the comments they own', () => {
    const added = edit(TEXT, (d) => {
      const items = d.items as Doc[];
      items.splice(1, 0, { name: 'new', meta: { kind: 'plain' } });
      items.push({ name: 'last' });
    });
    expect(added).toContain('name = "a"   # first\n\n[[items]]\nname = "new"\n\n[items.meta]\nkind = "plain"\n\n# The second item\n[[items]]\nname = "b"');
    expect(added).toContain('kind = "special"\n\n[[items]]\nname = "last"\n\n# end of file\n');

    const removed = edit(TEXT, (d) => {
      (d.items as Doc[]).splice(1, 1);
    });
    expect(removed).not.toContain('The second item');
    expect(removed).not.toContain('"x",  # ex');
    expect(removed).toContain('name = "a"   # first\n\n[[items]]\nname = "c"\n');
    expect(lineDiff(TEXT, removed).added).toEqual([]);

    // The last entry goes with its sub-table; the file's closing comment stays.
    const last = edit(TEXT, (d) => {
      (d.items as Doc[]).pop();
    });
    expect(last).not.toContain('special');
    expect(last.endsWith('  "y",\n]\n\n# end of file\n')).toBe(true);
  });

  it('adds and removes whole tables', () => {
    const out = edit(TEXT, (d) => {
      delete d.server;
      d.database = { url: 'postgres://x', pool: { size: 4 } };
    });
    expect(out).not.toContain('[server]');
    expect(out).not.toContain('# the host');
    // New top-level tables go before the first top-level [[array]].
    expect(out).toContain('title   =   "demo"   # trailing\n\n[database]\nurl = "postgres://x"\n\n[database.pool]\nsize = 4\n\n[[items]]');
  });

  it('writes new tables inline where the caller says so', () => {
    const out = edit(
      TEXT,
      (d) => {
        (d.items as Doc[]).push({ name: 'd', rule: { when: { note: 1 } } });
      },
      { inline: (keys) => keys[1] === 'rule' },
    );
    expect(out).toContain('[[items]]\nname = "d"\nrule = { when = { note = 1 } }\n');
  });

  it('follows dotted keys, implicit tables and [table] sub-tables', () => {
    const text = '[a]\nx.y = 1 # d\nx.z = 2\n\n[b.c]\nv = 1\n';
    const out = edit(text, (d) => {
      const a = d.a as { x: Doc };
      a.x.y = 10;
      a.x.w = 3;
      ((d.b as Doc).c as Doc).v = 2;
      (d.b as Doc).own = true;
    });
    expect(out).toBe('[a]\nx.y = 10 # d\nx.z = 2\nx.w = 3\n\n[b]\nown = true\n\n[b.c]\nv = 2\n');
  });

  it('keeps CRLF line ends, a BOM and a missing final newline', () => {
    // (@iarna/toml refuses a comment that ends in CRLF, so this file has none.)
    const text = '\uFEFF[t]\r\na  =  1\r\n\r\n[[e]]\r\nn = 1';
    const out = edit(text, (d) => {
      (d.t as Doc).a = 2;
      (d.t as Doc).b = 'x';
      (d.e as Doc[]).push({ n: 2 });
    });
    expect(out).toBe('\uFEFF[t]\r\na  =  2\r\nb = "x"\r\n\r\n[[e]]\r\nn = 1\r\n\r\n[[e]]\r\nn = 2');
  });

  it('keeps a tagged table spelling and mixes inline and [table] entries (where other patchers fail)', () => {
    const text = '[[m]]\nt = { a = 1 }\n\n[[m]]\n[m.t]\ntype = "x" # tag\na = 2\n';
    const out = edit(text, (d) => {
      (((d.m as Doc[])[1] as Doc).t as Doc).a = 3;
      (((d.m as Doc[])[0] as Doc).t as Doc).a = 0;
    });
    expect(out).toBe('[[m]]\nt = { a = 0 }\n\n[[m]]\n[m.t]\ntype = "x" # tag\na = 3\n');
  });

  it('replaces dotted keys by another table, and never takes text inside a string for a comment', () => {
    expect(edit('[t]\nx.y = 1 # gone with its line\nw = 2\n', (d) => ((d.t as Doc).x = { z: 1 }))).toBe('[t]\nx.z = 1\nw = 2\n');
    const text = '[x]\ns = """\n# not a comment"""\n[[m]]\na = 1\n\n[[m]]\na = 2\n';
    expect(edit(text, (d) => (d.m as Doc[]).shift())).toBe('[x]\ns = """\n# not a comment"""\n\n[[m]]\na = 2\n');
  });

  it('gives a top-level array its own key when all its entries go', () => {
    const text = '# keys file\n\n[[keys]]\nname = "a"\n\n[[keys]]\nname = "b"\n';
    expect(edit(text, (d) => (d.keys = []))).toBe('# keys file\nkeys = []\n');
  });
});

describe('tomlTextFor', () => {
  it('patches when the result reads back as the target, else rewrites and says why', () => {
    const target = { a: 2 };
    expect(tomlTextFor('a = 1 # c\n', target, () => 'a = 2\n')).toEqual({ text: 'a = 2 # c\n', fallback: null });
    expect(tomlTextFor(null, target, () => 'a = 2\n')).toEqual({ text: 'a = 2\n', fallback: null });
    // A file the patcher cannot read, a refused check: the full rewrite.
    expect(tomlTextFor('a = = 1', target, () => 'a = 2\n')).toMatchObject({ text: 'a = 2\n', fallback: expect.stringMatching(/does not parse/) });
    expect(tomlTextFor('a = 1\n', target, () => 'a = 2\n', { check: () => 'no thanks' })).toEqual({ text: 'a = 2\n', fallback: 'no thanks' });
  });

  it('falls back when the patcher cannot read the file the way @iarna/toml does', () => {
    // @iarna/toml takes 30 February (as 2 March); the layout parser rightly refuses it.
    const text = 'a = 1 # c\nday = 1979-02-30\n';
    const target = { ...TOML.parse(text), a: 2 };
    expect(() => patchTomlText(text, target)).toThrow(TomlPatchError);
    const saved = tomlTextFor(text, target, () => TOML.stringify(target));
    expect(saved.fallback).toMatch(/^cannot read the file's layout: /);
    expect(TOML.parse(saved.text)).toEqual(target);
  });
});

describe('alignItems and value equality', () => {
  it('matches equal items and pairs the rest in order', () => {
    expect(alignItems(['a', 'b', 'c'], ['a', 'x', 'c', 'd'])).toEqual([
      { kind: 'keep', i: 0, j: 0 },
      { kind: 'change', i: 1, j: 1 },
      { kind: 'keep', i: 2, j: 2 },
      { kind: 'add', j: 3 },
    ]);
    expect(alignItems(['a', 'b', 'c'], ['b', 'c'])).toEqual([
      { kind: 'remove', i: 0 },
      { kind: 'keep', i: 1, j: 0 },
      { kind: 'keep', i: 2, j: 1 },
    ]);
  });

  it('compares TOML values, not JavaScript objects', () => {
    expect(sameTomlValue({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(sameTomlValue({ a: 1, n: null }, { a: 1 })).toBe(true);
    expect(sameTomlValue(5n, 5)).toBe(true);
    expect(sameTomlValue(new Date('2024-01-01T00:00:00Z'), new Date('2024-01-01T00:00:00Z'))).toBe(true);
    expect(sameTomlValue({ a: 1 }, { a: '1' })).toBe(false);
    expect(sameTomlValue([1], { 0: 1 })).toBe(false);
    expect(tomlValueKey({ b: 1, a: 2 })).toBe(tomlValueKey({ a: 2, b: 1 }));
  });
});
