// Views addressable by the URL hash (#/devices … #/settings; back/forward switch views, a reload keeps the view) and
// the content scrolled to the top on every view switch. Must never drop the hash's other parts: browser mode's
// `token=…` lives there too (`#/plugins&token=…`, still read by ipc/client's webSocketUrl).
import { VIEWS, type AppStore, type View } from '../store/types';

function parts(hash: string): string[] {
  return hash
    .replace(/^#/, '')
    .split('&')
    .filter((p) => p !== '');
}

function isView(name: string): name is View {
  return (VIEWS as readonly string[]).includes(name);
}

/** The view the hash names (`#/plugins`, `#/plugins&token=…`, `#token=…&/plugins`), or null. */
export function viewFromHash(hash: string): View | null {
  for (const p of parts(hash)) {
    if (!p.startsWith('/')) continue;
    const name = p.slice(1);
    return isView(name) ? name : null;
  }
  return null;
}

/** The hash naming `view`, keeping every other part as it was (the token first among them). */
export function hashWithView(hash: string, view: View): string {
  const rest = parts(hash).filter((p) => !p.startsWith('/'));
  return `#/${view}${rest.length > 0 ? `&${rest.join('&')}` : ''}`;
}

/** What navigation needs from the window (the real one in the app; a fake in unit tests). */
export interface NavigationWindow {
  location: { hash: string };
  history: { pushState(data: unknown, unused: string, url: string): void; replaceState(data: unknown, unused: string, url: string): void };
  addEventListener(type: 'popstate' | 'hashchange', listener: () => void): void;
  removeEventListener(type: 'popstate' | 'hashchange', listener: () => void): void;
  document: { getElementById(id: string): { scrollTop: number; scrollLeft: number } | null };
}

/**
 * Takes the view from the hash (when it names one), keeps the hash in step with the store's view (a switch is a new
 * history entry, so back/forward walk the views), and scrolls `#main` to the top on every switch — before React
 * renders the new view, so a view that scrolls to something itself still can. Returns the stop function.
 */
export function startNavigation(store: AppStore, win: NavigationWindow): () => void {
  const initial = viewFromHash(win.location.hash);
  if (initial && initial !== store.getState().view) store.setState({ view: initial });
  const wanted = hashWithView(win.location.hash, store.getState().view);
  if (wanted !== win.location.hash) win.history.replaceState(null, '', wanted);

  const onLocation = (): void => {
    const view = viewFromHash(win.location.hash);
    if (view && view !== store.getState().view) store.getState().setView(view);
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.view === prev.view) return;
    const main = win.document.getElementById('main');
    if (main) {
      main.scrollTop = 0;
      main.scrollLeft = 0;
    }
    if (viewFromHash(win.location.hash) !== s.view) win.history.pushState(null, '', hashWithView(win.location.hash, s.view));
  });
  win.addEventListener('popstate', onLocation);
  win.addEventListener('hashchange', onLocation);
  return () => {
    unsubscribe();
    win.removeEventListener('popstate', onLocation);
    win.removeEventListener('hashchange', onLocation);
  };
}
