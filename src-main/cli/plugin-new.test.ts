// `conductor plugin new` without a toolchain (issue #13): names are checked, placeholders filled, the SDK copied in,
// nothing overwritten and nothing half-written. The builds themselves: plugins/templates/templates.integration.test.ts.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkPluginName, createPluginProject, fillPlaceholders, packageRoot, parseLanguage } from './plugin-new';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-new-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('plugin new', () => {
  it('accepts kebab-case names and explains the rule otherwise', () => {
    for (const ok of ['hello', 'hello-pad', 'obs2', 'a-1-b']) expect(() => checkPluginName(ok)).not.toThrow();
    for (const bad of ['Hello', '1pad', 'hello_pad', 'hello--pad', '-x', 'x-', '../x', 'a'.repeat(65), '']) {
      expect(() => checkPluginName(bad), bad).toThrow(/use lower-case letters, digits and single hyphens/);
    }
  });

  it('knows its languages and their short names', () => {
    expect(parseLanguage('Rust')).toBe('rust');
    expect(parseLanguage('as')).toBe('assemblyscript');
    expect(() => parseLanguage('go')).toThrow(/unknown language "go" \(choose rust, assemblyscript, c\)/);
    expect(() => parseLanguage(undefined)).toThrow(/--lang is required/);
  });

  it('fills {{name}} and {{snake}} only', () => {
    expect(fillPlaceholders('{{name}} {{snake}} {{other}} {name}', { '{{name}}': 'hello-pad', '{{snake}}': 'hello_pad' })).toBe('hello-pad hello_pad {{other}} {name}');
  });

  it('writes the C template with its SDK header, placeholders filled, and says how to build it', async () => {
    const made = await createPluginProject('hello-pad', 'c', join(dir, 'hello-pad'));
    expect(made.files).toEqual(expect.arrayContaining(['README.md', 'conductor_plugin.h']));
    expect(made.files).not.toContain('template.json');
    expect(made.output).toBe('hello-pad.wasm');
    const header = readFileSync(join(made.dir, 'conductor_plugin.h'), 'utf8');
    expect(header).toBe(readFileSync(join(packageRoot(), 'plugins/sdk/c/conductor_plugin.h'), 'utf8'));
    const everything = made.files.map((f) => readFileSync(join(made.dir, f), 'utf8')).join('\n');
    expect(everything).toContain('hello-pad');
    expect(everything).not.toMatch(/\{\{(name|snake)\}\}/);
    expect(readdirSync(dir)).toEqual(['hello-pad']); // no staging folder left behind
  });

  it('never writes into a folder that has files, and accepts an empty one', async () => {
    const full = join(dir, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'mine.txt'), 'keep me');
    await expect(createPluginProject('hello', 'c', full)).rejects.toThrow(/already exists and is not an empty folder/);
    expect(readdirSync(full)).toEqual(['mine.txt']);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await createPluginProject('hello', 'c', empty);
    expect(readdirSync(empty)).toContain('Makefile');
    expect(readdirSync(dir).sort()).toEqual(['empty', 'full']);
  });

  it('a failure part-way leaves nothing behind', async () => {
    const fakeRoot = join(dir, 'pkg');
    mkdirSync(join(fakeRoot, 'plugins/templates/c'), { recursive: true });
    writeFileSync(join(fakeRoot, 'plugins/templates/c/template.json'), JSON.stringify({ language: 'c', vendor: [{ from: 'missing/sdk.h', to: 'sdk.h' }], build: ['make'], output: 'x.wasm' }));
    writeFileSync(join(fakeRoot, 'plugins/templates/c/plugin.c'), '// {{name}}\n');
    const out = join(dir, 'out');
    await expect(createPluginProject('x', 'c', join(out, 'x'), fakeRoot)).rejects.toThrow(/ENOENT/);
    expect(readdirSync(out)).toEqual([]);
  });
});
