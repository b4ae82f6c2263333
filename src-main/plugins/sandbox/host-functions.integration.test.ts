// The capability-gated host functions (exec, midi_send, notify, http_request) in a real PluginRuntime: the C
// fixtures `caps` and `net`, small WAT modules for exact return codes, real programs, a real local HTTP server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LIMITS, type CallResult, type Capability, type PluginHostEvent, type PluginLimits } from '../../../src-shared/plugin';
import { cFixture, watToWasm } from '../../../plugins/fixtures';
import { HOST_ERROR, HOST_LIMITS } from '../common/import-catalogue';
import { startTestHttpServer, type ServerStats, type TestHttpServer } from './test-support/http-test-server';
import { PluginRuntime } from './runtime';
import type { RuntimeConfig } from '../common/protocol';

const caps = new Uint8Array(readFileSync(cFixture('caps')));
const net = new Uint8Array(readFileSync(cFixture('net')));
const posix = process.platform !== 'win32';

let base: string;
const runtimes: PluginRuntime[] = [];

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'conductor-hostfn-'));
});
afterEach(() => {
  for (const r of runtimes.splice(0)) r.shutdown();
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

interface Loaded {
  runtime: PluginRuntime;
  events: PluginHostEvent[];
  call: (params: Record<string, unknown>) => CallResult;
}

async function load(
  bytes: Uint8Array,
  grants: Capability[],
  extra: { dataDir?: string | null; limits?: Partial<PluginLimits>; allowedHosts?: readonly string[]; noEvents?: boolean } = {},
): Promise<Loaded> {
  const events: PluginHostEvent[] = [];
  const config: RuntimeConfig = { limits: { ...DEFAULT_LIMITS, ...extra.limits }, grants, dataDir: extra.dataDir ?? null };
  if (extra.allowedHosts) config.allowedHosts = extra.allowedHosts;
  const { runtime } = await PluginRuntime.load(bytes, config, extra.noEvents ? {} : { hostEvents: (e) => events.push(e) });
  runtimes.push(runtime);
  return { runtime, events, call: (params) => runtime.execute(JSON.stringify(params)) };
}

/** The JSON a fixture logged as "[info] <label> response: {...}". */
function response(r: CallResult, label: 'exec' | 'http'): Record<string, unknown> {
  const prefix = `[info] ${label} response: `;
  const line = r.log.find((l) => l.startsWith(prefix));
  if (!line) throw new Error(`no ${label} response in log: ${JSON.stringify(r.log)}`);
  return JSON.parse(line.slice(prefix.length)) as Record<string, unknown>;
}

/** Where probe modules put the out buffer (their memory is 4 MiB). */
const OUT_AT = 3 << 20;

/**
 * A module whose `execute` calls one host function with fixed arguments and returns its result as the call's code
 * (so `CallResult.code` is the host function's return value). Data: `a` at 1024, `b` at 1024 + a's length.
 */
async function probe(fn: 'exec' | 'http_request' | 'notify', a: Uint8Array | string, b: Uint8Array | string = '', outCap = 65536): Promise<Uint8Array> {
  const bytesOf = (v: Uint8Array | string) => (typeof v === 'string' ? new TextEncoder().encode(v) : v);
  const A = bytesOf(a);
  const B = bytesOf(b);
  const data = (bytes: Uint8Array) => [...bytes].map((x) => `\\${x.toString(16).padStart(2, '0')}`).join('');
  const bAt = 1024 + A.byteLength;
  const args =
    fn === 'notify'
      ? `(i32.const 1024) (i32.const ${A.byteLength}) (i32.const ${bAt}) (i32.const ${B.byteLength})`
      : `(i32.const 1024) (i32.const ${A.byteLength}) (i32.const ${OUT_AT}) (i32.const ${outCap})`;
  return watToWasm(`(module
    (import "conductor" "${fn}" (func $f (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 64)
    (data (i32.const 1024) "${data(A)}")
    (data (i32.const ${bAt}) "${data(B)}")
    (func (export "alloc") (param i32) (result i32) (i32.const 65536))
    (func (export "execute") (param i32 i32) (result i32) (call $f ${args})))`);
}

/**
 * A module whose `execute` passes its input bytes straight to exec/http_request (as the request) or midi_send;
 * the call's code is the host function's return value.
 */
async function passthrough(fn: 'exec' | 'http_request' | 'midi_send'): Promise<Uint8Array> {
  const midi = fn === 'midi_send';
  return watToWasm(`(module
    (import "conductor" "${fn}" (func $f (param i32 i32${midi ? '' : ' i32 i32'}) (result i32)))
    (memory (export "memory") 64)
    (func (export "alloc") (param i32) (result i32) (i32.const 65536))
    (func (export "execute") (param i32 i32) (result i32)
      (call $f (local.get 0) (local.get 1)${midi ? '' : ` (i32.const ${OUT_AT}) (i32.const 65536)`})))`);
}

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

describe('conductor.midi_send (midi)', () => {
  it('forwards a note-on as a host event', async () => {
    const p = await load(caps, ['midi']);
    const r = p.call({ action: 'midi', note: 64, velocity: 90, channel: 2 });
    expect(r).toMatchObject({ ok: true, code: 0, log: ['midi: rc=0'] });
    expect(p.events).toEqual([{ kind: 'midi', bytes: [0x92, 64, 90], port: null }]);
  });

  it('accepts SysEx and several complete messages; refuses invalid MIDI without an event', async () => {
    const p = await load(caps, ['midi']);
    expect(p.call({ action: 'midi-raw', hex: 'F07E7F0601F7' }).code).toBe(0);
    expect(p.call({ action: 'midi-raw', hex: '903C64803C00C005F8' }).code).toBe(0);
    for (const hex of ['3C64', '903C', '90FF64', 'F4', 'F07E7F', 'F07E90F7', '']) {
      const r = p.call({ action: 'midi-raw', hex });
      expect(r.log, hex).toContain(`midi-raw: rc=${HOST_ERROR.invalid}`);
      expect(r.log.join('\n')).toMatch(/\[warn\] conductor\.midi_send: not valid MIDI: .* \(returned -1\)/);
    }
    expect(p.events.map((e) => (e.kind === 'midi' ? e.bytes : []))).toEqual([
      [0xf0, 0x7e, 0x7f, 0x06, 0x01, 0xf7],
      [0x90, 0x3c, 0x64, 0x80, 0x3c, 0x00, 0xc0, 0x05, 0xf8],
    ]);
  });

  it('refuses a message over 64 KiB', async () => {
    // The input text arrives as bytes as it is: ASCII only (size is checked before content).
    const p = await load(await passthrough('midi_send'), ['midi']);
    expect(p.runtime.execute('x'.repeat(HOST_LIMITS.midiMessageBytes + 1)).code).toBe(HOST_ERROR.tooLarge);
    expect(p.runtime.execute('x'.repeat(HOST_LIMITS.midiMessageBytes)).code).toBe(HOST_ERROR.invalid);
    expect(p.events).toEqual([]);
  });

  it('limits host events per call', async () => {
    const wasm = await watToWasm(`(module
      (import "conductor" "midi_send" (func $send (param i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) "\\f8")
      (func (export "alloc") (param i32) (result i32) (i32.const 1024))
      (func (export "execute") (param i32 i32) (result i32) (local $i i32) (local $rc i32)
        (loop $l
          (local.set $rc (call $send (i32.const 16) (i32.const 1)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.and (i32.eqz (local.get $rc)) (i32.lt_u (local.get $i) (i32.const 100000)))))
        (local.get $rc)))`);
    const p = await load(wasm, ['midi']);
    expect(p.call({}).code).toBe(HOST_ERROR.limit);
    expect(p.events).toHaveLength(HOST_LIMITS.eventsPerCall);
    expect(p.call({}).code).toBe(HOST_ERROR.limit); // the budget is per call: a second call gets it afresh
    expect(p.events).toHaveLength(2 * HOST_LIMITS.eventsPerCall);
  });

  it('returns UNAVAILABLE when nothing receives host events', async () => {
    const p = await load(caps, ['midi'], { noEvents: true });
    const r = p.call({ action: 'midi' });
    expect(r.log).toContain(`midi: rc=${HOST_ERROR.unavailable}`);
  });
});

describe('conductor.notify (systemcontrol)', () => {
  it('forwards a notification as a host event', async () => {
    const p = await load(caps, ['systemcontrol']);
    expect(p.call({ action: 'notify', title: 'Hello ✓', body: 'from caps' })).toMatchObject({ ok: true, code: 0, log: ['notify: rc=0'] });
    expect(p.events).toEqual([{ kind: 'notify', title: 'Hello ✓', body: 'from caps' }]);
  });

  it('checks title and body', async () => {
    const cases: Array<[Uint8Array | string, Uint8Array | string, number]> = [
      ['', 'body', HOST_ERROR.invalid],
      ['x'.repeat(HOST_LIMITS.notifyTitleBytes + 1), '', HOST_ERROR.tooLarge],
      ['t', 'y'.repeat(HOST_LIMITS.notifyBodyBytes + 1), HOST_ERROR.tooLarge],
      [new Uint8Array([0xc3]), 'b', HOST_ERROR.invalid],
    ];
    for (const [title, body, code] of cases) {
      const p = await load(await probe('notify', title, body), ['systemcontrol']);
      expect(p.call({}).code).toBe(code);
      expect(p.events).toEqual([]);
    }
  });
});

describe('conductor.http_request (network)', () => {
  let server: TestHttpServer;
  let origin: string;
  let port: number;
  const stats = (): Promise<ServerStats> => server.stats();

  beforeAll(async () => {
    server = await startTestHttpServer(HOST_LIMITS.httpBodyBytes + 300_000);
    ({ port, origin } = server);
  });
  afterAll(() => server.close());

  it('makes the request for real and returns status, headers and body', async () => {
    const p = await load(net, ['network']);
    const r = p.call({ action: 'request', request: { method: 'GET', url: `${origin}/hello` } });
    expect(r).toMatchObject({ ok: true, code: 0 });
    const res = response(r, 'http');
    expect(res).toMatchObject({ status: 200, body: 'hello from the server' });
    expect(res.headers).toMatchObject({ 'content-type': 'text/plain', 'x-test': 'yes' });
    expect((await stats()).seen.at(-1)).toMatchObject({ method: 'GET', url: '/hello' });
  });

  it('sends method, headers and body', async () => {
    const p = await load(net, ['network']);
    const r = p.call({ action: 'request', request: { method: 'post', url: `${origin}/echo`, headers: { 'X-Plugin': 'net' }, body: '{"n":1}' } });
    expect(response(r, 'http')).toMatchObject({ status: 201, body: '{"n":1}' });
    const last = (await stats()).seen.at(-1);
    expect(last).toMatchObject({ method: 'POST', url: '/echo', body: '{"n":1}' });
    expect(last?.headers['x-plugin']).toBe('net');
  });

  it('decodes a gzip-encoded body', async () => {
    const p = await load(net, ['network']);
    const res = response(p.call({ action: 'request', request: { url: `${origin}/gzip`, headers: { 'accept-encoding': 'gzip' } } }), 'http');
    expect(res).toMatchObject({ status: 200, body: 'unzipped ✓', headers: { 'content-encoding': 'gzip' } });
  });

  it("refuses a host outside the metadata's allowed_hosts without connecting", async () => {
    const p = await load(net, ['network']); // metadata: allowed_hosts ["127.0.0.1"]
    const before = await stats();
    const r = p.call({ action: 'request', request: { url: `http://localhost:${port}/hello` } });
    expect(r).toMatchObject({ ok: false, code: 2 });
    expect(r.log).toContain(`http: rc=${HOST_ERROR.denied}`);
    expect(r.log.join('\n')).toContain(`conductor.http_request: host "localhost:${port}" is not in allowed_hosts (127.0.0.1)`);
    const after = await stats();
    expect([after.connections, after.seen.length]).toEqual([before.connections, before.seen.length]);
  });

  it('RuntimeConfig.allowedHosts overrides the metadata (empty = public hosts only)', async () => {
    const before = await stats();
    const narrow = await load(net, ['network'], { allowedHosts: ['api.example.com', `127.0.0.1:${port + 1}`] });
    expect(narrow.call({ action: 'request', request: { url: `${origin}/hello` } }).log).toContain(`http: rc=${HOST_ERROR.denied}`);
    const none = await load(net, ['network'], { allowedHosts: [] });
    expect(none.call({ action: 'request', request: { url: `${origin}/hello` } }).log).toContain(`http: rc=${HOST_ERROR.denied}`);
    expect((await stats()).connections).toBe(before.connections);
    const byPort = await load(net, ['network'], { allowedHosts: [`LOCALHOST:${port}`] });
    expect(response(byPort.call({ action: 'request', request: { url: `http://localhost:${port}/hello` } }), 'http').status).toBe(200);
    expect((await stats()).seen.length).toBe(before.seen.length + 1);
  });

  it('with no allowed_hosts, refuses loopback, private, link-local and unspecified addresses without connecting', async () => {
    const urls = [
      [`${origin}/hello`, `127.0.0.1 is a loopback address (this computer); name it in allowed_hosts to allow it`],
      [`http://localhost:${port}/hello`, `localhost is a loopback address (this computer); name "localhost" in allowed_hosts to allow it`],
      [`http://[::1]:${port}/hello`, '[::1] is a loopback address'],
      [`http://[::ffff:127.0.0.1]:${port}/hello`, '[::ffff:7f00:1] is a loopback address'],
      [`http://[64:ff9b::127.0.0.1]:${port}/hello`, '[64:ff9b::7f00:1] is a loopback address'],
      [`http://2130706433:${port}/hello`, '127.0.0.1 is a loopback address'], // the URL parser's decimal IPv4 form
      [`http://0.0.0.0:${port}/hello`, '0.0.0.0 is an unspecified address'],
      ['http://10.1.2.3/', '10.1.2.3 is a private address; name it in allowed_hosts to allow it'],
      ['http://192.168.1.1/', '192.168.1.1 is a private address; name it in allowed_hosts to allow it'],
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
      ['http://[fd00::1]/', '[fd00::1] is a private address'],
      ['http://[fe80::1]/', '[fe80::1] is a link-local address'],
    ];
    const before = await stats();
    for (const allowedHosts of [[], ['*']]) {
      const p = await load(net, ['network'], { allowedHosts });
      for (const [url, message] of urls) {
        const r = p.call({ action: 'request', request: { url } });
        expect(r.log, url).toContain(`http: rc=${HOST_ERROR.denied}`);
        expect(r.log.join('\n'), url).toContain(`conductor.http_request: ${message}`);
      }
    }
    const after = await stats();
    expect([after.connections, after.seen.length]).toEqual([before.connections, before.seen.length]);
  });

  it('an allowed_hosts entry naming the address (and port) allows exactly it', async () => {
    const before = await stats();
    const exact = await load(net, ['network'], { allowedHosts: [`127.0.0.1:${port}`] });
    expect(response(exact.call({ action: 'request', request: { url: `${origin}/hello` } }), 'http').status).toBe(200);
    for (const url of [`http://127.0.0.1:${port + 1}/`, `http://localhost:${port}/hello`, `http://[::ffff:127.0.0.1]:${port}/hello`, `http://127.0.0.2:${port}/`]) {
      expect(exact.call({ action: 'request', request: { url } }).log, url).toContain(`http: rc=${HOST_ERROR.denied}`);
    }
    // A wildcard next to the entry unlocks public hosts only, not other local addresses.
    const withStar = await load(net, ['network'], { allowedHosts: ['*', `127.0.0.1:${port}`] });
    expect(response(withStar.call({ action: 'request', request: { url: `${origin}/hello` } }), 'http').status).toBe(200);
    expect(withStar.call({ action: 'request', request: { url: `http://localhost:${port}/hello` } }).log).toContain(`http: rc=${HOST_ERROR.denied}`);
    const after = await stats();
    expect([after.connections, after.seen.length]).toEqual([before.connections + 2, before.seen.length + 2]);
  });

  it('without the network grant the call fails with errorKind capability and nothing connects', async () => {
    const before = await stats();
    const p = await load(net, ['filesystem', 'midi', 'subprocess', 'systemcontrol']);
    const r = p.call({ action: 'request', request: { url: `${origin}/hello` } });
    expect(r).toMatchObject({ ok: false, errorKind: 'capability', error: 'conductor.http_request needs the "network" capability, which is not granted' });
    const after = await stats();
    expect([after.connections, after.seen.length]).toEqual([before.connections, before.seen.length]);
  });

  it('allows only http: and https: URLs', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://127.0.0.1/x', 'data:text/plain,hi']) {
      const p = await load(await probe('http_request', JSON.stringify({ method: 'GET', url })), ['network'], { allowedHosts: [] });
      const r = p.call({});
      expect(r.code, url).toBe(HOST_ERROR.denied);
      expect(r.log.join('\n')).toMatch(/only http: and https: URLs are allowed/);
    }
  });

  it('does not follow redirects', async () => {
    const p = await load(net, ['network']);
    const count = (await stats()).seen.length;
    const res = response(p.call({ action: 'request', request: { url: `${origin}/redirect` } }), 'http');
    expect(res).toMatchObject({ status: 302, headers: { location: `http://localhost:${port}/hello` } });
    expect((await stats()).seen.slice(count).map((s) => s.url)).toEqual(['/redirect']);
  });

  it('caps the response body at 1 MiB', async () => {
    const p = await load(net, ['network'], { limits: { logBytesPerCall: 8 << 20 } });
    const res = response(p.call({ action: 'request', request: { url: `${origin}/big` }, out_cap: 4 << 20 }), 'http');
    expect(res).toMatchObject({ status: 200, truncated: true });
    expect(String(res.body)).toBe('z'.repeat(HOST_LIMITS.httpBodyBytes));
  });

  it('returns -(bytes needed) when the out buffer is too small', async () => {
    const p = await load(net, ['network']);
    const small = p.call({ action: 'request', request: { url: `${origin}/hello` }, out_cap: 8, retry: false });
    expect(small.code).toBe(3);
    const need = Number(/^http: need (\d+) bytes$/.exec(small.log[0] ?? '')?.[1]);
    expect(need).toBeGreaterThan(16);
    const retried = p.call({ action: 'request', request: { url: `${origin}/hello` }, out_cap: need });
    expect(retried).toMatchObject({ ok: true, code: 0 });
    expect(retried.log.some((l) => l.startsWith('http: need'))).toBe(false);
    expect(Buffer.byteLength(JSON.stringify(response(retried, 'http')))).toBe(need);
  });

  it("gives up at the call's deadline with a timeout result", async () => {
    const p = await load(net, ['network'], { limits: { callTimeoutMs: 5000 } });
    const r = p.call({ action: 'request', request: { url: `${origin}/hang` } });
    expect(r).toMatchObject({ ok: true, code: 0 });
    const res = response(r, 'http');
    expect(res).toMatchObject({ status: null, body: '' });
    expect(res.error).toMatch(/^timed out after \d+ ms \(the call's deadline\)$/);
    // The plugin keeps working afterwards.
    expect(response(p.call({ action: 'request', request: { url: `${origin}/hello` } }), 'http').status).toBe(200);
  });

  it('reports a refused connection as an error result', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const p = await load(net, ['network'], { allowedHosts: [`127.0.0.1:${deadPort}`] });
    const res = response(p.call({ action: 'request', request: { url: `http://127.0.0.1:${deadPort}/` } }), 'http');
    expect(res).toMatchObject({ status: null, headers: {}, body: '' });
    expect(res.error).toContain('ECONNREFUSED');
  });

  it('checks the request', async () => {
    const cases: Array<[unknown, number]> = [
      [{ method: 'CONNECT', url: `${origin}/` }, HOST_ERROR.invalid],
      [{ method: 'GET', url: `${origin}/`, body: 'x' }, HOST_ERROR.invalid],
      [{ url: 'not a url' }, HOST_ERROR.invalid],
      [{ url: `${origin}/`, headers: { 'bad name': 'x' } }, HOST_ERROR.invalid],
      [{ url: `${origin}/`, headers: { 'x-a': 'a\r\nx-b: b' } }, HOST_ERROR.invalid],
      [{ url: `${origin}/`, timeout: 5 }, HOST_ERROR.invalid],
      [{ method: 'POST', url: `${origin}/`, body: 'b'.repeat(HOST_LIMITS.httpBodyBytes + 1) }, HOST_ERROR.tooLarge],
    ];
    const before = (await stats()).seen.length;
    const { runtime } = await load(await passthrough('http_request'), ['network'], { allowedHosts: [] });
    for (const [request, code] of [...cases, ['{"url":', HOST_ERROR.invalid] as const]) {
      const text = typeof request === 'string' ? request : JSON.stringify(request);
      expect(runtime.execute(text).code, text.slice(0, 80)).toBe(code);
    }
    expect((await stats()).seen.length).toBe(before);
  });

  it('takes allowed_hosts from the custom section when init() has no metadata, and fails closed on bad metadata', async () => {
    const section = (json: string) => {
      const name = 'conductor.plugin';
      const body = [name.length, ...Buffer.from(name), ...Buffer.from(json)];
      return new Uint8Array([0x00, ...leb(body.length), ...body]);
    };
    const plain = await probe('http_request', JSON.stringify({ url: `${origin}/hello` }));
    const withSection = (json: string) => new Uint8Array([...plain, ...section(json)]);
    const before = await stats();
    const denied = await load(withSection('{"name":"s","allowed_hosts":["example.com"]}'), ['network']);
    expect(denied.call({}).code).toBe(HOST_ERROR.denied);
    const broken = await load(withSection('{"name":"s","allowed_hosts":"127.0.0.1"}'), ['network']);
    const r = broken.call({});
    expect(r.code).toBe(HOST_ERROR.denied);
    expect(r.log.join('\n')).toContain('"allowed_hosts" must be an array of strings');
    expect((await stats()).seen.length).toBe(before.seen.length);
    const allowed = await load(withSection('{"name":"s","allowed_hosts":["127.0.0.1"]}'), ['network']);
    expect(allowed.call({}).code).toBeGreaterThan(16);
    expect((await stats()).seen.length).toBe(before.seen.length + 1);
  });
});

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
