// conductor.http_request's policy pieces (the allowed_hosts matcher, the address check, request parsing) and the
// client's DNS path against a real local server with fixed DNS answers; the plugin-level requests are in host-functions-http.integration.test.ts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HOST_LIMITS } from '../common/import-catalogue';
import { addressRefusal, BlockingHttpClient, hostAllowed, parseHttpRequest, type HttpClientOptions, type HttpResponse } from './http-client';
import { startTestHttpServer, type TestHttpServer } from './test-support/http-test-server';

const allowed = (url: string, hosts: string[]) => hostAllowed(new URL(url), hosts);

describe('hostAllowed', () => {
  it('allows any host name when the list is empty or holds "*" (addresses are checked separately)', () => {
    expect(allowed('https://anything.example/', [])).toBe(true);
    expect(allowed('http://10.0.0.1:8080/', ['*'])).toBe(true);
  });

  it('matches host names exactly and case-insensitively', () => {
    expect(allowed('https://API.Example.com/v1', ['api.example.com'])).toBe(true);
    expect(allowed('https://api.example.com/v1', ['API.EXAMPLE.COM'])).toBe(true);
    expect(allowed('https://example.com/', ['api.example.com'])).toBe(false);
    expect(allowed('https://api.example.com.evil.net/', ['api.example.com'])).toBe(false);
    expect(allowed('https://evilapi.example.com/', ['api.example.com'])).toBe(false);
  });

  it('supports *.domain for subdomains only', () => {
    expect(allowed('https://a.b.example.com/', ['*.example.com'])).toBe(true);
    expect(allowed('https://example.com/', ['*.example.com'])).toBe(false);
    expect(allowed('https://notexample.com/', ['*.example.com'])).toBe(false);
  });

  it('restricts to a port when the entry has one (default ports included)', () => {
    expect(allowed('http://127.0.0.1:8080/', ['127.0.0.1:8080'])).toBe(true);
    expect(allowed('http://127.0.0.1:8081/', ['127.0.0.1:8080'])).toBe(false);
    expect(allowed('https://example.com/', ['example.com:443'])).toBe(true);
    expect(allowed('http://example.com/', ['example.com:443'])).toBe(false);
    expect(allowed('http://127.0.0.1:9/', ['127.0.0.1'])).toBe(true);
  });

  it('handles IPv6 literals and never matches unparseable entries', () => {
    expect(allowed('http://[::1]:3000/', ['[::1]'])).toBe(true);
    expect(allowed('http://[::1]:3000/', ['[::1]:3000'])).toBe(true);
    expect(allowed('http://[::1]:3000/', ['[::2]'])).toBe(false);
    expect(allowed('https://example.com/', ['example.com/path', 'user@example.com', 'exa mple.com', '', '*.'])).toBe(false);
  });

  it('compares IDN hosts in their ASCII form', () => {
    expect(allowed('https://bücher.example/', ['bücher.example'])).toBe(true);
    expect(allowed('https://xn--bcher-kva.example/', ['bücher.example'])).toBe(true);
  });
});

describe('parseHttpRequest', () => {
  it('defaults the method to GET and upper-cases it', () => {
    const r = parseHttpRequest('{"url":"https://example.com/a?b=1"}');
    expect(r).toMatchObject({ method: 'GET', headers: {}, body: null });
    expect('url' in r && r.url.href).toBe('https://example.com/a?b=1');
    expect(parseHttpRequest('{"method":"delete","url":"http://x/"}')).toMatchObject({ method: 'DELETE' });
  });

  it('refuses non-http schemes as denied and malformed requests as invalid', () => {
    expect(parseHttpRequest('{"url":"file:///etc/passwd"}')).toEqual({ denied: 'only http: and https: URLs are allowed, not file:' });
    expect(parseHttpRequest('{"url":"https://u:p@example.com/"}')).toHaveProperty('invalid');
    expect(parseHttpRequest('{"url":"https://example.com/","headers":{"Host":"evil"}}')).toEqual({ invalid: 'the "host" header is set from the URL' });
    expect(parseHttpRequest('[]')).toEqual({ invalid: 'request must be a JSON object' });
    expect(parseHttpRequest('{"url":"https://example.com/","body":5,"method":"POST"}')).toEqual({ invalid: '"body" must be a string' });
  });
});

const refusal = (url: string, address: string, hosts: string[]) => addressRefusal(new URL(url), address, hosts);

describe('addressRefusal', () => {
  it('allows public addresses whatever the host name (the name check is hostAllowed)', () => {
    expect(refusal('https://api.example.com/', '93.184.216.34', [])).toBeNull();
    expect(refusal('https://api.example.com/', '2606:2800:220:1::1', ['api.example.com'])).toBeNull();
    expect(refusal('http://8.8.8.8/', '8.8.8.8', [])).toBeNull();
    expect(refusal('http://[2001:4860:4860::8888]/', '2001:4860:4860::8888', ['*'])).toBeNull();
  });

  it('refuses non-public IP literals unless an entry names the literal (and its port)', () => {
    expect(refusal('http://192.168.1.1/', '192.168.1.1', [])).toBe('192.168.1.1 is a private address; name it in allowed_hosts to allow it');
    expect(refusal('http://169.254.169.254/', '169.254.169.254', ['*'])).toBe('169.254.169.254 is a link-local address; name it in allowed_hosts to allow it');
    expect(refusal('http://127.0.0.1:4455/', '127.0.0.1', ['127.0.0.1:4455'])).toBeNull();
    expect(refusal('http://127.0.0.1:4456/', '127.0.0.1', ['127.0.0.1:4455'])).toMatch(/^127\.0\.0\.1 is a loopback address/);
    expect(refusal('http://127.0.0.1:9/', '127.0.0.1', ['127.0.0.1'])).toBeNull();
    expect(refusal('http://[::1]:8080/', '::1', ['[::1]:8080'])).toBeNull();
    expect(refusal('http://[::1]:8081/', '::1', ['[::1]:8080'])).toMatch(/^\[::1\] is a loopback address/);
    expect(refusal('http://10.0.0.1/', '10.0.0.1', ['*.0.0.1', '*'])).toMatch(/is a private address/);
    // The same address written another way is another entry.
    expect(refusal('http://[::ffff:7f00:1]/', '::ffff:7f00:1', ['127.0.0.1'])).toMatch(/^\[::ffff:7f00:1\] is a loopback address/);
  });

  it('lets "localhost" reach loopback addresses only, and only when named', () => {
    expect(refusal('http://localhost:3000/', '127.0.0.1', ['localhost:3000'])).toBeNull();
    expect(refusal('http://localhost:3000/', '::1', ['LocalHost'])).toBeNull();
    expect(refusal('http://localhost:3000/', '127.0.0.1', ['localhost:3001'])).toMatch(/^localhost is a loopback address/);
    expect(refusal('http://localhost:3000/', '127.0.0.1', [])).toBe(
      'localhost is a loopback address (this computer); name "localhost" in allowed_hosts to allow it',
    );
    expect(refusal('http://localhost:3000/', '192.168.1.20', ['localhost'])).toBe(
      'localhost resolves to 192.168.1.20, a private address; "localhost" in allowed_hosts allows loopback addresses only',
    );
  });

  it('never lets a host name unlock a non-public address (DNS rebinding)', () => {
    for (const hosts of [[], ['*'], ['*.example.com'], ['obs.example.com:4455'], ['127.0.0.1:4455', 'obs.example.com']]) {
      expect(refusal('http://obs.example.com:4455/', '127.0.0.1', hosts), hosts.join()).toBe(
        'obs.example.com resolves to 127.0.0.1, a loopback address (this computer); a host name cannot unlock it, only an allowed_hosts entry naming the address itself',
      );
    }
    expect(refusal('http://nas.example.com/', 'fd12::3', ['nas.example.com'])).toMatch(/^nas\.example\.com resolves to fd12::3, a private address/);
  });
});

describe('BlockingHttpClient: the address actually connected to', () => {
  let server: TestHttpServer;
  const clients: BlockingHttpClient[] = [];
  const client = (options: HttpClientOptions) => {
    const c = new BlockingHttpClient(options);
    clients.push(c);
    return c;
  };
  const get = (c: BlockingHttpClient, url: string, hosts: string[], timeoutMs = 10_000) => {
    const parsed = parseHttpRequest(JSON.stringify({ url }));
    if (!('url' in parsed)) throw new Error(`bad request: ${JSON.stringify(parsed)}`);
    return c.request(parsed, hosts, timeoutMs, 1000);
  };
  const asResponse = (r: HttpResponse | { denied: string }): HttpResponse => {
    if ('denied' in r) throw new Error(`denied: ${r.denied}`);
    return r;
  };

  beforeAll(async () => {
    server = await startTestHttpServer(HOST_LIMITS.httpBodyBytes);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(() => server.close());

  it('refuses a name that resolves to loopback, even when allowed_hosts names it, without connecting', async () => {
    const c = client({ dnsAnswers: { 'obs.example.test': ['127.0.0.1'], 'six.example.test': ['::1', '::ffff:127.0.0.1'] } });
    const before = await server.stats();
    for (const hosts of [[], ['*'], ['*.example.test'], [`obs.example.test:${server.port}`, `six.example.test:${server.port}`]]) {
      expect(get(c, `http://obs.example.test:${server.port}/hello`, hosts), hosts.join()).toEqual({
        denied: 'obs.example.test resolves to 127.0.0.1, a loopback address (this computer); a host name cannot unlock it, only an allowed_hosts entry naming the address itself',
      });
      expect(get(c, `http://six.example.test:${server.port}/hello`, hosts), hosts.join()).toHaveProperty('denied');
    }
    const after = await server.stats();
    expect([after.connections, after.seen.length]).toEqual([before.connections, before.seen.length]);
  });

  it('connects a name only to the answers that passed the check', async () => {
    // 203.0.113.7 (TEST-NET-3) counts as public: the request is made there (whatever the network does with it: an
    // error, a timeout, or an intercepting proxy's answer), and never to 127.0.0.1.
    const c = client({ dnsAnswers: { 'mixed.example.test': ['127.0.0.1', '203.0.113.7'] } });
    const before = await server.stats();
    const res = asResponse(get(c, `http://mixed.example.test:${server.port}/hello`, [], 3000));
    expect(res.body).not.toBe('hello from the server');
    const after = await server.stats();
    expect([after.connections, after.seen.length]).toEqual([before.connections, before.seen.length]);
  });

  it('lets a named "localhost" reach its loopback answers, and nothing else', async () => {
    const before = await server.stats();
    const loopback = client({ dnsAnswers: { localhost: ['127.0.0.1'] } });
    const res = asResponse(get(loopback, `http://localhost:${server.port}/hello`, [`localhost:${server.port}`]));
    expect(res).toMatchObject({ status: 200, body: 'hello from the server' });
    expect(get(loopback, `http://localhost:${server.port}/hello`, [])).toHaveProperty('denied');
    const elsewhere = client({ dnsAnswers: { localhost: ['10.9.8.7'] } });
    expect(get(elsewhere, `http://localhost:${server.port}/hello`, ['localhost'])).toEqual({
      denied: 'localhost resolves to 10.9.8.7, a private address; "localhost" in allowed_hosts allows loopback addresses only',
    });
    // The socket goes to the checked answer, not to a second lookup: the server listens on 127.0.0.1 only.
    const pinned = client({ dnsAnswers: { localhost: ['127.0.0.2'] } });
    const miss = asResponse(get(pinned, `http://localhost:${server.port}/hello`, ['localhost'], 3000));
    expect(miss).toMatchObject({ status: null, body: '' });
    expect(miss.error).toMatch(/127\.0\.0\.2|timed out/);
    const after = await server.stats();
    expect(after.seen.slice(before.seen.length).map((s) => [s.url, s.headers.host])).toEqual([['/hello', `localhost:${server.port}`]]);
  });

  it('reports a name that does not resolve as an error result', () => {
    const res = asResponse(get(client({}), 'http://no-such-host.invalid/', [], 3000));
    expect(res).toMatchObject({ status: null, headers: {}, body: '' });
    expect(res.error).toMatch(/^could not resolve no-such-host\.invalid: /);
  });
});
