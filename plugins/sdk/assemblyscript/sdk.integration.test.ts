// The AssemblyScript SDK through the real sandbox runtime: the committed fixture plugins/fixtures/assemblyscript/sdk-tour.wasm
// against real HTTP and WebSocket servers on 127.0.0.1 and real `echo`/`sh`. Test only: never imported by product code.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type CallResult, type Capability, type PluginHostEvent } from '../../../src-shared/plugin';
import { PluginRuntime } from '../../../src-main/plugins/sandbox/runtime';
import { startTestHttpServer, type TestHttpServer } from '../../../src-main/plugins/sandbox/test-support/http-test-server';
import { startTestWsServer, type TestWsServer } from '../../../src-main/plugins/sandbox/test-support/ws-test-server';

const TOUR = new Uint8Array(readFileSync(join(import.meta.dirname, '../../fixtures/assemblyscript/sdk-tour.wasm')));
const ALL: Capability[] = ['network', 'subprocess', 'midi', 'systemcontrol'];

const runtimes: PluginRuntime[] = [];
afterEach(() => {
  for (const r of runtimes.splice(0)) r.shutdown();
});

interface Tour {
  runtime: PluginRuntime;
  events: PluginHostEvent[];
  call: (input: Record<string, unknown>) => CallResult;
}

async function load(options: { events?: boolean; logBytes?: number } = {}): Promise<Tour> {
  const events: PluginHostEvent[] = [];
  const { runtime } = await PluginRuntime.load(
    TOUR,
    { limits: { ...DEFAULT_LIMITS, logBytesPerCall: options.logBytes ?? DEFAULT_LIMITS.logBytesPerCall }, grants: ALL, dataDir: null },
    options.events === false ? {} : { hostEvents: (e) => events.push(e) },
  );
  runtimes.push(runtime);
  return { runtime, events, call: (input) => runtime.execute(JSON.stringify(input)) };
}

/** The JSON the fixture logged as "[info] <label>: {...}". */
function logged(r: CallResult, label: string): Record<string, unknown> {
  const prefix = `[info] ${label}: `;
  const line = r.log.find((l) => l.startsWith(prefix));
  if (!line) throw new Error(`no "${label}" line in the log: ${JSON.stringify(r.log)}`);
  return JSON.parse(line.slice(prefix.length)) as Record<string, unknown>;
}

describe('AssemblyScript SDK (fixture assemblyscript/sdk-tour)', () => {
  let server: TestHttpServer;
  beforeAll(async () => {
    server = await startTestHttpServer(300_000); // /big is larger than the SDK's default 256 KiB buffer
  });
  afterAll(() => server.close());

  it('loads as an ABI v1 plugin importing only conductor.* and WASI, with metadata from init()', async () => {
    const { runtime, report } = await PluginRuntime.load(TOUR, { limits: DEFAULT_LIMITS, grants: [], dataDir: null });
    runtimes.push(runtime);
    expect(report.abi.hasAlloc).toBe(true);
    expect(report.imports.every((i) => i.startsWith('conductor.') || i.startsWith('wasi_snapshot_preview1.'))).toBe(true);
    expect(report.exports).toEqual(expect.arrayContaining(['alloc (func)', 'dealloc (func)', 'execute (func)', 'init (func)', '_initialize (func)']));
    const meta = JSON.parse(report.initMetadata ?? 'null') as Record<string, unknown>;
    expect(meta).toMatchObject({ name: 'sdk-tour', version: '0.1.0', capabilities: ALL, allowed_hosts: ['127.0.0.1'] });
  });

  it('logs at each level', async () => {
    const r = (await load()).call({ action: 'log' });
    expect(r).toMatchObject({ ok: true, code: 0 });
    expect(r.log).toEqual(['[debug] tour debug', '[info] tour info', '[warn] tour warn', '[error] tour error']);
  });

  it('reads every param type (with defaults and missing), raw JSON params and every context field', async () => {
    const input = {
      action: 'inspect',
      s: 'quote " backslash \\ tab \t é 🎹',
      i: -42,
      f: 1.5,
      b: false,
      o: { k: [1, 'two', null, { deep: true }] },
      arr: [],
      parameters: { s: 'not a param of its own' },
      context: { trigger: 'Note', mode: 'Live', timestamp: 1732500000123, device: 'Pad ✓', channel: 9, note: 36, velocity: 127, cc: 7, value: 64, extra: { x: [1] } },
    };
    const out = logged((await load()).call(input), 'inspect');
    expect(out).toEqual({
      getString: input.s,
      stringDefault: 'dflt',
      getInt: -42,
      intDefault: -5,
      intOfFloat: 'missing', // 1.5 is not an integer
      getFloat: 1.5,
      floatDefault: 2.5,
      getBool: false,
      boolDefault: true,
      stringOfInt: null, // a number is not a string
      raw: input.o,
      rawText: JSON.stringify(input.o),
      has: true,
      names: ['s', 'i', 'f', 'b', 'o', 'arr'], // not action, parameters or context
      context: { ...input.context, extra: { x: [1] } },
      action: 'inspect',
    });
  });

  it('reads integers exactly over the whole i64 range, and refuses what does not fit', async () => {
    const t = await load();
    const line = (text: string) => t.runtime.execute(text).log.join('\n');
    expect(line('{"action":"inspect","i":9223372036854775807}')).toContain('"getInt":9223372036854775807,');
    expect(line('{"action":"inspect","i":-9223372036854775808}')).toContain('"getInt":-9223372036854775808,');
    expect(line('{"action":"inspect","i":9223372036854775808}')).toContain('"getInt":null,');
    expect(line('{"action":"inspect","i":1e3,"f":-2.5e-3}')).toContain('"getInt":1000,');
    expect(line('{"action":"inspect","f":-2.5e-3}')).toContain('"getFloat":-0.0025,');
  });

  it('gives absent context fields as defaults (-1 for the integers, null device)', async () => {
    const out = logged((await load()).call({ action: 'inspect' }), 'inspect');
    expect(out.context).toEqual({ trigger: '', mode: '', timestamp: 0, device: null, channel: -1, note: -1, velocity: -1, cc: -1, value: -1, extra: null });
    expect(out.getString).toBeNull();
    expect(out.getInt).toBeNull();
    expect(out.getBool).toBeNull();
  });

  describe('httpRequest', () => {
    it('GETs a URL from params: status, headers and body', async () => {
      const before = (await server.stats()).seen.length;
      const r = (await load()).call({ action: 'http', url: `${server.origin}/hello` });
      expect(r).toMatchObject({ ok: true, code: 0 });
      const res = logged(r, 'http');
      expect(res).toMatchObject({ hostError: null, status: 200, ok: true, body: 'hello from the server', truncated: false, error: null });
      expect(res.headers).toMatchObject({ 'content-type': 'text/plain', 'x-test': 'yes' });
      expect((await server.stats()).seen.slice(before)).toMatchObject([{ method: 'GET', url: '/hello' }]);
    });

    it('sends method, headers and a body that needs escaping, intact', async () => {
      const body = '{"n":1,"s":"quote \\" newline \n ctrl \u0001 é 🎹"}';
      const r = (await load()).call({ action: 'http', method: 'POST', url: `${server.origin}/echo`, headers: { 'X-Tour': 'a "b" \\ c' }, body });
      const res = logged(r, 'http');
      expect(res).toMatchObject({ status: 201, body });
      const last = (await server.stats()).seen.at(-1);
      expect(last).toMatchObject({ method: 'POST', url: '/echo', body });
      expect(last?.headers['x-tour']).toBe('a "b" \\ c');
    });

    it('Denied for a host not in allowed_hosts: returns the custom code 3, nothing connects', async () => {
      const before = await server.stats();
      const r = (await load()).call({ action: 'http', url: `http://localhost:${server.port}/hello` });
      expect(r).toMatchObject({ ok: false, code: 3, errorKind: 'plugin-error' });
      expect(logged(r, 'http').hostError).toEqual({ name: 'Denied', code: -3, needed: 0, text: 'Denied (-3)' });
      expect(r.log).toContain('[error] http_request failed: Denied (-3)');
      const after = await server.stats();
      expect(after.connections).toBe(before.connections);
    });

    it('a failure without a response: status null, error set', async () => {
      const r = (await load()).call({ action: 'http', url: 'http://127.0.0.1:1/nothing-listens' });
      const res = logged(r, 'http');
      expect(res).toMatchObject({ hostError: null, status: null, ok: false });
      expect(String(res.error)).toMatch(/ECONNREFUSED/);
    });

    it('a GET larger than the buffer is retried once with the needed size', async () => {
      const before = (await server.stats()).seen.length;
      const r = (await load({ logBytes: 1 << 20 })).call({ action: 'http', url: `${server.origin}/big` });
      const res = logged(r, 'http');
      expect(res).toMatchObject({ hostError: null, status: 200 });
      expect(String(res.body)).toBe('z'.repeat(300_000));
      expect((await server.stats()).seen.slice(before).map((s) => s.url)).toEqual(['/big', '/big']);
    });

    it('a POST larger than the buffer is NOT retried: BufferTooSmall with the needed size', async () => {
      const before = (await server.stats()).seen.length;
      const r = (await load()).call({ action: 'http', method: 'POST', url: `${server.origin}/echo`, body: 'x'.repeat(5000), capacity: 1024 });
      expect(r.code).toBe(3);
      const err = logged(r, 'http').hostError as Record<string, unknown>;
      expect(err).toMatchObject({ name: 'BufferTooSmall' });
      expect(err.needed).toBeGreaterThan(5000);
      expect(err.code).toBe(-(err.needed as number));
      expect((await server.stats()).seen.length).toBe(before + 1);
    });
  });

  describe('exec', () => {
    it('runs echo: stdout and status', async () => {
      const res = logged((await load()).call({ action: 'exec', program: 'echo', args: ['hi', 'there'] }), 'exec');
      expect(res).toEqual({ hostError: null, status: 0, signal: null, ok: true, stdout: 'hi there\n', stderr: '', truncated: false, error: null });
    });

    it('passes args and stdin that need escaping intact; reports a non-zero status and stderr', async () => {
      const arg = 'quote " backslash \\ newline \n tab \t ctrl \u0002 é 🎹 $(id) ;|*';
      const res = logged(
        (await load()).call({ action: 'exec', program: 'sh', args: ['-c', 'printf "%s|" "$1"; cat; echo oops >&2; exit 3', 'sh', arg], stdin: 'from "stdin"\n' }),
        'exec',
      );
      expect(res).toMatchObject({ hostError: null, status: 3, ok: false, stdout: `${arg}|from "stdin"\n`, stderr: 'oops\n', error: null });
    });

    it('a missing program: error set, no status', async () => {
      const res = logged((await load()).call({ action: 'exec', program: 'no-such-program-xyz' }), 'exec');
      expect(res).toMatchObject({ hostError: null, status: null, ok: false });
      expect(String(res.error)).toMatch(/program not found/);
    });

    it('output larger than the buffer is NOT retried (the program ran once): BufferTooSmall', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'as-sdk-'));
      try {
        const marker = join(dir, 'runs');
        const r = (await load()).call({ action: 'exec', program: 'sh', args: ['-c', `echo run >> '${marker}'; head -c 4000 /dev/zero | tr '\\0' y`], capacity: 512 });
        expect(r.code).toBe(3);
        const err = logged(r, 'exec').hostError as Record<string, unknown>;
        expect(err).toMatchObject({ name: 'BufferTooSmall' });
        expect(err.needed).toBeGreaterThan(4000);
        expect(readFileSync(marker, 'utf8')).toBe('run\n');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('MIDI and notify', () => {
    it('noteOn, noteOff, controlChange and midiSend reach the host as those bytes', async () => {
      const t = await load();
      const r = t.call({ action: 'midi', channel: 2, bytes: [0xc2, 5, 0xf8] });
      expect(r).toMatchObject({ ok: true, code: 0 });
      expect(logged(r, 'midi')).toEqual({ noteOn: null, noteOff: null, controlChange: null, midiSend: null });
      expect(t.events.map((e) => (e.kind === 'midi' ? e.bytes : e))).toEqual([
        [0x92, 60, 100],
        [0x82, 60, 0],
        [0xb2, 7, 127],
        [0xc2, 5, 0xf8],
      ]);
    });

    it('Invalid: a channel out of range is refused by the SDK, invalid MIDI by the host', async () => {
      const t = await load();
      const res = logged(t.call({ action: 'midi', channel: 16, bytes: [0x90, 200, 1] }), 'midi');
      for (const k of ['noteOn', 'noteOff', 'controlChange', 'midiSend']) expect(res[k], k).toMatchObject({ name: 'Invalid', code: -1 });
      expect(t.events).toEqual([]);
    });

    it('Limit: past the per-call host-event budget', async () => {
      const t = await load();
      const res = logged(t.call({ action: 'flood', count: 5000 }), 'flood');
      expect(res).toEqual({ sent: 4096, error: { name: 'Limit', code: -4, needed: 0, text: 'Limit (-4)' } });
    });

    it('Unavailable: no receiver for host events', async () => {
      const t = await load({ events: false });
      const res = logged(t.call({ action: 'midi', channel: 0 }), 'midi');
      expect(res.noteOn).toMatchObject({ name: 'Unavailable', code: -5 });
    });

    it('notify sends title and body; an empty title is Invalid, a long one TooLarge', async () => {
      const t = await load();
      expect(t.call({ action: 'notify', title: 'Tour ✓', body: 'line 1\nline "2"' })).toMatchObject({ ok: true, code: 0 });
      expect(t.events).toEqual([{ kind: 'notify', title: 'Tour ✓', body: 'line 1\nline "2"' }]);
      const empty = t.call({ action: 'notify', title: '' });
      expect(empty.code).toBe(3);
      expect(logged(empty, 'notify')).toMatchObject({ name: 'Invalid', code: -1 });
      const long = t.call({ action: 'notify', title: 't'.repeat(300) });
      expect(logged(long, 'notify')).toMatchObject({ name: 'TooLarge', code: -2 });
      expect(t.events).toHaveLength(1);
    });
  });

  describe('system (lock, sleep, brightness, volume)', () => {
    // The wrappers' requests and results; the host side against real logind/PipeWire peers is in
    // src-main/plugins/sandbox/host-functions-system.integration.test.ts.
    const saved = { ...process.env };
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'as-sdk-system-'));
      mkdirSync(join(dir, 'backlight', 'panel'), { recursive: true });
      writeFileSync(join(dir, 'backlight', 'panel', 'brightness'), '30\n');
      writeFileSync(join(dir, 'backlight', 'panel', 'max_brightness'), '40\n');
      mkdirSync(join(dir, 'runtime'));
      const nowhere = `unix:path=${join(dir, 'no-bus')}`;
      Object.assign(process.env, { CONDUCTOR_BACKLIGHT_DIR: join(dir, 'backlight'), XDG_RUNTIME_DIR: join(dir, 'runtime'), DBUS_SYSTEM_BUS_ADDRESS: nowhere, DBUS_SESSION_BUS_ADDRESS: nowhere });
      delete process.env.PULSE_SERVER;
    });
    afterAll(() => {
      for (const key of ['CONDUCTOR_BACKLIGHT_DIR', 'XDG_RUNTIME_DIR', 'DBUS_SYSTEM_BUS_ADDRESS', 'DBUS_SESSION_BUS_ADDRESS', 'PULSE_SERVER']) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
      rmSync(dir, { recursive: true, force: true });
    });

    it.runIf(process.platform === 'linux')('getBrightness reads the level; an out-of-range value is Invalid without a host call', async () => {
      const t = await load();
      expect(logged(t.call({ action: 'system', what: 'brightness' }), 'system')).toEqual({ ok: true, hostError: null, error: null, brightness: 75, volume: -1, muted: false });
      const bad = t.call({ action: 'system', what: 'set_brightness', value: 101 });
      expect(bad.code).toBe(3);
      expect(logged(bad, 'system')).toMatchObject({ ok: false, hostError: { name: 'Invalid', code: -1 } });
      expect(bad.log).toContain('[warn] conductor: brightness set 101 is outside 0..100 (not sent)');
      expect(bad.log.join('\n')).not.toContain('conductor.system');
      expect(logged(t.call({ action: 'system', what: 'change_volume', value: -101 }), 'system')).toMatchObject({ hostError: { name: 'Invalid' } });
    });

    it.runIf(process.platform === 'linux')("a failure on this computer is `error`, with the host's reason", async () => {
      const t = await load();
      const lock = t.call({ action: 'system', what: 'lock' });
      expect(lock.code).toBe(3);
      const res = logged(lock, 'system');
      expect(res).toMatchObject({ ok: false, hostError: null, brightness: -1, volume: -1 });
      expect(String(res.error)).toMatch(/D-Bus|busctl|dbus-send/);
      expect(lock.log.join('\n')).toContain('[error] system lock failed: ');
      for (const what of ['volume', 'mute', 'unmute', 'set_volume', 'sleep', 'set_brightness', 'change_brightness']) {
        const r = logged(t.call({ action: 'system', what, value: 10 }), 'system');
        expect(r, what).toMatchObject({ ok: false, hostError: null });
        expect(typeof r.error, what).toBe('string');
      }
    });
  });

  describe('WebSocket', () => {
    let ws: TestWsServer;
    beforeAll(async () => {
      ws = await startTestWsServer();
    });
    afterAll(() => ws.close());

    it('opens with a subprotocol, keeps the socket between calls, sends and receives text and binary', async () => {
      const t = await load();
      expect(logged(t.call({ action: 'ws_open', url: ws.url, protocols: ['obswebsocket.json'] }), 'ws_open')).toEqual({
        hostError: null,
        opened: true,
        error: null,
        protocol: 'obswebsocket.json',
      });
      const text = 'quote " é 🎹 {"op":1}';
      expect(logged(t.call({ action: 'ws_send', text }), 'ws_send')).toEqual({ hostError: null, isOpen: true });
      expect(logged(t.call({ action: 'ws_recv', timeout: 2000 }), 'ws_recv')).toMatchObject({ hostError: null, type: 'text', text, isClosed: false, isOpen: true });
      expect(logged(t.call({ action: 'ws_send', bytes: [0, 1, 127, 128, 255] }), 'ws_send')).toEqual({ hostError: null, isOpen: true });
      expect(logged(t.call({ action: 'ws_recv', timeout: 2000 }), 'ws_recv')).toMatchObject({ type: 'binary', data: [0, 1, 127, 128, 255] });
      expect(logged(t.call({ action: 'ws_recv', timeout: 50 }), 'ws_recv')).toMatchObject({ hostError: null, type: 'timeout', isOpen: true });
      // Sent by the server while the plugin was idle; larger than the buffer: recv takes it with a second call.
      await ws.send('w'.repeat(5000));
      expect(logged(t.call({ action: 'ws_recv', timeout: 2000, capacity: 64 }), 'ws_recv')).toMatchObject({ type: 'text', text: 'w'.repeat(5000) });
      const before = await ws.stats();
      expect(logged(t.call({ action: 'ws_close' }), 'ws_close')).toEqual({ hostError: null, isOpen: false });
      await ws.until((s) => s.closes.length > before.closes.length);
      expect(logged(t.call({ action: 'ws_send', text: 'x' }), 'ws_send')).toEqual({
        hostError: { name: 'Closed', code: -6, needed: 0, text: 'Closed (-6)' },
        isOpen: false,
      });
    });

    it('a dropped connection is a Closed message once, then a Closed error; opening again works', async () => {
      const t = await load();
      expect(logged(t.call({ action: 'ws_open', url: ws.url }), 'ws_open')).toMatchObject({ opened: true, protocol: '' });
      await ws.until((s) => s.open > 0);
      await ws.drop();
      await ws.until((s) => s.open === 0);
      const closed = logged(t.call({ action: 'ws_recv', timeout: 2000 }), 'ws_recv');
      expect(closed).toMatchObject({ hostError: null, type: 'closed', code: 1006, isClosed: true, isOpen: false });
      expect(logged(t.call({ action: 'ws_recv' }), 'ws_recv')).toMatchObject({ type: 'error', hostError: { name: 'Closed', code: -6 }, isClosed: true });
      expect(logged(t.call({ action: 'ws_open', url: ws.url }), 'ws_open')).toMatchObject({ opened: true });
      expect(logged(t.call({ action: 'ws_send', text: 'again' }), 'ws_send')).toEqual({ hostError: null, isOpen: true });
      expect(logged(t.call({ action: 'ws_recv', timeout: 2000 }), 'ws_recv')).toMatchObject({ type: 'text', text: 'again' });
    });

    it('Denied for a host not in allowed_hosts (nothing connects); a refused connection is an error, not a HostError', async () => {
      const t = await load();
      const before = await ws.stats();
      expect(logged(t.call({ action: 'ws_open', url: `ws://localhost:${ws.port}` }), 'ws_open')).toEqual({
        hostError: { name: 'Denied', code: -3, needed: 0, text: 'Denied (-3)' },
        opened: false,
        error: null,
      });
      expect((await ws.stats()).connections).toBe(before.connections);
      const refused = logged(t.call({ action: 'ws_open', url: 'ws://127.0.0.1:1/' }), 'ws_open');
      expect(refused).toMatchObject({ hostError: null, opened: false });
      expect(String(refused.error)).toMatch(/ECONNREFUSED/);
    });
  });

  describe('results and failures', () => {
    it('a PluginError returns its custom code and logs its message at error level', async () => {
      const r = (await load()).call({ action: 'fail', message: 'scene "x" not found', code: 42 });
      expect(r).toMatchObject({ ok: false, code: 42, errorKind: 'plugin-error' });
      expect(r.log).toEqual(['[error] scene "x" not found']);
    });

    it('an unknown action is code 1', async () => {
      const r = (await load()).call({ action: 'nope' });
      expect(r).toMatchObject({ ok: false, code: 1 });
      expect(r.log).toEqual(['[error] unknown action "nope"']);
    });

    it('invalid input is code 2 with the reason logged, never a trap; the instance keeps working', async () => {
      const t = await load();
      for (const [text, reason] of [
        ['{"action":', 'unexpected end of input'],
        ['{"action":"log",}', 'member name (a string) expected'],
        ['[1,2]', 'the input is not a JSON object'],
        ['{"action":7}', '"action" is not a string'],
        ['{"a":"\u0001"}', 'control character in string'],
        ['', 'unexpected end of input'],
        ['['.repeat(10_000), 'nested deeper than 200 levels'],
      ] as const) {
        const r = t.runtime.execute(text);
        expect(r, text.slice(0, 20)).toMatchObject({ ok: false, code: 2, errorKind: 'plugin-error' });
        expect(r.log.join('\n'), text.slice(0, 20)).toContain(`[error] invalid input: ${reason}`);
      }
      expect(t.call({ action: 'log' })).toMatchObject({ ok: true, code: 0 });
    });

    it('an abort fails the call with "abort: <message> at <file>:<line>:<col>" in the log; the next call works', async () => {
      const t = await load();
      const r = t.call({ action: 'abort' });
      expect(r).toMatchObject({ ok: false, code: null, errorKind: 'trap' });
      expect(r.log.join('\n')).toMatch(/^\[error\] abort: the tour aborts on purpose at plugins\/fixtures\/assemblyscript\/sdk-tour\/index\.ts:\d+:\d+$/m);
      expect(t.call({ action: 'log' })).toMatchObject({ ok: true, code: 0 });
    });

    it('takes inputs far larger than 16 KiB through alloc, and frees them (memory stops growing)', async () => {
      const t = await load();
      const sizes: number[] = [];
      // Up to 600 KB of UTF-8: the SDK spends ~60-85 fuel per input byte (decode + parse), 100M fuel per call.
      for (const n of [20_000, 300_000, 100_000, 300_000, 300_000, 300_000, 300_000]) {
        const r = t.call({ action: 'size', data: 'é'.repeat(n) });
        expect(r.log, `n=${n}`).toEqual([`[info] size: ${n}`]);
        sizes.push(r.memoryBytes);
      }
      expect(sizes.at(-1)).toBe(sizes.at(-2));
    });

    it('Math.random works (seeded through WASI random_get, no env.seed import)', async () => {
      expect((await load()).call({ action: 'random' }).log).toEqual(['[info] random: in range']);
    });
  });
});
