// conductor.http_request's policy pieces: the allowed_hosts matcher and request parsing (no network here;
// the real requests are in host-functions.test.ts).
import { describe, expect, it } from 'vitest';
import { hostAllowed, parseHttpRequest } from './http-client';

const allowed = (url: string, hosts: string[]) => hostAllowed(new URL(url), hosts);

describe('hostAllowed', () => {
  it('allows any host when the list is empty or holds "*"', () => {
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
