// Plugin notifications outside Electron (issue #14): delivered to org.freedesktop.Notifications on the session bus —
// here python3-dbusmock's notification daemon on a private bus the test starts — and a desktop without one is reported once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emitter } from '../../src-shared/emitter';
import { dbusPeersMissing, mockCalls, Peers } from '../plugins/sandbox/test-support/system-peers';
import type { PluginNotification } from './core';
import { freedesktopSender, showDesktopNotifications } from './desktop-notifications';

const missing = dbusPeersMissing();
if (missing) console.warn(`desktop notification tests skipped: ${missing}`);

describe.skipIf(missing !== null)('plugin notifications on the desktop (org.freedesktop.Notifications)', () => {
  let dir: string;
  let peers: Peers;
  let bus: string;
  let log: string;
  const saved = process.env.DBUS_SESSION_BUS_ADDRESS;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'conductor-notify-'));
    peers = new Peers(dir);
    bus = await peers.bus('session-bus', 'session');
    log = join(dir, 'notify.log');
    await peers.dbusmock('notifications', bus, 'org.freedesktop.Notifications', ['--template', 'notification_daemon', '--logfile', log], 'session');
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
    else process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    await peers.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the plugin\'s title (naming the plugin) and body through Notify', async () => {
    process.env.DBUS_SESSION_BUS_ADDRESS = bus;
    expect(await freedesktopSender({ pluginId: 'system-utils', title: 'Scene saved', body: 'Scene 3 "is" stored; $(id)' })).toBeNull();
    const calls = mockCalls(log).filter((c) => c.startsWith('Notify'));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toContain('"Conductor"');
    expect(calls[0]).toContain('Scene saved — system-utils');
    expect(calls[0]).toContain('$(id)'); // passed as data, never through a shell
  });

  it('a desktop without a notification service is reported once, not per notification', async () => {
    process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(dir, 'no-such-bus')}`;
    const core = new Emitter<PluginNotification>();
    const warnings: string[] = [];
    const stop = showDesktopNotifications({ onDidRequestNotification: core.event }, async (n) => `nothing for ${n.title}`, (l) => warnings.push(l));
    core.fire({ pluginId: 'p', title: 'one', body: '' });
    core.fire({ pluginId: 'p', title: 'two', body: '' });
    await new Promise((r) => setImmediate(r));
    stop();
    expect(warnings).toEqual(['conductor: plugin notifications are not shown on this desktop: nothing for one']);
    expect(await freedesktopSender({ pluginId: 'p', title: 't', body: 'b' })).toMatch(/^no desktop notification service \(busctl: /);
  });
});
