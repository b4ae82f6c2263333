// Plugin notifications (systemcontrol `notify`) as desktop notifications outside Electron — browser mode and
// `conductor run` — through org.freedesktop.Notifications (busctl, else notify-send). Never runs a shell; text is argv.
import { execFile } from 'node:child_process';
import type { Core, PluginNotification } from './core';
import { log } from '../common/log';

/** How a notification reaches the desktop; resolves with null when shown, else why not. */
export type NotificationSender = (n: PluginNotification) => Promise<string | null>;

const TIMEOUT_MS = 5000;
const EXPIRE_MS = 8000;

function run(program: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(program, args, { timeout: TIMEOUT_MS, windowsHide: true }, (err, _stdout, stderr) => {
      if (!err) return resolve(null);
      const code = (err as NodeJS.ErrnoException).code;
      resolve(code === 'ENOENT' ? `${program} is not installed` : `${program}: ${(stderr || err.message).trim().split('\n')[0] ?? ''}`);
    });
  });
}

/**
 * org.freedesktop.Notifications.Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout)
 * on the session bus with busctl; notify-send where busctl is missing (or the call failed). The plugin's id is part of
 * the summary, so the user sees who asked.
 */
export const freedesktopSender: NotificationSender = async ({ pluginId, title, body }) => {
  const summary = `${title} — ${pluginId}`;
  const viaBus = await run('busctl', ['--user', 'call', 'org.freedesktop.Notifications', '/org/freedesktop/Notifications', 'org.freedesktop.Notifications', 'Notify', 'susssasa{sv}i', 'Conductor', '0', '', summary, body, '0', '0', String(EXPIRE_MS)]);
  if (viaBus === null) return null;
  const viaTool = await run('notify-send', ['--app-name=Conductor', `--expire-time=${EXPIRE_MS}`, '--', summary, body]);
  return viaTool === null ? null : `no desktop notification service (${viaBus}; ${viaTool})`;
};

/**
 * Shows the core's plugin notifications with `send`; the first failure is reported once on `warn` (a desktop without
 * a notification daemon should not flood the log). Returns the unsubscribe function.
 */
export function showDesktopNotifications(core: Pick<Core, 'onDidRequestNotification'>, send: NotificationSender = freedesktopSender, warn: (line: string) => void = (l) => log.warn(l)): () => void {
  let warned = false;
  return core.onDidRequestNotification((n) => {
    void send(n).then((problem) => {
      if (problem === null || warned) return;
      warned = true;
      warn(`conductor: plugin notifications are not shown on this desktop: ${problem}`);
    });
  });
}
