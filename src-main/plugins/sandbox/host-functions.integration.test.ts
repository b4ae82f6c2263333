// The capability gate in front of every host function (exec, midi_send, notify) and the filesystem grant (the WASI
// preopen) in a real PluginRuntime running the C fixture `caps`; each host function's own tests are in host-functions-*.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Capability } from '../../../src-shared/plugin';
import { fixtureBytes, pluginLoader } from './test-support/plugin-loader';

const caps = fixtureBytes('caps');

let base: string;
const { load, shutdownAll } = pluginLoader();

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'conductor-hostfn-'));
});
afterEach(shutdownAll);
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('capability gating', () => {
  it.each([
    ['exec', 'subprocess', { action: 'exec', program: 'echo', args: ['x'] }],
    ['midi_send', 'midi', { action: 'midi' }],
    ['notify', 'systemcontrol', { action: 'notify', title: 't' }],
  ] as const)('an ungranted %s fails the call with errorKind capability', async (fn, cap, params) => {
    const all: Capability[] = ['filesystem', 'subprocess', 'midi', 'systemcontrol', 'network'];
    const p = await load(caps, all.filter((c) => c !== cap));
    const r = p.call(params);
    expect(r).toMatchObject({ ok: false, errorKind: 'capability', code: null });
    expect(r.error).toBe(`conductor.${fn} needs the "${cap}" capability, which is not granted`);
    expect(p.events).toEqual([]);
  });

  it('an ungranted exec never starts the program', async () => {
    const dir = join(base, 'no-exec');
    const p = await load(caps, ['filesystem'], { dataDir: dir });
    const r = p.call({ action: 'exec', program: 'touch', args: [join(dir, 'ran')] });
    expect(r.errorKind).toBe('capability');
    expect(existsSync(join(dir, 'ran'))).toBe(false);
  });

  it('the instance keeps working after a capability failure', async () => {
    const p = await load(caps, ['midi']);
    expect(p.call({ action: 'notify', title: 't' }).errorKind).toBe('capability');
    expect(p.call({ action: 'midi' })).toMatchObject({ ok: true, code: 0 });
    expect(p.events).toHaveLength(1);
  });
});

describe('filesystem (WASI preopen)', () => {
  it('without the grant there is no preopen: write-file fails and nothing appears in the data dir', async () => {
    const dir = join(base, 'fs-denied');
    const p = await load(caps, ['subprocess', 'midi'], { dataDir: dir });
    const r = p.call({ action: 'write-file', text: 'hello' });
    expect(r).toMatchObject({ ok: false, code: 2, errorKind: 'plugin-error' });
    expect(r.log.join('\n')).toMatch(/\[error\] write-file: cannot open \/note\.txt: /);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });

  it('with the grant the file lands in the data dir and reads back', async () => {
    const dir = join(base, 'fs-granted');
    const p = await load(caps, ['filesystem'], { dataDir: dir });
    expect(p.call({ action: 'write-file', text: 'hello caps' })).toMatchObject({ ok: true, code: 0 });
    expect(readFileSync(join(dir, 'note.txt'), 'utf8')).toBe('hello caps');
    expect(p.call({ action: 'read-file' }).log).toEqual(['note: hello caps']);
  });
});
