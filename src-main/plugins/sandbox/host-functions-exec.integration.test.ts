// conductor.exec (the subprocess grant) in a real PluginRuntime: the C fixture `caps` running real programs, WAT
// probes for exact return codes — no shell, PATH-only environment, working dir, deadline, output cap, request checks.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST_ERROR, HOST_LIMITS } from '../common/import-catalogue';
import { fixtureBytes, passthrough, pluginLoader, probe, response } from './test-support/plugin-loader';

const caps = fixtureBytes('caps');
const posix = process.platform !== 'win32';

let base: string;
const { load, shutdownAll } = pluginLoader();

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'conductor-hostfn-'));
});
afterEach(shutdownAll);
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('conductor.exec (subprocess)', () => {
  it.runIf(posix)('runs the program and returns status and stdout', async () => {
    const p = await load(caps, ['subprocess']);
    const r = p.call({ action: 'exec', program: 'echo', args: ['hi', 'there'] });
    expect(r).toMatchObject({ ok: true, code: 0 });
    expect(response(r, 'exec')).toEqual({ status: 0, signal: null, stdout: 'hi there\n', stderr: '' });
    expect(r.log).toContain('hi there');
  });

  it.runIf(posix)('never uses a shell: metacharacters reach the program literally', async () => {
    const p = await load(caps, ['subprocess']);
    const args = ['$(id)', '`id`', '; id', '|', '*', '$HOME', '>x'];
    const r = p.call({ action: 'exec', program: 'echo', args });
    expect(response(r, 'exec').stdout).toBe(`${args.join(' ')}\n`);
    expect(p.call({ action: 'exec', program: 'echo hi' }).log.join('\n')).toContain('program not found: echo hi');
  });

  it.runIf(posix)('feeds stdin, reports exit codes and stderr', async () => {
    const p = await load(caps, ['subprocess']);
    expect(response(p.call({ action: 'exec', program: 'cat', stdin: 'piped\ninput' }), 'exec').stdout).toBe('piped\ninput');
    const missing = response(p.call({ action: 'exec', program: 'ls', args: [join(base, 'does-not-exist')] }), 'exec');
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('does-not-exist');
    expect(response(p.call({ action: 'exec', program: 'no-such-program-conductor' }), 'exec')).toMatchObject({
      status: null,
      error: 'program not found: no-such-program-conductor',
    });
  });

  it.runIf(posix)('gives the program only PATH from the environment', async () => {
    const p = await load(caps, ['subprocess']);
    const out = String(response(p.call({ action: 'exec', program: 'env' }), 'exec').stdout);
    const keys = out.split('\n').filter(Boolean).map((l) => l.split('=')[0]);
    expect(keys).toEqual(['PATH']);
  });

  it.runIf(posix)('runs in the data dir only with the filesystem grant, else in the OS temp dir', async () => {
    const dir = join(base, 'exec-cwd');
    const withFs = await load(caps, ['subprocess', 'filesystem'], { dataDir: dir });
    expect(response(withFs.call({ action: 'exec', program: 'pwd' }), 'exec').stdout).toBe(`${realpathSync(dir)}\n`);
    const withoutFs = await load(caps, ['subprocess'], { dataDir: dir });
    expect(response(withoutFs.call({ action: 'exec', program: 'pwd' }), 'exec').stdout).toBe(`${realpathSync(tmpdir())}\n`);
  });

  it.runIf(posix)("kills a program that would outlive the call's deadline and returns a timeout result", async () => {
    const p = await load(caps, ['subprocess'], { limits: { callTimeoutMs: 5000 } });
    const r = p.call({ action: 'exec', program: 'sleep', args: ['10'] });
    expect(r).toMatchObject({ ok: true, code: 0 });
    const res = response(r, 'exec');
    expect(res).toMatchObject({ status: null, signal: 'SIGKILL' });
    expect(res.error).toMatch(/^timed out after \d+ ms \(the call's deadline\); the process was killed$/);
  });

  it.runIf(posix)('caps output at 1 MiB', async () => {
    const p = await load(caps, ['subprocess'], { limits: { logBytesPerCall: 8 << 20 } });
    // seq prints 2.6 MB of digits and newlines.
    const r = p.call({ action: 'exec', program: 'seq', args: ['1', '400000'], out_cap: 4 << 20 });
    const res = response(r, 'exec');
    expect(res).toMatchObject({ truncated: true, error: `output exceeded ${HOST_LIMITS.execOutputBytes} bytes; the process was killed` });
    const stdout = String(res.stdout);
    expect(stdout).toHaveLength(HOST_LIMITS.execOutputBytes);
    expect(stdout.startsWith('1\n2\n3\n')).toBe(true);
  });

  it.runIf(posix)('returns -(bytes needed) and writes nothing when the out buffer is too small', async () => {
    const p = await load(caps, ['subprocess']);
    const small = p.call({ action: 'exec', program: 'echo', args: ['sized'], out_cap: 8, retry: false });
    expect(small.code).toBe(3);
    const need = Number(/^exec: need (\d+) bytes$/.exec(small.log[0] ?? '')?.[1]);
    const retried = p.call({ action: 'exec', program: 'echo', args: ['sized'], out_cap: 8 });
    expect(retried).toMatchObject({ ok: true, code: 0 });
    expect(retried.log[0]).toBe(`exec: need ${need} bytes`);
    expect(Buffer.byteLength(JSON.stringify(response(retried, 'exec')))).toBe(need);
  });

  it('returns error codes for malformed requests, with the reason in the log', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['{"program":"echo","cwd":"/"}', HOST_ERROR.invalid, /"cwd" is not supported/],
      ['{"program":"echo","env":{}}', HOST_ERROR.invalid, /unknown field "env"/],
      ['not json', HOST_ERROR.invalid, /not valid JSON/],
      ['{"program":"echo","args":"hi"}', HOST_ERROR.invalid, /"args" must be an array of strings/],
      ['{"program":""}', HOST_ERROR.invalid, /"program" must be a non-empty string/],
    ];
    const { runtime } = await load(await passthrough('exec'), ['subprocess']);
    for (const [req, code, reason] of cases) {
      const r = runtime.execute(req);
      expect(r.code, req).toBe(code);
      expect(r.log.join('\n')).toMatch(reason);
    }
    const bad = await load(await probe('exec', new Uint8Array([0x7b, 0xff, 0x7d])), ['subprocess']);
    expect(bad.call({}).code).toBe(HOST_ERROR.invalid);
  });

  it.runIf(posix)('out_cap 0 returns the needed size; an out-of-bounds buffer traps', async () => {
    const zero = await load(await probe('exec', '{"program":"true"}', '', 0), ['subprocess']);
    expect(zero.call({}).code).toBe(-Buffer.byteLength(JSON.stringify({ status: 0, signal: null, stdout: '', stderr: '' })));
    const oob = await load(await probe('exec', '{"program":"true"}', '', (1 << 20) + 1), ['subprocess']);
    expect(oob.call({})).toMatchObject({ ok: false, errorKind: 'trap', error: expect.stringContaining('conductor.exec out buffer is out of bounds') });
  });
});
