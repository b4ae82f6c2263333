// The UI services: handlers for every call of the contract, the event bridge and the dispatcher every transport uses.
// Re-exports only; never add logic here.
export { createHandlers, listPluginInfos, pluginInfo, appVersion, type HandlerInfo } from './handlers';
export { bridgeEvents, type BridgeOptions, type EmitEvent } from './events';
export { dispatch } from './dispatch';
export { configShapeIssues } from './config-shape';
