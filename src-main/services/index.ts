// The UI services: setupServices (the learner, the handlers for every call of the contract and the event bridge,
// wired once for every transport), and the parts it is built from. Re-exports only; never add logic here.
export { setupServices, type ServiceEndpoint, type Services, type ServicesOptions } from './setup';
export { createHandlers, listPluginInfos, pluginInfo, appVersion, type HandlerInfo } from './handlers';
export { bridgeEvents, type BridgeOptions, type EmitEvent } from './events';
export { dispatch } from './dispatch';
export { configShapeIssues } from './config-shape';
