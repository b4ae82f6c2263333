import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  appResponseHeaders,
  isAllowedNavigation,
  isExternalLinkAllowed,
  isTrustedSenderUrl,
  resolveAppFile,
  unpackedPath,
} from './app-origin';

describe('isTrustedSenderUrl', () => {
  it('accepts frames of our renderer', () => {
    expect(isTrustedSenderUrl(APP_ENTRY_URL)).toBe(true);
    expect(isTrustedSenderUrl('conductor://app/index.html#/mappings')).toBe(true);
    expect(isTrustedSenderUrl('conductor://app/')).toBe(true);
  });

  it.each([
    [undefined],
    [null],
    [''],
    ['not a url'],
    ['about:blank'],
    ['data:text/html,<script>1</script>'],
    ['file:///home/user/dist/renderer/index.html'],
    ['https://app/index.html'],
    ['http://127.0.0.1:5173/'],
    ['conductor://evil/index.html'],
    ['conductor://app.evil.com/index.html'],
    ['conductor://user:pw@app/index.html'],
    ['conductor://app:8080/index.html'],
    ['javascript:alert(1)'],
  ])('refuses %s', (url) => {
    expect(isTrustedSenderUrl(url)).toBe(false);
  });
});

describe('isAllowedNavigation', () => {
  it('allows reloading the same document only', () => {
    expect(isAllowedNavigation(APP_ENTRY_URL, APP_ENTRY_URL)).toBe(true);
    expect(isAllowedNavigation(APP_ENTRY_URL, `${APP_ENTRY_URL}#/plugins`)).toBe(true);
    expect(isAllowedNavigation(APP_ENTRY_URL, 'conductor://app/other.html')).toBe(false);
    expect(isAllowedNavigation(APP_ENTRY_URL, 'https://example.com/')).toBe(false);
    expect(isAllowedNavigation(APP_ENTRY_URL, 'file:///etc/passwd')).toBe(false);
    expect(isAllowedNavigation('https://example.com/', 'https://example.com/')).toBe(false);
  });
});

describe('isExternalLinkAllowed', () => {
  it('opens https links only', () => {
    expect(isExternalLinkAllowed('https://github.com/conductor')).toBe(true);
    expect(isExternalLinkAllowed('http://example.com/')).toBe(false);
    expect(isExternalLinkAllowed('file:///etc/passwd')).toBe(false);
    expect(isExternalLinkAllowed('smb://host/share')).toBe(false);
    expect(isExternalLinkAllowed('javascript:alert(1)')).toBe(false);
    expect(isExternalLinkAllowed('https://user:pw@example.com/')).toBe(false);
    expect(isExternalLinkAllowed('nonsense')).toBe(false);
  });
});

describe('resolveAppFile', () => {
  const root = resolve('/srv/conductor/dist/renderer');

  it('serves files under the renderer root, / as index.html', () => {
    expect(resolveAppFile('conductor://app/', root)).toBe(join(root, 'index.html'));
    expect(resolveAppFile('conductor://app/index.html?x=1#y', root)).toBe(join(root, 'index.html'));
    expect(resolveAppFile('conductor://app/assets/index-abc.js', root)).toBe(join(root, 'assets', 'index-abc.js'));
    expect(resolveAppFile('conductor://app/assets/a%20b.css', root)).toBe(join(root, 'assets', 'a b.css'));
  });

  it('never leaves the root or serves another host', () => {
    // The URL parser folds encoded dot segments (%2e%2e) like literal ones: what is left stays under the root.
    expect(resolveAppFile('conductor://app/%2e%2e/%2e%2e/etc/passwd', root)).toBe(join(root, 'etc', 'passwd'));
    expect(resolveAppFile('conductor://app/assets/..%2f..%2f..%2fsecret', root)).toBeNull();
    expect(resolveAppFile('conductor://app/..%5c..%5csecret', root)).toBeNull();
    expect(resolveAppFile('conductor://app/%00', root)).toBeNull();
    expect(resolveAppFile('conductor://app/%E0%A4%A', root)).toBeNull();
    expect(resolveAppFile('conductor://other/index.html', root)).toBeNull();
    expect(resolveAppFile('file:///srv/conductor/dist/renderer/index.html', root)).toBeNull();
  });

  it('normalises dot segments that stay inside the root', () => {
    // The URL parser already removes literal dot segments; what is left must stay under the root.
    const file = resolveAppFile('conductor://app/../../etc/passwd', root);
    expect(file === null || file.startsWith(root)).toBe(true);
  });
});

describe('response headers', () => {
  it('carry the strict CSP on every response', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    const headers = appResponseHeaders('/x/index.html');
    expect(headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(appResponseHeaders('/x/a.js')['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(appResponseHeaders('/x/a.bin')['Content-Type']).toBe('application/octet-stream');
  });
});

describe('unpackedPath', () => {
  it('points into app.asar.unpacked inside a packaged app, and leaves other paths alone', () => {
    expect(unpackedPath('/opt/Conductor/resources/app.asar/dist/sandbox.js')).toBe('/opt/Conductor/resources/app.asar.unpacked/dist/sandbox.js');
    expect(unpackedPath('C:\\Conductor\\resources\\app.asar\\dist\\sandbox.js')).toBe('C:\\Conductor\\resources\\app.asar.unpacked\\dist\\sandbox.js');
    expect(unpackedPath('/home/me/conductor/dist/sandbox.js')).toBe('/home/me/conductor/dist/sandbox.js');
  });
});
