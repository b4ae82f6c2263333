// Electron's security checklist applied once for the whole app: CSP on every HTTP(S) response, all permissions
// denied, no downloads, no <webview>, no navigation away from the UI, no new windows (https links go to the browser).
// Electron-only glue; the URL rules are in app-origin.ts (unit-tested). Never loosens a check for convenience.
import { app, shell, type Session, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY, isAllowedNavigation, isExternalLinkAllowed } from './app-origin';

/** Session-wide: permissions (request and check) always false, no downloads, our CSP on every response with headers. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => event.preventDefault());
  // Our own pages come from conductor:// (CSP set by the protocol handler: these hooks do not run for custom
  // schemes); anything else that ever loads with headers gets the same policy, replacing its own.
  session.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') responseHeaders[name] = value;
    }
    responseHeaders['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders });
  });
}

function openIfSafe(url: string): void {
  if (isExternalLinkAllowed(url)) void shell.openExternal(url);
}

function hardenContents(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('will-navigate', (event) => {
    if (isAllowedNavigation(contents.getURL(), event.url)) return;
    event.preventDefault();
    openIfSafe(event.url);
  });
  // The UI has no frames: any subframe navigation is someone else's content.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(contents.getURL(), event.url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openIfSafe(url);
    return { action: 'deny' };
  });
}

/** Every web contents the app ever creates (the window, any frame) gets the navigation and window rules. */
export function hardenAllWebContents(): void {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
}
