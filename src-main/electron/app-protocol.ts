// Serves the built renderer (dist/renderer) on conductor://app/ with the CSP as a real response header.
// Electron-only glue: the URL → file rules are in app-origin.ts. Never serves a file outside the renderer dir.
import { readFile } from 'node:fs/promises';
import { protocol, type Session } from 'electron';
import { APP_SCHEME, CONTENT_SECURITY_POLICY, appResponseHeaders, resolveAppFile } from './app-origin';

/** Must run before `app` is ready: makes conductor:// a standard, secure origin (so 'self' in the CSP means it). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' },
  });
}

/**
 * Answers conductor://app/… from `rendererDir` in `session`. (webRequest's header hooks do not run for custom
 * protocols, so the CSP is set here, on every response, including errors.)
 */
export function serveRenderer(session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const file = resolveAppFile(request.url, rendererDir);
    if (!file) return plain(404, 'not found');
    try {
      const body = await readFile(file);
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers: appResponseHeaders(file) });
    } catch {
      return plain(404, 'not found');
    }
  });
}
