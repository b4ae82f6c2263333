// Where the desktop UI lives (conductor://app/) and the pure rules that guard it: which frames may call the core,
// which file a conductor:// URL serves, which links may leave the app. No Electron import: unit-tested under Node.
import { resolve, sep } from 'node:path';
import { contentTypeOf, uiContentSecurityPolicy } from '../services/ui-assets';

/** The renderer is served from this privileged, standard scheme (never file://, never http://). */
export const APP_SCHEME = 'conductor';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The Content-Security-Policy header sent with every response of the app (and added to any other response). */
export const CONTENT_SECURITY_POLICY = uiContentSecurityPolicy();

function parse(url: string | null | undefined): URL | null {
  if (typeof url !== 'string' || url === '') return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Whether an IPC request (or an event delivery) comes from (goes to) our own renderer: a frame whose URL is on
 * conductor://app. Anything else — a destroyed frame (no URL), file://, http(s)://, about:blank, data:, another
 * host on our scheme, credentials smuggled into the URL — is refused.
 */
export function isTrustedSenderUrl(url: string | null | undefined): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** Navigation inside the window is allowed only to the very document it shows (a reload); everything else is blocked. */
export function isAllowedNavigation(currentUrl: string, targetUrl: string): boolean {
  const current = parse(currentUrl);
  const target = parse(targetUrl);
  if (!current || !target || !isTrustedSenderUrl(targetUrl)) return false;
  return current.origin === target.origin && current.pathname === target.pathname && current.search === target.search;
}

/** Links the user clicks may open in the system browser only when they are https:// (never file:, javascript:, custom schemes). */
export function isExternalLinkAllowed(url: string): boolean {
  const parsed = parse(url);
  return parsed !== null && parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '';
}

/**
 * The file a conductor://app/… request serves from `rootDir` (the built renderer), or null when the request is for
 * another host or would leave the root (`..`, encoded separators, absolute paths). `/` serves index.html.
 */
export function resolveAppFile(requestUrl: string, rootDir: string): string | null {
  const parsed = parse(requestUrl);
  if (!parsed || !isTrustedSenderUrl(requestUrl)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const root = resolve(rootDir);
  const file = resolve(root, '.' + pathname);
  if (file !== root && !file.startsWith(root + sep)) return null;
  return file;
}

/** Headers of every response the app protocol serves: the CSP plus no MIME sniffing. */
export function appResponseHeaders(path: string): Record<string, string> {
  return {
    'Content-Type': contentTypeOf(path),
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
}

/**
 * A file inside a packaged app's `app.asar` that electron-builder unpacked (`asarUnpack`) lives in
 * `app.asar.unpacked`: processes that cannot read asar archives (the plugin sandbox) must be given that path.
 */
export function unpackedPath(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}
