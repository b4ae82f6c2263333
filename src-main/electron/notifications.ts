// Plugin notifications (systemcontrol `notify`) as desktop notifications, naming the plugin that sent them.
// Electron-only glue; rate limits and capability checks happen in the plugin host, never here.
import { Notification } from 'electron';
import type { Core } from '../app/core';

export function showPluginNotifications(core: Core): () => void {
  return core.onDidRequestNotification(({ pluginId, title, body }) => {
    if (!Notification.isSupported()) return;
    new Notification({ title: `${title} — ${pluginId}`, body, silent: false }).show();
  });
}
