// The C SDK's plugin layer (conductor_plugin.h: CONDUCTOR_PLUGIN, typed input and params, http/exec wrappers, MIDI
// helpers) through the fixture c/sdk-tour.c in a real PluginRuntime, real HTTP server and real programs. Never mocks the host.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cFixture } from '../../fixtures';
import { DEFAULT_LIMITS, type CallResult, type Capability, type PluginHostEvent } from '../../../src-shared/plugin';
import { PluginRuntime } from '../../../src-main/plugins/sandbox/runtime';
import { startTestHttpServer, type TestHttpServer } from '../../../src-main/plugins/sandbox/test-support/http-test-server';

const ALL: Capability[] = ['network', 'subprocess', 'midi', 'systemcontrol'];
const tour = new Uint8Array(readFileSync(cFixture('sdk-tour')));

interface Tour {
  runtime: PluginRuntime;
  events: PluginHostEvent[];
  call: (params: Record<string, unknown>) => CallResult;
}

const runtimes: PluginRuntime[] = [];
afterEach(() => {
  for (const r of runtimes.splice(0)) r.shutdown();
});

async function load(grants: Capability[] = ALL, withEvents = true): Promise<Tour> {
  const events: PluginHostEvent[] = [];
  const { runtime } = await PluginRuntime.load(
    tour,
    { limits: DEFAULT_LIMITS, grants, dataDir: null },
    withEvents ? { hostEvents: (e) => events.push(e) } : {},
  );
  runtimes.push(runtime);
  return { runtime, events, call: (params) => runtime.execute(JSON.stringify(params)) };
}

/** The one log line starting with `prefix` (without the level tag). */
function line(r: CallResult, prefix: string): string {
  const found = r.log.map((l) => l.replace(/^\[(debug|info|warn|error)\] /, '')).filter((l) => l.startsWith(prefix));
  expect(found, `${prefix} in ${JSON.stringify(r.log)}`).toHaveLength(1);
  return found[0] as string;
}

describe('C SDK plugin layer (fixture c/sdk-tour.c)', () => {
  let server: TestHttpServer;
  let origin: string;
  let dir: string;

  beforeAll(async () => {
    server = await startTestHttpServer(1000);
    origin = server.origin;
    dir = mkdtempSync(join(tmpdir(), 'conductor-c-sdk-'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('CONDUCTOR_PLUGIN exports init (metadata), execute, alloc and dealloc', async () => {
    const { runtime, report } = await PluginRuntime.load(tour, { limits: DEFAULT_LIMITS, grants: [], dataDir: null });
    runtimes.push(runtime);
    expect(report.abi).toMatchObject({ hasAlloc: true, hasDealloc: true, initForm: 'metadata' });
    expect(JSON.parse(String(report.initMetadata))).toMatchObject({ name: 'sdk-tour', capabilities: ALL, allowed_hosts: ['127.0.0.1'] });
    expect(runtime.execute(JSON.stringify({ action: 'log' })).code).toBe(0);
  });

  it('logs at every level, and printf output arrives in order', async () => {
    const { call } = await load([]);
    const r = call({ action: 'log' });
    expect(r).toMatchObject({ ok: true, code: 0 });
    expect(r.log).toEqual(['[debug] tour debug', '[info] tour info', '[warn] tour warn 2', '[error] tour error 3', 'tour printf']);
  });

  it('parses every context field, other context keys as raw JSON, and typed params with their statuses', async () => {
    const { runtime } = await load([]);
    const input = {
      action: 'inspect',
      str: 'h\u00e9llo "q"\n',
      short: 'ab\u00e9cd', // 4-byte buffer: "ab" + a cut 2-byte character -> "ab"
      int: 5.0,
      num: 1.5e2,
      flag: true,
      obj: { a: [1, 2] },
      list: ['x', { y: 1 }],
      absent: null,
      parameters: { str: 'ignored' },
      context: { trigger: 'Note', mode: 'Play', device: 'pad-1', timestamp: 1732500000000, channel: 2, note: 36, velocity: 100, cc: 7, value: 64, pressure: 12 },
    };
    const r = runtime.execute(JSON.stringify(input));
    expect(r).toMatchObject({ ok: true, code: 0 });
    expect(line(r, 'action=')).toBe('action=inspect');
    expect(line(r, 'context:')).toBe('context: trigger=Note mode=Play device=pad-1 timestamp=1732500000000 channel=2 note=36 velocity=100 cc=7 value=64');
    expect(line(r, 'context.pressure=')).toBe('context.pressure=12');
    expect(line(r, 'str=')).toBe('str=0:h\u00e9llo "q"\n');
    expect(line(r, 'short=')).toBe('short=3:ab'); // TRUNCATED, cut at a character boundary
    expect(line(r, 'int=')).toBe('int=0:5');
    expect(line(r, 'num=')).toBe('num=0:150');
    expect(line(r, 'flag=')).toBe('flag=0:true');
    expect(line(r, 'absent=')).toBe('absent=1:fallback'); // null counts as missing
    expect(line(r, 'obj=')).toBe('obj=3:{"a":[1,2]}');
    expect(line(r, 'list[1]=')).toBe('list[1]={"y":1}');
    expect(line(r, 'param action present=')).toBe('param action present=0');
  });

  it('gives defaults for missing and wrongly typed params; an absent context is empty', async () => {
    const { runtime } = await load([]);
    const r = runtime.execute(JSON.stringify({ action: 'inspect', str: 3, int: 2.5, num: 'y', flag: 1 }));
    expect(r).toMatchObject({ ok: true, code: 0 });
    expect(line(r, 'context:')).toBe('context: trigger= mode= device=- timestamp=0 channel=- note=- velocity=- cc=- value=-');
    expect(line(r, 'str=')).toBe('str=2:dflt');
    expect(line(r, 'short=')).toBe('short=1:');
    expect(line(r, 'int=')).toBe('int=2:-7');
    expect(line(r, 'num=')).toBe('num=2:0.25');
    expect(line(r, 'flag=')).toBe('flag=2:false');
    expect(line(r, 'obj=')).toBe('obj=missing');
  });

  it('http: a GET returns status, body and headers (looked up case-insensitively)', async () => {
    const { call } = await load();
    const r = call({ action: 'http', url: `${origin}/hello` });
    expect(r).toMatchObject({ ok: true, code: 0 });
    expect(line(r, 'http:')).toMatch(/^http: status=200 body=hello from the server x-test=yes headers=\d+ truncated=0 error=-$/);
    expect(r.log).toContain('[debug] header content-type: text/plain');
    expect((await server.stats()).seen.at(-1)).toMatchObject({ method: 'GET', url: '/hello' });
  });

  it('http: sends method, headers and a body with characters that need JSON escaping', async () => {
    const { call } = await load();
    const body = 'quote " backslash \\ newline \n tab \t ctrl \u0001 unicode \u00e9\u{1F3B9}';
    const r = call({ action: 'http', method: 'POST', url: `${origin}/echo`, body, header_name: 'X-Plugin', header_value: 'tour "1"' });
    expect(r).toMatchObject({ ok: true, code: 0 });
    expect(line(r, 'http:')).toContain(`http: status=201 body=${body} x-test=-`);
    const seen = (await server.stats()).seen.at(-1);
    expect(seen).toMatchObject({ method: 'POST', url: '/echo', body });
    expect(seen?.headers['x-plugin']).toBe('tour "1"');
  });

  it('http: a 404 and a refused connection are results, not errors', async () => {
    const { call } = await load();
    expect(line(call({ action: 'http', url: `${origin}/nothing` }), 'http:')).toMatch(/^http: status=404 body= /);
    const r = call({ action: 'http', url: 'http://127.0.0.1:1/' });
    expect(r).toMatchObject({ ok: true, code: 0 });
    expect(line(r, 'http:')).toMatch(/^http: status=none body= x-test=- headers=0 truncated=0 error=connect ECONNREFUSED 127\.0\.0\.1:1$/);
  });

  it('http: a host outside allowed_hosts is Denied (-3) without connecting', async () => {
    const { call } = await load();
    const before = await server.stats();
    const r = call({ action: 'http', url: `http://localhost:${server.port}/hello` });
    expect(r).toMatchObject({ ok: false, code: 10, errorKind: 'plugin-error' });
    expect(line(r, 'http failed:')).toBe('http failed: rc=-3 (denied) needed=0');
    expect(r.log.join('\n')).toContain('is not in allowed_hosts (127.0.0.1)');
    expect((await server.stats()).connections).toBe(before.connections);
  });

  it('http: BufferTooSmall is retried once for GET, never for POST', async () => {
    const { call } = await load();
    const before = (await server.stats()).seen.length;
    const get = call({ action: 'http', url: `${origin}/hello`, capacity: 16 });
    expect(get).toMatchObject({ ok: true, code: 0 });
    expect(line(get, 'http:')).toContain('status=200 body=hello from the server');
    expect((await server.stats()).seen.length).toBe(before + 2);

    const post = call({ action: 'http', method: 'POST', url: `${origin}/echo`, body: 'once', capacity: 16 });
    expect(post).toMatchObject({ ok: false, code: 10 });
    const needed = Number(/^http failed: rc=-16 \(buffer too small\) needed=(\d+)$/.exec(line(post, 'http failed:'))?.[1]);
    expect(needed).toBeGreaterThan(16);
    expect((await server.stats()).seen.length).toBe(before + 3);
  });

  it('exec: status, stdout, stderr and stdin, escaped both ways', async () => {
    const { call } = await load();
    const r = call({ action: 'exec', program: 'sh', args: ['-c', 'printf "%s|" "$0" "$1"; echo err >&2; exit 3', 'a "b"', 'c\\d'] });
    expect(r).toMatchObject({ ok: true, code: 0 });
    expect(line(r, 'exec:')).toBe('exec: status=3 signal=- stdout="a \\"b\\"|c\\\\d|" stderr="err\\n" truncated=0 error=-');
    const cat = call({ action: 'exec', program: 'cat', stdin: 'line 1\nline "2"\u0001' });
    expect(line(cat, 'exec:')).toBe('exec: status=0 signal=- stdout="line 1\\nline \\"2\\"\\u0001" stderr="" truncated=0 error=-');
    const missing = call({ action: 'exec', program: 'conductor-no-such-program' });
    expect(line(missing, 'exec:')).toMatch(/^exec: status=none signal=- stdout="" stderr="" truncated=0 error=program not found: conductor-no-such-program/);
  });

  it('exec: BufferTooSmall is returned with the size needed and the program is NOT run again', async () => {
    const { call } = await load();
    const counter = join(dir, 'runs.txt');
    const r = call({ action: 'exec', program: 'sh', args: ['-c', `echo run >> '${counter}'; echo hello`], capacity: 16 });
    expect(r).toMatchObject({ ok: false, code: 11 });
    const needed = Number(/^exec failed: rc=-16 \(buffer too small\) needed=(\d+)$/.exec(line(r, 'exec failed:'))?.[1]);
    expect(needed).toBeGreaterThan(16);
    expect(readFileSync(counter, 'utf8')).toBe('run\n');
  });

  it('midi: note on, control change and note off send the right bytes; out-of-range values never reach the host', async () => {
    const { call, events } = await load();
    const r = call({ action: 'midi', channel: 3, note: 64, velocity: 90, cc: 1, value: 127 });
    expect(r).toMatchObject({ ok: true, code: 0 });
    expect(line(r, 'midi:')).toBe('midi: on=0 cc=0 off=0');
    expect(events).toEqual([
      { kind: 'midi', bytes: [0x93, 64, 90], port: null },
      { kind: 'midi', bytes: [0xb3, 1, 127], port: null },
      { kind: 'midi', bytes: [0x83, 64, 0], port: null },
    ]);
    events.length = 0;
    const bad = call({ action: 'midi', channel: 16, note: 200 });
    expect(bad).toMatchObject({ ok: false, code: 12 });
    expect(line(bad, 'midi failed:')).toBe('midi failed: -1 (invalid)');
    expect(events).toEqual([]);
  });

  it('notify: sends title and body', async () => {
    const { call, events } = await load();
    expect(call({ action: 'notify', title: 'Scene "3"', body: 'saved\n\u00e9' })).toMatchObject({ ok: true, code: 0 });
    expect(events).toEqual([{ kind: 'notify', title: 'Scene "3"', body: 'saved\n\u00e9' }]);
  });

  it('host error codes: Invalid, TooLarge, Limit, and Unavailable without a receiver', async () => {
    const { call, events } = await load();
    const r = call({ action: 'errors' });
    expect(r).toMatchObject({ ok: true, code: 0 });
    expect(line(r, 'errors:')).toBe('errors: invalid=-1 too_large=-2 limit=-4 after=4096');
    expect(events).toHaveLength(4096);

    const headless = await load(ALL, false);
    const midi = headless.call({ action: 'midi' });
    expect(midi).toMatchObject({ ok: false, code: 12 });
    expect(line(midi, 'midi failed:')).toBe('midi failed: -5 (unavailable)');
    expect(line(headless.call({ action: 'notify', title: 't' }), 'notify failed:')).toBe('notify failed: rc=-5 (unavailable)');
  });

  it('conductor_error: a custom code with its message at error level; unknown actions return 1', async () => {
    const { call } = await load([]);
    const r = call({ action: 'fail', code: 77, reason: 'because' });
    expect(r).toMatchObject({ ok: false, code: 77, errorKind: 'plugin-error' });
    expect(r.log).toEqual(['[error] custom failure: because']);
    expect(call({ action: 'fail' })).toMatchObject({ code: 42, log: ['[error] custom failure: no reason'] });
    expect(call({ action: 'nope' })).toMatchObject({ code: 1, log: ['[error] unknown action "nope"'] });
    expect(call({})).toMatchObject({ code: 1, log: ['[error] unknown action ""'] });
  });

  it('input it cannot parse returns code 2 with the reason logged, never a trap; the plugin keeps working', async () => {
    const { runtime } = await load([]);
    const cases: Array<[string, string]> = [
      ['', 'the input is empty'],
      ['not json', 'the input is not valid JSON'],
      ['{"action":"log",}', 'the input is not valid JSON'],
      ['{"action":"log","n":01}', 'the input is not valid JSON'],
      ['{"action":"log","s":"\\x"}', 'the input is not valid JSON'],
      ['{"action":"log"} trailing', 'the input is not valid JSON'],
      ['[1,2]', 'the input is not a JSON object'],
      ['{"action":5}', '"action" must be a string'],
      [JSON.stringify({ action: 'a'.repeat(200) }), '"action" is longer than 127 bytes'],
      ['{"action":"log","context":[]}', '"context" must be an object'],
      ['{"a":'.repeat(40) + '1' + '}'.repeat(40), 'nested deeper than 32'],
    ];
    for (const [text, why] of cases) {
      const r = runtime.execute(text);
      expect(r, text.slice(0, 60)).toMatchObject({ ok: false, code: 2, errorKind: 'plugin-error' });
      expect(r.log.length, text.slice(0, 60)).toBe(1);
      expect(r.log[0], text.slice(0, 60)).toMatch(/^\[error\] invalid input: /);
      expect(r.log[0], text.slice(0, 60)).toContain(why);
    }
    expect(runtime.execute('{"action":"log"}')).toMatchObject({ ok: true, code: 0 });
  });
});
