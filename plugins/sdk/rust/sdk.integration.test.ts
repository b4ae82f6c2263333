// The Rust SDK (plugins/sdk/rust/conductor-plugin) end to end: the committed fixture plugins/fixtures/rust/sdk-tour.wasm
// in the real sandbox runtime, against a real HTTP server on 127.0.0.1 and real programs. Test only; never compiles Rust.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type CallResult, type Capability, type PluginHostEvent } from '../../../src-shared/plugin';
import { PluginRuntime } from '../../../src-main/plugins/sandbox/runtime';
import { startTestHttpServer, type TestHttpServer } from '../../../src-main/plugins/sandbox/test-support/http-test-server';

const TOUR = new Uint8Array(readFileSync(new URL('../../fixtures/rust/sdk-tour.wasm', import.meta.url)));
const ALL: Capability[] = ['network', 'subprocess', 'midi', 'systemcontrol'];

interface Tour {
  runtime: PluginRuntime;
  events: PluginHostEvent[];
  call: (input: Record<string, unknown>) => CallResult;
}

const runtimes: PluginRuntime[] = [];
afterEach(() => {
  for (const r of runtimes.splice(0)) r.shutdown();
});

async function load(grants: Capability[] = ALL, withEvents = true): Promise<Tour & { initMetadata: string | null }> {
  const events: PluginHostEvent[] = [];
  const { runtime, report } = await PluginRuntime.load(
    TOUR,
    { limits: DEFAULT_LIMITS, grants, dataDir: null },
    withEvents ? { hostEvents: (e) => events.push(e) } : {},
  );
  runtimes.push(runtime);
  return { runtime, events, initMetadata: report.initMetadata, call: (input) => runtime.execute(JSON.stringify(input)) };
}

/** The JSON the tour logged as "[info] <label> response: {...}". */
function logged(r: CallResult, label: 'http' | 'exec'): Record<string, unknown> {
  const prefix = `[info] ${label} response: `;
  const line = r.log.find((l) => l.startsWith(prefix));
  if (!line) throw new Error(`no ${label} response in ${JSON.stringify(r.log)}`);
  return JSON.parse(line.slice(prefix.length)) as Record<string, unknown>;
}

describe('Rust SDK: entry, metadata, input, logging', () => {
  it('init returns the metadata JSON; the exports are the ABI ones', async () => {
    const { initMetadata, runtime } = await load();
    const meta = JSON.parse(initMetadata ?? 'null') as Record<string, unknown>;
    expect(meta).toMatchObject({ name: 'sdk-tour', version: '0.1.0', capabilities: ALL, allowed_hosts: ['127.0.0.1'] });
    expect(runtime).toBeDefined();
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(TOUR)).map((e) => e.name);
    expect(exports).toEqual(expect.arrayContaining(['memory', 'execute', 'alloc', 'dealloc', 'init']));
  });

  it('logs at each level through conductor.log', async () => {
    const { call } = await load();
    expect(call({ action: 'levels' })).toMatchObject({
      ok: true,
      code: 0,
      log: ['[debug] debug line 0', '[info] info line 1', '[warn] warn line 2', '[error] error line 3', '[info] via log::log', '[warn] via log::warn'],
    });
  });

  it('reads every param type and context field', async () => {
    const { call } = await load();
    const r = call({
      action: 'params',
      s: 'hé "quoted"\n',
      i: 3,
      f: 1.5,
      b: true,
      u8: 200,
      obj: { a: [1, { b: null }] },
      list: [1, 'x'],
      parameters: { s: 'shadowed', only_nested: 1 },
      context: { trigger: 'Note', mode: 'Live', timestamp: 1732500000000, device: 'Pad', channel: 9, note: 36, velocity: 100, cc: 7, value: 64, extra: { k: 1 } },
    });
    expect(r).toMatchObject({ ok: true, code: 0 });
    expect(r.log).toEqual([
      '[info] action: "params"',
      '[info] s: Ok(Some("hé \\"quoted\\"\\n"))',
      '[info] i: Ok(Some(3))',
      '[info] f: Ok(Some(1.5))',
      '[info] b: Ok(Some(true))',
      '[info] u8: Ok(Some(200))',
      '[info] obj: {"a":[1,{"b":null}]}',
      '[info] list: [1,"x"]',
      '[info] missing: Ok(None)',
      '[info] default: fallback',
      '[info] require: Err(Missing { name: "missing" })',
      '[info] wrong type: param "s": expected an integer, got a string',
      '[info] context: trigger=Note mode=Live timestamp=1732500000000 device=Some("Pad") channel=Some(9) note=Some(36) velocity=Some(100) cc=Some(7) value=Some(64)',
      '[info] context extra: Some("{\\"k\\":1}")',
    ]);
  });

  it('a param of the wrong type is code 2 with the reason at error level', async () => {
    const { call } = await load();
    const r = call({ action: 'params', strict: 'x', u8: 300 });
    expect(r).toMatchObject({ ok: false, code: 2, errorKind: 'plugin-error' });
    expect(r.log).toContain('[info] u8: Err(WrongType { name: "u8", expected: "an integer from 0 to 255", found: "a number" })');
    expect(r.log.at(-1)).toBe('[error] param "strict": expected an integer, got a string');
  });

  it('unparseable input is code 2 with a logged reason, never a trap; the plugin keeps working', async () => {
    const { runtime } = await load();
    const cases: Array<[string, string]> = [
      ['not json', 'invalid input: not JSON'],
      ['', 'invalid input: not JSON'],
      ['[1,2]', 'invalid input: expected a JSON object, got an array'],
      ['{"action":5}', 'invalid input: "action" must be a string, got a number'],
      ['{"action":"levels","context":[]}', 'invalid input: "context" must be an object, got an array'],
    ];
    for (const [input, reason] of cases) {
      const r = runtime.execute(input);
      expect(r, input).toMatchObject({ ok: false, code: 2, errorKind: 'plugin-error' });
      expect(r.log.join('\n'), input).toContain(`[error] ${reason}`);
    }
    expect(runtime.execute('{"action":"levels"}')).toMatchObject({ ok: true, code: 0 });
  });

  it('returns a custom error code and logs its message at error level', async () => {
    const { call } = await load();
    expect(call({ action: 'fail' })).toMatchObject({ ok: false, code: 42, errorKind: 'plugin-error', log: ['[error] custom failure'] });
    expect(call({ action: 'fail', code: -7, message: 'négatif' })).toMatchObject({ code: -7, log: ['[error] négatif'] });
    expect(call({ action: 'fail', code: 0 })).toMatchObject({ code: 1 }); // 0 would mean success
    expect(call({ action: 'nope' })).toMatchObject({ ok: false, code: 1, log: ['[error] unknown action "nope"'] });
  });

  it('a panic fails the call (panic = "abort") with its message in the log; the next call works', async () => {
    const { call } = await load();
    const r = call({ action: 'panic', why: 'test' });
    expect(r).toMatchObject({ ok: false, code: null });
    expect(r.error).toContain('tour panic: test');
    expect(r.log.join('\n')).toContain("[stderr] thread '<unnamed>' panicked at 'tour panic: test'");
    expect(call({ action: 'levels' })).toMatchObject({ ok: true, code: 0 });
  });
});

describe('Rust SDK: http_request', () => {
  let server: TestHttpServer;
  beforeAll(async () => {
    server = await startTestHttpServer(1000);
  });
  afterAll(() => server.close());

  it('GET: status, headers and body round trip', async () => {
    const { call } = await load();
    const r = call({ action: 'http', url: `${server.origin}/hello` });
    expect(r).toMatchObject({ ok: true, code: 0 });
    const res = logged(r, 'http');
    expect(res).toMatchObject({ status: 200, body: 'hello from the server', truncated: false, error: null });
    expect(res.headers).toMatchObject({ 'content-type': 'text/plain', 'x-test': 'yes' });
    expect((await server.stats()).seen.at(-1)).toMatchObject({ method: 'GET', url: '/hello' });
  });

  it('POST sends method, headers and a body needing JSON escaping', async () => {
    const { call } = await load();
    const body = '{"n":"q\\"uote"}\n\t\u0001 ✓';
    const r = call({ action: 'http', method: 'POST', url: `${server.origin}/echo`, headers: { 'X-Plugin': 'tour "1"', 'content-type': 'application/json' }, body });
    expect(logged(r, 'http')).toMatchObject({ status: 201, body });
    const last = (await server.stats()).seen.at(-1);
    expect(last).toMatchObject({ method: 'POST', url: '/echo', body });
    expect(last?.headers).toMatchObject({ 'x-plugin': 'tour "1"', 'content-type': 'application/json' });
  });

  it('a host not in allowed_hosts is Denied without connecting; with `?` it becomes code 1', async () => {
    const { call } = await load();
    const before = await server.stats();
    const url = `http://localhost:${server.port}/hello`;
    const r = call({ action: 'http', url });
    expect(r).toMatchObject({ ok: true, code: 0 });
    expect(r.log).toContain('[warn] http error: Denied (code -3)');
    expect(r.log.join('\n')).toContain(`conductor.http_request: host "localhost:${server.port}" is not in allowed_hosts (127.0.0.1)`);
    const propagated = call({ action: 'http', url, propagate: true });
    expect(propagated).toMatchObject({ ok: false, code: 1 });
    expect(propagated.log.at(-1)).toBe('[error] host call failed: denied by policy (-3)');
    expect((await server.stats()).connections).toBe(before.connections);
  });

  it('a GET whose response does not fit is retried once with the needed size; a POST is not', async () => {
    const { call } = await load();
    const n0 = (await server.stats()).seen.length;
    const get = call({ action: 'http', url: `${server.origin}/hello`, capacity: 16 });
    expect(logged(get, 'http')).toMatchObject({ status: 200, body: 'hello from the server' });
    expect((await server.stats()).seen.length).toBe(n0 + 2);
    const post = call({ action: 'http', method: 'POST', url: `${server.origin}/echo`, body: 'x'.repeat(100), capacity: 16 });
    expect(post).toMatchObject({ ok: true, code: 0 });
    expect(post.log.join('\n')).toMatch(/\[warn\] http error: BufferTooSmall \{ needed: \d+ \} \(code -\d+\)/);
    expect((await server.stats()).seen.length).toBe(n0 + 3);
  });

  it('a failure without a response has status null and an error', async () => {
    const { call } = await load();
    const r = call({ action: 'http', url: 'http://127.0.0.1:1/' });
    const res = logged(r, 'http');
    expect(res).toMatchObject({ status: null, headers: {}, body: '' });
    expect(String(res.error)).toContain('ECONNREFUSED');
  });

  it('without the network grant the call fails with errorKind capability', async () => {
    const { call } = await load(['midi']);
    expect(call({ action: 'http', url: `${server.origin}/hello` })).toMatchObject({ ok: false, errorKind: 'capability' });
  });
});

describe('Rust SDK: exec', () => {
  it('runs a program: status, stdout, stderr, stdin', async () => {
    const { call } = await load();
    expect(logged(call({ action: 'exec', program: 'echo', args: ['hi', '$(id)'] }), 'exec')).toEqual({
      status: 0,
      signal: null,
      stdout: 'hi $(id)\n',
      stderr: '',
      truncated: false,
      error: null,
    });
    const sh = logged(call({ action: 'exec', program: 'sh', args: ['-c', 'cat; echo " err" >&2; exit 3'], stdin: 'in "put"\n✓', capacity: 4096 }), 'exec');
    expect(sh).toMatchObject({ status: 3, stdout: 'in "put"\n✓', stderr: ' err\n', error: null });
  });

  it('a response that does not fit is BufferTooSmall and the program is not run again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conductor-rust-sdk-'));
    try {
      const counter = join(dir, 'runs');
      const { call } = await load();
      const r = call({ action: 'exec', program: 'sh', args: ['-c', 'echo run >> "$1"; echo a line longer than sixteen bytes', 'sh', counter], capacity: 16 });
      expect(r.log.join('\n')).toMatch(/\[warn\] exec error: BufferTooSmall \{ needed: \d+ \} \(code -\d+\)/);
      expect(readFileSync(counter, 'utf8')).toBe('run\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing program is an error in the response', async () => {
    const { call } = await load();
    const res = logged(call({ action: 'exec', program: 'no-such-program-conductor-test' }), 'exec');
    expect(res).toMatchObject({ status: null });
    expect(String(res.error)).toContain('program not found');
  });
});

describe('Rust SDK: midi_send and notify', () => {
  it('note_on, control_change and note_off send the right bytes', async () => {
    const { call, events } = await load();
    expect(call({ action: 'midi', channel: 2, note: 64, velocity: 90, cc: 7, value: 100 })).toMatchObject({
      code: 0,
      log: ['[info] note_on: Ok(())', '[info] control_change: Ok(())', '[info] note_off: Ok(())'],
    });
    expect(events).toEqual([
      { kind: 'midi', bytes: [0x92, 64, 90], port: null },
      { kind: 'midi', bytes: [0xb2, 7, 100], port: null },
      { kind: 'midi', bytes: [0x82, 64, 0], port: null },
    ]);
  });

  it('falls back to the trigger context; raw bytes go as they are; a bad channel sends nothing', async () => {
    const { call, events } = await load();
    call({ action: 'midi', context: { trigger: 'Note', mode: 'Default', timestamp: 0, channel: 9, note: 36, velocity: 127 } });
    expect(events.map((e) => (e.kind === 'midi' ? e.bytes : []))).toEqual([[0x99, 36, 127], [0xb9, 1, 64], [0x89, 36, 0]]);
    events.length = 0;
    expect(call({ action: 'midi', bytes: [0xf0, 0x7e, 0x7f, 0x06, 0x01, 0xf7] }).log).toEqual(['[info] midi_send: Ok(())']);
    expect(events).toEqual([{ kind: 'midi', bytes: [0xf0, 0x7e, 0x7f, 0x06, 0x01, 0xf7], port: null }]);
    events.length = 0;
    expect(call({ action: 'midi', channel: 16 }).log).toEqual(['[info] note_on: Err(Invalid)', '[info] control_change: Err(Invalid)', '[info] note_off: Err(Invalid)']);
    expect(events).toEqual([]);
  });

  it('notify sends title and body; a missing title is code 2', async () => {
    const { call, events } = await load();
    expect(call({ action: 'notify', title: 'Hello ✓', body: 'from "Rust"\n' })).toMatchObject({ code: 0, log: ['[info] notify: ok'] });
    expect(events).toEqual([{ kind: 'notify', title: 'Hello ✓', body: 'from "Rust"\n' }]);
    expect(call({ action: 'notify' })).toMatchObject({ code: 2, log: ['[error] param "title" is missing'] });
  });

  it('an empty title is refused by the host: Invalid through `?` is code 1', async () => {
    const { call, events } = await load();
    const r = call({ action: 'notify', title: '' });
    expect(r).toMatchObject({ ok: false, code: 1 });
    expect(r.log.at(-1)).toBe('[error] host call failed: invalid request (-1)');
    expect(events).toEqual([]);
  });
});

describe('Rust SDK: every host error variant', () => {
  it('Invalid, TooLarge, Denied, BufferTooSmall and Limit', async () => {
    const { call, events } = await load();
    const r = call({ action: 'host-errors' });
    expect(r).toMatchObject({ ok: true, code: 0 });
    const info = r.log.filter((l) => l.startsWith('[info]'));
    expect(info).toEqual([
      '[info] invalid: Invalid code=-1',
      '[info] too-large: TooLarge code=-2',
      '[info] denied: Denied code=-3',
      expect.stringMatching(/^\[info\] buffer-too-small: BufferTooSmall \{ needed: (\d+) \} code=-\1$/),
      '[info] unavailable: Ok(())',
      '[info] sends before the limit: 4095',
      '[info] limit: Limit code=-4',
    ]);
    expect(events).toHaveLength(4096);
  });

  it('Unavailable when nothing receives host events', async () => {
    const { call } = await load(ALL, false);
    const info = call({ action: 'host-errors' }).log.filter((l) => l.startsWith('[info]'));
    expect(info).toContain('[info] unavailable: Unavailable code=-5');
    expect(info).toContain('[info] limit: Unavailable code=-5');
  });
});
