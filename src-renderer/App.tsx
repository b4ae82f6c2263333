// The app shell: sidebar, the current view, status bar and toasts; applies the theme to the document.
import { useEffect } from 'react';
import { ApprovalDialog } from './components/ApprovalDialog';
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

export function App() {
  const theme = useApp((s) => s.theme);
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar />
      <main id="main" className="main" tabIndex={-1}>
        <CurrentView />
      </main>
      <StatusBar />
      <Toasts />
      <ApprovalDialog />
    </div>
  );
}
