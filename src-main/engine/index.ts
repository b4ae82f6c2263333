// The engine's public surface for the app, the headless `conductor run` and benchmarks.
// Re-exports only; never add logic here.
export { Engine, type EngineOptions, type ModeSwitchResult } from './engine';
export { systemClock, systemTimer, sleep, type Clock, type Timer, type TimerId } from '../common/clock';
export type { EngineEventListener } from './event-log';
export type { EngineEventInput } from '../../src-shared/engine';
export type { MidiOut, PluginCaller, PluginSource, Env } from '../actions/types';
