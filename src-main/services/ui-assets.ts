// How the built UI (dist/renderer) is served, whichever shell serves it (Electron's conductor:// protocol or browser
// mode's HTTP server): the content type of each file and the Content-Security-Policy. Pure data; serves nothing.
import { extname } from 'node:path';

/**
 * The UI's CSP: only our own scripts, styles (inline allowed for React style props), images and — where the shell
 * needs one — the socket it talks over (`connectSrc`, e.g. browser mode's `ws://127.0.0.1:*`).
 */
export function uiContentSecurityPolicy(connectSrc: string | null = null): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    ...(connectSrc === null ? [] : [`connect-src 'self' ${connectSrc}`]),
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
});

/** The Content-Type of a UI file by its extension (unknown → application/octet-stream, never sniffed). */
export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}
