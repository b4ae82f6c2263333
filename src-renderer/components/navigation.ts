// Views addressable by the URL hash (#/devices … #/settings, and #/mappings/list for the Mappings view's list; back/forward
// switch views, a reload keeps the view) and the content scrolled to the top on every view switch. Must never drop the hash's other parts: browser mode's
// `token=…` lives there too (`#/plugins&token=…`, still read by ipc/client's webSocketUrl).
import { MAPPINGS_PANES, VIEWS, type AppState, type AppStore, type MappingsPane, type View } from '../store/types';

function parts(hash: string): string[] {
  return hash
    .replace(/^#/, '')
    .split('&')
    .filter((p) => p !== '');
}

function isView(name: string): name is View {
  return (VIEWS as readonly string[]).includes(name);
}

/** Where a hash points: a view, and for Mappings which pane (`#/mappings` = the controller, `#/mappings/list`). */
export interface HashPlace {
  view: View;
  /** Only for 'mappings' (null otherwise). */
  pane: MappingsPane | null;
}

/** The place the hash names (`#/plugins`, `#/mappings/list&token=…`, `#token=…&/plugins`), or null. */
export function placeFromHash(hash: string): HashPlace | null {
  for (const p of parts(hash)) {
    if (!p.startsWith('/')) continue;
    const [name = '', sub] = p.slice(1).split('/');
    if (!isView(name)) return null;
    if (name !== 'mappings') return { view: name, pane: null };
    return { view: name, pane: sub !== undefined && (MAPPINGS_PANES as readonly string[]).includes(sub) ? (sub as MappingsPane) : 'controller' };
  }
  return null;
}

/** The view the hash names, or null. */
export function viewFromHash(hash: string): View | null {
  return placeFromHash(hash)?.view ?? null;
}

/** The hash naming `view` (and the Mappings list pane), keeping every other part as it was (the token first among them). */
export function hashWithView(hash: string, view: View, pane: MappingsPane | null = null): string {
  const rest = parts(hash).filter((p) => !p.startsWith('/'));
  const path = view === 'mappings' && pane === 'list' ? 'mappings/list' : view;
  return `#/${path}${rest.length > 0 ? `&${rest.join('&')}` : ''}`;
}

function placeOf(s: Pick<AppState, 'view' | 'mappingsPane'>): HashPlace {
  return { view: s.view, pane: s.view === 'mappings' ? s.mappingsPane : null };
}

function samePlace(a: HashPlace | null, b: HashPlace): boolean {
  return a !== null && a.view === b.view && a.pane === b.pane;
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
  const initial = placeFromHash(win.location.hash);
  if (initial && initial.view !== store.getState().view) store.setState({ view: initial.view });
  if (initial?.pane && initial.pane !== store.getState().mappingsPane) store.setState({ mappingsPane: initial.pane });
  const start = placeOf(store.getState());
  const wanted = hashWithView(win.location.hash, start.view, start.pane);
  if (wanted !== win.location.hash) win.history.replaceState(null, '', wanted);

  const onLocation = (): void => {
    const place = placeFromHash(win.location.hash);
    if (!place) return;
    const s = store.getState();
    if (place.pane && place.pane !== s.mappingsPane) s.setMappingsPane(place.pane);
    if (place.view !== s.view) s.setView(place.view);
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.view === prev.view && (s.view !== 'mappings' || s.mappingsPane === prev.mappingsPane)) return;
    if (s.view !== prev.view) {
      const main = win.document.getElementById('main');
      if (main) {
        main.scrollTop = 0;
        main.scrollLeft = 0;
      }
    }
    const place = placeOf(s);
    if (!samePlace(placeFromHash(win.location.hash), place)) win.history.pushState(null, '', hashWithView(win.location.hash, place.view, place.pane));
  });
  win.addEventListener('popstate', onLocation);
  win.addEventListener('hashchange', onLocation);
  return () => {
    unsubscribe();
    win.removeEventListener('popstate', onLocation);
    win.removeEventListener('hashchange', onLocation);
  };
}
