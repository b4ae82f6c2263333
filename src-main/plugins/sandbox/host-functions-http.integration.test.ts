// conductor.http_request (the network grant) in a real PluginRuntime: the C fixture `net` and WAT probes against a
// real local HTTP server — allowed_hosts, local-address refusal, redirects, body cap, deadline, request checks.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HOST_ERROR, HOST_LIMITS } from '../common/import-catalogue';
import { startTestHttpServer, type ServerStats, type TestHttpServer } from './test-support/http-test-server';
import { fixtureBytes, passthrough, pluginLoader, probe, response } from './test-support/plugin-loader';

const net = fixtureBytes('net');

const { load, shutdownAll } = pluginLoader();
afterEach(shutdownAll);

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
