// Renderer entry: picks the IPC transport, builds the store, starts the bridge, renders the app.
// Runs sandboxed in Electron and in a plain browser alike: DOM only, no Node, no inline scripts.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startNavigation } from './components/navigation';
import { createClient } from './ipc/client';
import { startBridge } from './store/bridge';
import { startFirstRunTracking } from './store/slices/first-run';
import { StoreContext } from './store/context';
import { createAppStore } from './store';
import type { Theme } from './store/types';
import './styles.css';

const THEME_KEY = 'conductor.theme';

const client = createClient();
const store = createAppStore(client.api);

try {
  const saved = localStorage.getItem(THEME_KEY);
  if (saved === 'light' || saved === 'dark' || saved === 'system') store.setState({ theme: saved satisfies Theme });
} catch {
  // storage unavailable (e.g. disabled): the theme just is not remembered
}
store.subscribe((s, prev) => {
  if (s.theme === prev.theme) return;
  try {
    localStorage.setItem(THEME_KEY, s.theme);
  } catch {
    // see above
  }
});

startBridge(store, client);
// The first-run guide's steps tick from what the store sees (a press, the Console, a saved mapping).
startFirstRunTracking(store);
// The view named by the URL hash (#/plugins …), back/forward between views, scroll reset per view.
startNavigation(store, window);

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
