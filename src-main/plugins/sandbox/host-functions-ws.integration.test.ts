// conductor.ws_open/ws_send/ws_recv/ws_close (the network grant) in a real PluginRuntime and a real sandbox process: a WAT
// driver against a real `ws` server on 127.0.0.1 — messages kept between calls, host rules, limits, drops, reset, shutdown.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { watToWasm } from '../../../plugins/fixtures';
import { DEFAULT_LIMITS, type CallResult } from '../../../src-shared/plugin';
import { HOST_ERROR, HOST_LIMITS } from '../common/import-catalogue';
import { defaultSandboxEntry, forkSpawner, SandboxProcess } from '../host/sandbox-process';
import { pluginLoader, type LoadOptions } from './test-support/plugin-loader';
import { startTestWsServer, type TestWsServer } from './test-support/ws-test-server';

const OUT = 3 << 20;

/**
 * A plugin whose `execute` runs one command from its input and returns the host function's result as its code
 * (a positive ws_open/ws_recv result is also logged: the response JSON). Commands:
 * `o<request json>` ws_open (out_cap 65536) · `s<h> <text>` / `b<h> <bytes>` ws_send text / binary ·
 * `r<h> <timeout_ms> <out_cap>` ws_recv · `c<h>` ws_close · `x<h>` send invalid UTF-8 as text ·
 * `k<h> <kind> <len>` ws_send(h, kind, 0, len) · `t` trap.
 */
const DRIVER = `(module
  (import "conductor" "log" (func $log (param i32 i32 i32)))
  (import "conductor" "ws_open" (func $open (param i32 i32 i32 i32) (result i32)))
  (import "conductor" "ws_send" (func $send (param i32 i32 i32 i32) (result i32)))
  (import "conductor" "ws_recv" (func $recv (param i32 i32 i32 i32) (result i32)))
  (import "conductor" "ws_close" (func $close (param i32) (result i32)))
  (memory (export "memory") 64)
  (global $cur (mut i32) (i32.const 0))
  (global $end (mut i32) (i32.const 0))
  (data (i32.const 512) "\\ff\\fe")
  (func (export "alloc") (param i32) (result i32) (i32.const 65536))
  (func $num (result i32) (local $v i32) (local $neg i32) (local $c i32)
    (if (i32.eq (i32.load8_u (global.get $cur)) (i32.const 45))
      (then (local.set $neg (i32.const 1)) (global.set $cur (i32.add (global.get $cur) (i32.const 1)))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (global.get $cur) (global.get $end)))
        (local.set $c (i32.sub (i32.load8_u (global.get $cur)) (i32.const 48)))
        (br_if $done (i32.gt_u (local.get $c) (i32.const 9)))
        (local.set $v (i32.add (i32.mul (local.get $v) (i32.const 10)) (local.get $c)))
        (global.set $cur (i32.add (global.get $cur) (i32.const 1)))
        (br $next)))
    (if (i32.lt_u (global.get $cur) (global.get $end)) (then (global.set $cur (i32.add (global.get $cur) (i32.const 1)))))
    (if (result i32) (local.get $neg) (then (i32.sub (i32.const 0) (local.get $v))) (else (local.get $v))))
  (func $logged (param $r i32) (result i32)
    (if (i32.gt_s (local.get $r) (i32.const 0)) (then (call $log (i32.const 1) (i32.const ${OUT}) (local.get $r))))
    (local.get $r))
  (func $rest (result i32) (i32.sub (global.get $end) (global.get $cur)))
  (func (export "execute") (param $p i32) (param $n i32) (result i32) (local $op i32) (local $h i32) (local $a i32) (local $b i32)
    (global.set $end (i32.add (local.get $p) (local.get $n)))
    (global.set $cur (i32.add (local.get $p) (i32.const 1)))
    (local.set $op (i32.load8_u (local.get $p)))
    (if (i32.eq (local.get $op) (i32.const 116)) (then unreachable))
    (if (i32.eq (local.get $op) (i32.const 111))
      (then (return (call $logged (call $open (global.get $cur) (call $rest) (i32.const ${OUT}) (i32.const 65536))))))
    (local.set $h (call $num))
    (if (i32.eq (local.get $op) (i32.const 115)) (then (return (call $send (local.get $h) (i32.const 0) (global.get $cur) (call $rest)))))
    (if (i32.eq (local.get $op) (i32.const 98)) (then (return (call $send (local.get $h) (i32.const 1) (global.get $cur) (call $rest)))))
    (if (i32.eq (local.get $op) (i32.const 120)) (then (return (call $send (local.get $h) (i32.const 0) (i32.const 512) (i32.const 2)))))
    (if (i32.eq (local.get $op) (i32.const 99)) (then (return (call $close (local.get $h)))))
    (local.set $a (call $num))
    (local.set $b (call $num))
    (if (i32.eq (local.get $op) (i32.const 114))
      (then (return (call $logged (call $recv (local.get $h) (local.get $a) (i32.const ${OUT}) (local.get $b))))))
    (if (i32.eq (local.get $op) (i32.const 107)) (then (return (call $send (local.get $h) (local.get $a) (i32.const 0) (local.get $b)))))
    (i32.const -100)))`;

type Json = Record<string, unknown>;

/** The JSON the driver logged (the host function's response). */
function logged(r: CallResult): Json {
  const line = r.log.find((l) => l.startsWith('[info] '));
  if (!line) throw new Error(`nothing logged: ${JSON.stringify(r)}`);
  return JSON.parse(line.slice('[info] '.length)) as Json;
}

const { load, shutdownAll } = pluginLoader();
afterEach(shutdownAll);

let driver: Uint8Array;
let server: TestWsServer;
beforeAll(async () => {
  driver = await watToWasm(DRIVER);
  server = await startTestWsServer();
});
afterAll(() => server.close());

/** A loaded driver with helpers; allowed_hosts name the test server unless told otherwise. */
async function plugin(extra: LoadOptions = {}) {
  const p = await load(driver, ['network'], { allowedHosts: [`127.0.0.1:${server.port}`], ...extra });
  const run = (command: string) => p.runtime.execute(command);
  return {
    ...p,
    run,
    open(request: Json = { url: server.url }): number {
      const r = run(`o${JSON.stringify(request)}`);
      const res = logged(r);
      if (typeof res.handle !== 'number') throw new Error(`not opened: ${JSON.stringify(res)} ${JSON.stringify(r.log)}`);
      return res.handle;
    },
    send: (h: number, text: string) => run(`s${h} ${text}`).code,
    recv(h: number, timeoutMs = 2000, cap = 65536): Json {
      const r = run(`r${h} ${timeoutMs} ${cap}`);
      if (r.code === null || r.code <= 0) throw new Error(`ws_recv returned ${r.code}: ${JSON.stringify(r.log)}`);
      return logged(r);
    },
    close: (h: number) => run(`c${h}`).code,
  };
}

describe('conductor.ws_* (network)', () => {
  it('opens, sends and receives text and binary, and negotiates a subprotocol', async () => {
    const before = await server.stats();
    const p = await plugin();
    const r = p.run(`o${JSON.stringify({ url: server.url, protocols: ['obswebsocket.json'] })}`);
    expect(r.code).toBeGreaterThan(16);
    const opened = logged(r);
    expect(opened).toEqual({ handle: expect.any(Number), protocol: 'obswebsocket.json' });
    const h = opened.handle as number;
    expect(p.send(h, 'hello ✓')).toBe(0);
    expect(p.recv(h)).toEqual({ type: 'text', data: 'hello ✓' });
    expect(p.run(`b${h} \u0000\u0001AB`).code).toBe(0);
    expect(p.recv(h)).toEqual({ type: 'binary', data: Buffer.from([0, 1, 65, 66]).toString('base64') });
    expect(p.send(h, '')).toBe(0);
    expect(p.recv(h)).toEqual({ type: 'text', data: '' });
    const after = await server.stats();
    expect(after.protocols.slice(before.protocols.length)).toEqual(['obswebsocket.json']);
    expect(after.received.slice(before.received.length)).toEqual([
      { type: 'text', data: 'hello ✓' },
      { type: 'binary', data: 'AAFBQg==' },
      { type: 'text', data: '' },
    ]);
    // Without protocols: none negotiated.
    const plain = logged(p.run(`o${JSON.stringify({ url: server.url })}`));
    expect(plain.protocol).toBe('');
    expect(p.close(h)).toBe(0);
  });

  it('keeps the socket and queues messages between calls; recv takes them in order', async () => {
    const p = await plugin();
    const h = p.open();
    expect(p.send(h, 'quiet')).toBe(0);
    await server.until((s) => s.received.some((m) => m.data === 'quiet'));
    // The plugin is idle (no call runs) while the server sends.
    await server.send('first');
    await server.send('second');
    await server.send(Buffer.from([255, 0, 7]).toString('base64'), { binary: true });
    // Each recv waits for its message if the socket's thread has not queued it yet (a busy machine), so the test
    // checks the order, not how fast the loopback is; the last, with nothing left, must not wait.
    expect(p.recv(h, 2000)).toEqual({ type: 'text', data: 'first' });
    expect(p.recv(h, 2000)).toEqual({ type: 'text', data: 'second' });
    expect(p.recv(h, 2000)).toEqual({ type: 'binary', data: '/wAH' });
    expect(p.recv(h, 0)).toEqual({ type: 'timeout' });
  });

  it('waits at most timeout_ms, and never past the call deadline', async () => {
    const p = await plugin({ limits: { callTimeoutMs: 1000 } });
    const h = p.open();
    let t0 = performance.now();
    expect(p.recv(h, 300)).toEqual({ type: 'timeout' });
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(900);
    t0 = performance.now();
    const r = p.run(`r${h} 60000 65536`);
    expect(r).toMatchObject({ ok: false, errorKind: 'plugin-error' }); // the driver returned the length: not a timeout of the call
    expect(logged(r)).toEqual({ type: 'timeout' });
    expect(performance.now() - t0).toBeLessThan(1000);
    // A message that arrives while ws_recv waits is returned when it arrives (the server answers "delay:" late).
    expect(p.send(h, 'delay:200')).toBe(0);
    t0 = performance.now();
    expect(p.recv(h, 850)).toEqual({ type: 'text', data: 'delay:200' });
    const woke = performance.now() - t0;
    expect(woke).toBeGreaterThanOrEqual(150);
    expect(woke).toBeLessThan(800);
  });

  it('a too-small out buffer returns -(needed) and the message stays queued', async () => {
    const p = await plugin();
    const h = p.open();
    const text = 'x'.repeat(100);
    expect(p.send(h, text)).toBe(0);
    const needed = Buffer.byteLength(JSON.stringify({ type: 'text', data: text }));
    const small = p.run(`r${h} 2000 20`);
    expect(small.code).toBe(-needed);
    expect(p.run(`r${h} 0 ${needed - 1}`).code).toBe(-needed);
    expect(p.recv(h, 0, needed)).toEqual({ type: 'text', data: text });
    // So does a timeout response ({"type":"timeout"}: 18 bytes).
    expect(p.run(`r${h} 0 8`).code).toBe(-18);
  });

  it('refuses a host outside allowed_hosts without connecting', async () => {
    const before = await server.stats();
    const p = await plugin({ allowedHosts: ['example.com'] });
    const r = p.run(`o${JSON.stringify({ url: server.url })}`);
    expect(r.code).toBe(HOST_ERROR.denied);
    expect(r.log.join('\n')).toContain(`conductor.ws_open: host "127.0.0.1:${server.port}" is not in allowed_hosts (example.com) (returned -3)`);
    const other = await plugin({ allowedHosts: [`127.0.0.1:${server.port + 1}`] });
    expect(other.run(`o${JSON.stringify({ url: server.url })}`).code).toBe(HOST_ERROR.denied);
    for (const url of ['http://127.0.0.1/', 'https://example.com/', 'file:///etc/passwd']) {
      const d = p.run(`o${JSON.stringify({ url })}`);
      expect(d.code, url).toBe(HOST_ERROR.denied);
      expect(d.log.join('\n')).toContain('only ws: and wss: URLs are allowed');
    }
    expect((await server.stats()).connections).toBe(before.connections);
  });

  it('refuses local and private addresses unless an allowed_hosts entry names them', async () => {
    const before = await server.stats();
    for (const allowedHosts of [[], ['*']]) {
      const p = await plugin({ allowedHosts });
      const urls: Array<[string, string]> = [
        [server.url, '127.0.0.1 is a loopback address (this computer); name it in allowed_hosts to allow it'],
        [`ws://localhost:${server.port}`, 'localhost is a loopback address'],
        [`ws://[::ffff:127.0.0.1]:${server.port}`, 'is a loopback address'],
        ['ws://192.168.1.1:4455', '192.168.1.1 is a private address'],
        ['wss://169.254.169.254/', '169.254.169.254 is a link-local address'],
      ];
      for (const [url, message] of urls) {
        const r = p.run(`o${JSON.stringify({ url })}`);
        expect(r.code, url).toBe(HOST_ERROR.denied);
        expect(r.log.join('\n'), url).toContain(message);
      }
    }
    expect((await server.stats()).connections).toBe(before.connections);
    // Named (with its port): allowed.
    const named = await plugin({ allowedHosts: [`127.0.0.1:${server.port}`] });
    named.open();
    const byName = await plugin({ allowedHosts: [`localhost:${server.port}`] });
    expect(byName.open({ url: `ws://localhost:${server.port}/path?q=1` })).toBeGreaterThan(0);
    expect((await server.stats()).connections).toBe(before.connections + 2);
  });

  it('reports a failed connection as {"error"} (no handle, not an error code)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const p = await plugin({ allowedHosts: [`127.0.0.1:${deadPort}`, `127.0.0.1:${server.port}`] });
    const r = p.run(`o${JSON.stringify({ url: `ws://127.0.0.1:${deadPort}` })}`);
    expect(r.code).toBeGreaterThan(16);
    expect(String(logged(r).error)).toContain('ECONNREFUSED');
    // A server that does not speak the subprotocol: the handshake fails, no handle.
    const wrong = logged(p.run(`o${JSON.stringify({ url: server.url, protocols: ['nope'] })}`));
    expect(wrong).toEqual({ error: expect.stringMatching(/subprotocol/i) });
  });

  it('checks requests and arguments', async () => {
    const p = await plugin();
    const bad: Array<[Json | string, number]> = [
      [{ url: server.url, headers: {} }, HOST_ERROR.invalid],
      [{ url: server.url, protocols: 'chat' }, HOST_ERROR.invalid],
      [{ url: server.url, protocols: ['a b'] }, HOST_ERROR.invalid],
      [{ url: server.url, protocols: ['chat', 'chat'] }, HOST_ERROR.invalid],
      [{ url: `${server.url}/#frag` }, HOST_ERROR.invalid],
      [{ url: `ws://user:pw@127.0.0.1:${server.port}` }, HOST_ERROR.invalid],
      [{ url: 'not a url' }, HOST_ERROR.invalid],
      [{}, HOST_ERROR.invalid],
      ['{"url":', HOST_ERROR.invalid],
    ];
    for (const [request, code] of bad) {
      const text = typeof request === 'string' ? request : JSON.stringify(request);
      expect(p.run(`o${text}`).code, text).toBe(code);
    }
    const h = p.open();
    expect(p.run(`x${h}`).code).toBe(HOST_ERROR.invalid); // invalid UTF-8 as text
    expect(p.run(`k${h} 2 4`).code).toBe(HOST_ERROR.invalid); // unknown kind
    expect(p.run(`k${h} 1 ${HOST_LIMITS.wsMessageBytes + 1}`).code).toBe(HOST_ERROR.tooLarge);
    expect(p.run(`r${h} -5 65536`).code).toBe(HOST_ERROR.invalid);
    for (const unknown of [0, -1, 999]) {
      expect(p.send(unknown, 'x')).toBe(HOST_ERROR.closed);
      expect(p.run(`r${unknown} 0 65536`).code).toBe(HOST_ERROR.closed);
      expect(p.close(unknown)).toBe(HOST_ERROR.closed);
    }
    expect(p.close(h)).toBe(0);
    expect(p.close(h)).toBe(HOST_ERROR.closed);
    expect(p.send(h, 'x')).toBe(HOST_ERROR.closed);
    const r = p.run(`r${h} 0 65536`);
    expect(r.code).toBe(HOST_ERROR.closed);
    expect(r.log.join('\n')).toContain(`conductor.ws_recv: handle ${h} is not an open WebSocket (returned -6)`);
  });

  it(`allows ${HOST_LIMITS.wsSocketsPerPlugin} sockets per plugin; one more is a limit error until one is closed`, async () => {
    const p = await plugin();
    const handles = Array.from({ length: HOST_LIMITS.wsSocketsPerPlugin }, () => p.open());
    expect(new Set(handles).size).toBe(HOST_LIMITS.wsSocketsPerPlugin);
    const over = p.run(`o${JSON.stringify({ url: server.url })}`);
    expect(over.code).toBe(HOST_ERROR.limit);
    expect(over.log.join('\n')).toContain(`${HOST_LIMITS.wsSocketsPerPlugin} WebSockets are open already`);
    expect(p.close(handles[3] ?? 0)).toBe(0);
    expect(p.open()).toBeGreaterThan(0);
    // Another plugin has its own sockets.
    expect((await plugin()).open()).toBeGreaterThan(0);
  });

  it('closes the socket on an incoming message over the size limit and reports it', async () => {
    const p = await plugin();
    const h = p.open();
    expect(p.send(h, 'quiet')).toBe(0);
    await server.until((s) => s.received.some((m) => m.data === 'quiet'));
    await server.send('small');
    await server.send('y'.repeat(HOST_LIMITS.wsMessageBytes + 1));
    expect(p.recv(h)).toEqual({ type: 'text', data: 'small' });
    const closed = p.recv(h);
    expect(closed).toMatchObject({ type: 'closed', code: 1009 });
    expect(String(closed.reason)).toContain(`larger than ${HOST_LIMITS.wsMessageBytes} bytes`);
    expect(p.run(`r${h} 0 65536`).code).toBe(HOST_ERROR.closed);
  });

  it('closes the socket when more incoming data waits than the buffer limit', async () => {
    const p = await plugin({ limits: { logBytesPerCall: 4 << 20 } });
    const h = p.open();
    expect(p.send(h, 'quiet')).toBe(0);
    await server.until((s) => s.received.some((m) => m.data === 'quiet'));
    const size = 600 * 1024; // 7 of these are more than 4 MiB
    await server.send('q'.repeat(size), { times: 8 });
    // All of it arrives while the plugin is idle: the host closes the socket (the server sees its close frame).
    await server.until((st) => st.closes.some((c) => c.code === 1008 && c.reason === 'receive queue full'));
    const fit = Math.floor(HOST_LIMITS.wsBufferedBytes / size);
    for (let i = 0; i < fit; i++) expect(p.recv(h, 0, 1 << 20).type).toBe('text');
    const closed = p.recv(h, 2000, 1 << 20);
    expect(closed).toMatchObject({ type: 'closed', code: 1008 });
    expect(String(closed.reason)).toContain(`more than ${HOST_LIMITS.wsBufferedBytes} bytes`);
  });

  it('reports a dropped connection on the next send/recv, and ws_open works again', async () => {
    const p = await plugin();
    const h = p.open();
    expect(p.send(h, 'before')).toBe(0);
    expect(p.recv(h)).toEqual({ type: 'text', data: 'before' });
    const before = await server.stats();
    await server.drop();
    await server.until((s) => s.open === 0 && s.closes.length > before.closes.length);
    // The client's side sees the drop a moment later; until then a send still goes to the (dead) socket.
    const end = Date.now() + 3000;
    let sent = p.send(h, 'after');
    while (sent === 0 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 20));
      sent = p.send(h, 'after');
    }
    expect(sent).toBe(HOST_ERROR.closed);
    expect(p.recv(h)).toMatchObject({ type: 'closed', code: 1006 });
    expect(p.run(`r${h} 0 65536`).code).toBe(HOST_ERROR.closed);
    const again = p.open();
    expect(again).not.toBe(h);
    expect(p.send(again, 'back')).toBe(0);
    expect(p.recv(again)).toEqual({ type: 'text', data: 'back' });
  });

  it("a reset (trap) closes the plugin's sockets; the server sees the close", async () => {
    const p = await plugin();
    const h = p.open();
    const before = await server.stats();
    expect(before.open).toBeGreaterThan(0);
    const trap = p.run('t');
    expect(trap).toMatchObject({ ok: false, errorKind: 'trap' });
    const after = await server.until((s) => s.closes.length > before.closes.length);
    expect(after.closes.at(-1)).toEqual({ code: 1001, reason: 'plugin reset' });
    expect(p.send(h, 'x')).toBe(HOST_ERROR.closed);
    expect(p.open()).toBeGreaterThan(0);
  });

  it('shutdown closes every socket', async () => {
    const p = await plugin();
    p.open();
    p.open();
    const before = await server.stats();
    p.runtime.shutdown();
    const after = await server.until((s) => s.closes.length >= before.closes.length + 2);
    expect(after.closes.slice(-2)).toEqual([
      { code: 1001, reason: 'plugin unloaded' },
      { code: 1001, reason: 'plugin unloaded' },
    ]);
  });

  it('without the network grant the call fails with errorKind capability and nothing connects', async () => {
    const before = await server.stats();
    const p = await load(driver, ['filesystem', 'midi', 'subprocess', 'systemcontrol'], { allowedHosts: [`127.0.0.1:${server.port}`] });
    const r = p.runtime.execute(`o${JSON.stringify({ url: server.url })}`);
    expect(r).toMatchObject({ ok: false, errorKind: 'capability', error: 'conductor.ws_open needs the "network" capability, which is not granted' });
    expect((await server.stats()).connections).toBe(before.connections);
  });
});

describe('conductor.ws_* in a real sandbox process (dist/sandbox.js)', () => {
  let dir: string;
  let wasmPath: string;
  let sha256: string;
  const sandboxes: SandboxProcess[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'conductor-ws-'));
    wasmPath = join(dir, 'ws-driver.wasm');
    writeFileSync(wasmPath, driver);
    sha256 = createHash('sha256').update(driver).digest('hex');
  });
  afterEach(async () => {
    for (const s of sandboxes.splice(0)) await s.exit(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function execute(s: SandboxProcess, input: string): Promise<CallResult> {
    const reply = await s.request({ type: 'execute', input }, 30_000);
    if (reply.type !== 'result') throw new Error(`unexpected reply ${reply.type}`);
    return reply.result;
  }

  it('keeps a socket between calls, receives while idle, and closes it when the process exits', async () => {
    const s = new SandboxProcess(forkSpawner(defaultSandboxEntry(), 'test'));
    sandboxes.push(s);
    await s.ready;
    const config = { limits: { ...DEFAULT_LIMITS }, grants: ['network' as const], dataDir: null, allowedHosts: [`127.0.0.1:${server.port}`] };
    expect((await s.request({ type: 'load', name: 'ws-driver', wasmPath, sha256, config }, 30_000)).type).toBe('loaded');
    const opened = logged(await execute(s, `o${JSON.stringify({ url: server.url, protocols: ['chat'] })}`));
    expect(opened).toMatchObject({ protocol: 'chat' });
    const h = opened.handle as number;
    expect((await execute(s, `s${h} quiet`)).code).toBe(0);
    await server.until((st) => st.received.some((m) => m.data === 'quiet'));
    const before = await server.stats();
    await server.send('while idle');
    expect(logged(await execute(s, `r${h} 2000 65536`))).toEqual({ type: 'text', data: 'while idle' });
    expect((await execute(s, `s${h} echo me`)).code).toBe(0);
    expect(logged(await execute(s, `r${h} 2000 65536`))).toEqual({ type: 'text', data: 'echo me' });
    expect((await s.request({ type: 'shutdown' }, 30_000)).type).toBe('shut-down');
    const after = await server.until((st) => st.closes.length > before.closes.length);
    expect(after.closes.at(-1)).toEqual({ code: 1001, reason: 'plugin unloaded' });
  });
});
