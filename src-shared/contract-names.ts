// The names of the contract's calls and event streams, without the schemas: what the sandboxed preload checks
// requests against (kept apart so the preload does not bundle zod). Pure data — no Node, Electron or DOM.

export const CALL_NAMES = [
  'app.info',
  'devices.list',
  'devices.connect',
  'devices.disconnect',
  'virtual.press',
  'virtual.release',
  'virtual.knob',
  'config.get',
  'config.save',
  'engine.state',
  'engine.setMode',
  'engine.recentEvents',
  'learn.start',
  'learn.cancel',
  'plugins.list',
  'plugins.test',
  'plugins.install',
  'plugins.installFiles',
  'plugins.uninstall',
  'plugins.decide',
  'plugins.setLimits',
  'trust.listKeys',
  'trust.addKey',
  'trust.removeKey',
  'trust.getPolicy',
  'trust.setPolicy',
] as const;
export type CallName = (typeof CALL_NAMES)[number];

export const EVENT_NAMES = [
  'engine.event',
  'devices.changed',
  'config.changed',
  'learn',
  'plugins.changed',
  'plugins.approvalRequest',
  'plugins.notification',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];
