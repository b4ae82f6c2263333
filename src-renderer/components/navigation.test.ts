import { afterEach, describe, expect, it } from 'vitest';
import { webSocketUrl } from '../ipc/client';
import { FakeApi, loadHandlers } from '../test-support/fake-api';
import { createAppStore } from '../store/index';
import { hashWithView, placeFromHash, startNavigation, viewFromHash, type NavigationWindow } from './navigation';

describe('view hash', () => {
  it('reads the view wherever it stands among the parts, and nothing else as one', () => {
    expect(viewFromHash('#/plugins')).toBe('plugins');
    expect(viewFromHash('#/console&token=abc')).toBe('console');
    expect(viewFromHash('#token=abc&/settings')).toBe('settings');
    expect(viewFromHash('#token=abc')).toBeNull();
    expect(viewFromHash('')).toBeNull();
    expect(viewFromHash('#/nope&token=abc')).toBeNull();
    expect(viewFromHash('#/')).toBeNull();
  });

  it('writes the view first and keeps the token, which the socket URL still finds', () => {
    expect(hashWithView('#token=a%2Bb', 'plugins')).toBe('#/plugins&token=a%2Bb');
    expect(hashWithView('#/plugins&token=a%2Bb', 'console')).toBe('#/console&token=a%2Bb');
    expect(hashWithView('', 'devices')).toBe('#/devices');
    const hash = hashWithView('#token=a%2Bb', 'mappings');
    expect(webSocketUrl({ protocol: 'http:', host: 'h:1', hash })).toBe('ws://h:1/ws?token=a%2Bb');
  });
});

class FakeWindow implements NavigationWindow {
  entries: string[];
  index = 0;
  listeners = new Map<string, Set<() => void>>();
  main = { scrollTop: 0, scrollLeft: 0 };
  constructor(hash: string) {
    this.entries = [hash];
  }
  get location() {
    return { hash: this.entries[this.index]! };
  }
  history = {
    pushState: (_d: unknown, _u: string, url: string) => {
      this.entries = [...this.entries.slice(0, this.index + 1), url];
      this.index++;
    },
    replaceState: (_d: unknown, _u: string, url: string) => {
      this.entries[this.index] = url;
    },
  };
  document = { getElementById: (id: string) => (id === 'main' ? this.main : null) };
  addEventListener(type: string, l: () => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(l);
  }
  removeEventListener(type: string, l: () => void) {
    this.listeners.get(type)?.delete(l);
  }
  back() {
    this.index--;
    for (const l of this.listeners.get('popstate') ?? []) l();
  }
}

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
});

describe('startNavigation', () => {
  it('opens the view the hash names and keeps the token in place', () => {
    const store = createAppStore(new FakeApi(loadHandlers()).api);
    const win = new FakeWindow('#/plugins&token=t');
    stop = startNavigation(store, win);
    expect(store.getState().view).toBe('plugins');
    expect(win.entries).toEqual(['#/plugins&token=t']);
  });

  it('names the view in a hash that has only the token (replacing, not adding, a history entry)', () => {
    const store = createAppStore(new FakeApi(loadHandlers()).api);
    const win = new FakeWindow('#token=t');
    stop = startNavigation(store, win);
    expect(store.getState().view).toBe('mappings'); // the default view: the controller at once
    expect(win.entries).toEqual(['#/mappings&token=t']);
  });

  it('pushes an entry per switch, goes back on popstate, and scrolls #main to the top each time', () => {
    const store = createAppStore(new FakeApi(loadHandlers()).api);
    const win = new FakeWindow('#token=t');
    stop = startNavigation(store, win);
    win.main.scrollTop = 500;
    store.getState().setView('console');
    expect(win.entries).toEqual(['#/mappings&token=t', '#/console&token=t']);
    expect(win.main.scrollTop).toBe(0);
    win.main.scrollTop = 300;
    win.back();
    expect(store.getState().view).toBe('mappings');
    expect(win.main.scrollTop).toBe(0);
    // going back did not push a new entry
    expect(win.entries).toHaveLength(2);
    expect(win.index).toBe(0);
  });

  it('keeps the Mappings view’s pane in the hash (#/mappings/list), reads it on load and walks it with back', () => {
    expect(placeFromHash('#/mappings/list&token=t')).toEqual({ view: 'mappings', pane: 'list' });
    expect(placeFromHash('#/mappings')).toEqual({ view: 'mappings', pane: 'controller' });
    expect(placeFromHash('#/mappings/nope')).toEqual({ view: 'mappings', pane: 'controller' });
    expect(placeFromHash('#/plugins/list')).toEqual({ view: 'plugins', pane: null });
    expect(hashWithView('#token=t', 'mappings', 'list')).toBe('#/mappings/list&token=t');
    expect(hashWithView('#token=t', 'plugins', 'list')).toBe('#/plugins&token=t');
    const store = createAppStore(new FakeApi(loadHandlers()).api);
    const win = new FakeWindow('#/mappings/list&token=t');
    stop = startNavigation(store, win);
    expect(store.getState().view).toBe('mappings');
    expect(store.getState().mappingsPane).toBe('list');
    store.getState().setMappingsPane('controller');
    expect(win.entries).toEqual(['#/mappings/list&token=t', '#/mappings&token=t']);
    store.getState().setView('console');
    store.getState().setMappingsPane('list');
    expect(win.entries).toEqual(['#/mappings/list&token=t', '#/mappings&token=t', '#/console&token=t']);
    win.back();
    expect(store.getState().view).toBe('mappings');
    expect(store.getState().mappingsPane).toBe('controller');
    win.back();
    expect(store.getState().mappingsPane).toBe('list');
    expect(win.entries).toHaveLength(3);
  });

  it('stops listening when stopped', () => {
    const store = createAppStore(new FakeApi(loadHandlers()).api);
    const win = new FakeWindow('#/settings');
    startNavigation(store, win)();
    store.getState().setView('mappings');
    expect(win.entries).toEqual(['#/settings']);
  });
});
