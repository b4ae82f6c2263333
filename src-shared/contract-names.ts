// The contract's call and event names without the schemas (so the preload does not bundle zod): the API's verbs are
// built from them, `namespace.verb` each (src-shared/api.ts). Pure data — no Node, Electron or DOM.

export const CALL_NAMES = [
  'app.info',
  'app.uiState',
  'app.setUiState',
  'app.paused',
  'app.setPaused',
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
  'plugins.settings',
  'plugins.saveSettings',
  'plugins.oauthConnect',
  'plugins.oauthDisconnect',
  'trust.listKeys',
  'trust.addKey',
  'trust.removeKey',
  'trust.getPolicy',
  'trust.setPolicy',
  'system.apps',
  'layouts.get',
  'layouts.save',
] as const;
export type CallName = (typeof CALL_NAMES)[number];

/** Event streams, main → UI; each is `namespace.didX` and its subscribe verb `onDidX`. */
export const EVENT_NAMES = [
  'engine.didEmitEvent',
  'devices.didChange',
  'config.didChange',
  'learn.didChange',
  'plugins.didChange',
  'plugins.didChangeStats',
  'plugins.didRequestApproval',
  'plugins.didNotify',
  'virtual.didChangeLight',
  'layouts.didChange',
  'app.didChangePaused',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

