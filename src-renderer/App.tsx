// The app shell: sidebar, the current view, status bar and toasts; applies the theme to the document; a plugin's
// files dropped anywhere on the window are installed (the Plugins view shows how it went).
import { useEffect, useState } from 'react';
import { ApprovalDialog } from './components/ApprovalDialog';
import { MidiNotice } from './components/MidiNotice';
import { useDraftKeys } from './components/draft-keys';
import { useGamepadWindow } from './gamepad/use-gamepad-window';
import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { Toasts } from './components/Toasts';
import { useApp } from './store/context';
import { ConsoleView } from './views/ConsoleView';
import { DevicesView } from './views/DevicesView';
import { MappingsView } from './views/MappingsView';
import { PluginsView } from './views/PluginsView';
import { SettingsView } from './views/SettingsView';

function CurrentView() {
  const view = useApp((s) => s.view);
  switch (view) {
    case 'devices':
      return <DevicesView />;
    case 'mappings':
      return <MappingsView />;
    case 'plugins':
      return <PluginsView />;
    case 'console':
      return <ConsoleView />;
    case 'settings':
      return <SettingsView />;
  }
}

/** Files dragged over the window (not text or links): the only drags the window takes. */
function draggingFiles(e: React.DragEvent): boolean {
  return [...e.dataTransfer.types].includes('Files');
}

export function App() {
  const theme = useApp((s) => s.theme);
  const setView = useApp((s) => s.setView);
  const installFiles = useApp((s) => s.installPluginFiles);
  const [dropping, setDropping] = useState(false);
  useDraftKeys();
  useGamepadWindow();
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
  // A plugin's files dropped anywhere on the window install it (the Plugins view shows the outcome). Taking every
  // file drag also keeps the browser from opening a dropped file in place of the app.
  return (
    <div
      className={`app${dropping ? ' drop-active' : ''}`}
      data-testid="app-root"
      onDragOver={(e) => {
        if (!draggingFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDropping(true);
      }}
      onDragLeave={(e) => {
        if (e.relatedTarget === null || !e.currentTarget.contains(e.relatedTarget as Node)) setDropping(false);
      }}
      onDrop={(e) => {
        if (!draggingFiles(e)) return;
        e.preventDefault();
        setDropping(false);
        const files = [...e.dataTransfer.files];
        if (files.length === 0) return;
        setView('plugins');
        void installFiles(files);
      }}
    >
      {dropping ? (
        <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
          Drop the plugin&rsquo;s <code>.wasm</code> (with its <code>.wasm.sig</code> and <code>plugin.toml</code>) to install it
        </div>
      ) : null}
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar />
      <main id="main" className="main" tabIndex={-1}>
        <MidiNotice />
        <CurrentView />
      </main>
      <StatusBar />
      <Toasts />
      <ApprovalDialog />
    </div>
  );
}
