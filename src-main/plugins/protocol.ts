// The message protocol between the plugin host (main process) and a sandbox process.
// Types only; both sides import it. Messages travel by structured clone — never functions or handles.
import type { CallResult, PluginHostEvent } from '../../src-shared/plugin';
import type { LoadReport, RuntimeConfig } from './sandbox/runtime';

export type ToSandbox =
  /** The sandbox reads the file itself (sending ~100 KB over IPC cost 7–15 ms) and refuses it unless its
   *  SHA-256 is the one the host verified. */
  | { type: 'load'; id: number; name: string; wasmPath: string; sha256: string; config: RuntimeConfig }
  | { type: 'execute'; id: number; input: string }
  | { type: 'shutdown'; id: number };

export type FromSandbox =
  | { type: 'ready'; pid: number }
  | { type: 'loaded'; id: number; report: LoadReport }
  | { type: 'load-failed'; id: number; error: string }
  | { type: 'result'; id: number; result: CallResult }
  | { type: 'shut-down'; id: number; log: string[] }
  /** Unsolicited: the plugin asked the host to do something (conductor.midi_send, conductor.notify) during a call;
   *  sent before that call's `result`. */
  | { type: 'host-event'; event: PluginHostEvent };
