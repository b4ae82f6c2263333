// The engine's public surface for the app, the headless `conductor run` and benchmarks.
// Re-exports only; never add logic here.
export { Engine, type EngineOptions, type ModeSwitchResult } from './engine';
export type { EngineEventListener } from './event-log';
export type { MidiOut, PluginCaller, PluginSource, Env } from '../actions/types';
