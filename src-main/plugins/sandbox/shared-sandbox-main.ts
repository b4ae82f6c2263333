// Main thread of a shared sandbox process: starts one worker thread per plugin (its own isolate, heap and metered
// instance, running serve-plugin.ts), routes each slot's messages to and from the host, terminates a worker on request
// and reports every worker's end. Never runs plugin code or reads plugin files itself: a plugin that hangs or crashes
// takes down only its own thread, and this thread stays free to answer for the others.
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { errorMessage } from '../../../src-shared/errors';
import { terminalLines } from '../../../src-shared/terminal-text';
import type { FromSandbox } from '../common/protocol';
import { connectToSharedSandboxParent } from './parent-port';
import { SpareKeeper } from './spare-keeper';

/**
 * V8 heap caps of one plugin's worker. The plugin's linear memory is outside them (capped by its own limit); what is
 * inside is the runtime's bookkeeping, logs and JSON, far below this. A small young generation keeps each idle worker
 * cheap; past the old-generation cap the worker (only) ends with an out-of-memory error.
 */
export const WORKER_RESOURCE_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 4, stackSizeMb: 4 } as const;

/**
 * V8 options of this process, set before its first worker starts, so every plugin's isolate gets them. A 1 MB
 * semi-space (young generation half) instead of V8's default: per worker, measured with 32 workers, 8.2 instead of
 * 8.9 MB; a plugin's worker allocates little per call (its wasm memory is outside the V8 heap), so scavenges stay rare.
 */
export const SHARED_SANDBOX_V8_FLAGS = ['--max-semi-space-size=1'] as const;

interface PluginWorker {
  readonly worker: Worker;
  /** null while it is the spare (no plugin yet). */
  slot: number | null;
  /** Whether the worker has said `ready`. */
  ready: boolean;
}

export function runSharedSandbox(entry: URL): void {
  for (const flag of SHARED_SANDBOX_V8_FLAGS) setFlagsFromString(flag);
  const parent = connectToSharedSandboxParent();
  const bySlot = new Map<number, PluginWorker>();

  const start = (): PluginWorker => {
    const worker = new Worker(entry, { execArgv: [], resourceLimits: WORKER_RESOURCE_LIMITS, stdin: false });
    const entryOf: PluginWorker = { worker, slot: null, ready: false };
    worker.on('message', (message: FromSandbox) => {
      if (message.type === 'ready') entryOf.ready = true;
      if (entryOf.slot === null) return; // the spare's own `ready` is sent when it is given a slot
      // A structured-clone copy that is ours alone: tagged in place, not copied again.
      const tagged = message as FromSandbox & { slot: number };
      tagged.slot = entryOf.slot;
      parent.send(tagged);
      // A load has finished: a good moment to start the next spare (not during the load, which it would slow down).
      if (message.type === 'loaded' || message.type === 'load-failed') spares.refill();
    });
    worker.on('error', (err) => {
      // May quote plugin-controlled text: printed escaped, one line each.
      const text = err instanceof Error && err.stack ? err.stack : errorMessage(err);
      process.stderr.write(`conductor shared sandbox (slot ${entryOf.slot ?? 'spare'}): ${terminalLines(text.split('\n'))}\n`);
    });
    worker.on('exit', (code) => {
      spares.ended(entryOf);
      if (entryOf.slot === null) return;
      if (bySlot.get(entryOf.slot) === entryOf) bySlot.delete(entryOf.slot);
      parent.send({ type: 'closed', slot: entryOf.slot, code });
    });
    return entryOf;
  };
  /** One worker started ahead while loads are going on; stopped after SPARE_IDLE_MS without one. */
  const spares = new SpareKeeper<PluginWorker>(start, (spare) => void spare.worker.terminate(), { setTimeout, clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout) });

  parent.onMessage((message) => {
    switch (message.type) {
      case 'open': {
        if (bySlot.has(message.slot)) return; // opened twice: the host's bug, and the first stays
        const taken = spares.take();
        taken.slot = message.slot;
        bySlot.set(message.slot, taken);
        if (taken.ready) parent.send({ type: 'ready', pid: process.pid, slot: message.slot });
        return;
      }
      case 'close': {
        // Ends the thread at once, even inside a wasm loop; its `exit` reports `closed`.
        void bySlot.get(message.slot)?.worker.terminate();
        return;
      }
      default: {
        // Passed on as it is (the worker ignores `slot`). Gone already: the host has its `closed` on the way.
        bySlot.get(message.slot)?.worker.postMessage(message);
      }
    }
  });
  parent.onParentGone(() => process.exit(0));
  spares.refill();
  parent.send({ type: 'ready', pid: process.pid });
}
