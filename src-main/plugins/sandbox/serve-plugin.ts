// Hosts exactly one plugin instance behind a message port: load, execute, shutdown. Runs in a sandbox process of its
// own (entry.ts) or in one worker thread of a shared sandbox process (shared-sandbox-main.ts). Never touches config,
// trust or devices, and never lets its plugin near the data directory without holding that directory's lock (one
// live sandbox per data directory).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { errorMessage } from '../../../src-shared/errors';
import { terminalLines } from '../../../src-shared/terminal-text';
import { toWireResult, type ToSandbox } from '../common/protocol';
import { DEFAULT_LOCK_WAIT_MS, lockDataDir, type DataDirLock } from './data-dir-lock';
import type { SandboxPort } from './parent-port';
import { PluginRuntime } from './runtime';

/**
 * Answers `port`'s messages for one plugin. `onFatal` ends this sandbox (the process, or only the worker thread)
 * after an internal error. `onFirstMessage` is told once work arrives (a spare stops warming up then).
 */
export function servePlugin(port: SandboxPort, onFatal: (code: number) => never, onFirstMessage: () => void = () => {}): void {
  let runtime: PluginRuntime | null = null;
  let dataDirLock: DataDirLock | null = null;
  let first = true;

  async function handle(message: ToSandbox): Promise<void> {
    switch (message.type) {
      case 'load': {
        if (runtime) {
          port.send({ type: 'load-failed', id: message.id, error: 'this sandbox already hosts a plugin' });
          return;
        }
        try {
          const { dataDir, grants, limits } = message.config;
          if (dataDir !== null && grants.includes('filesystem')) {
            // Wait for a previous sandbox of the same directory to go (restart, reload), but answer before the host's
            // load deadline (the call timeout) so the user sees who holds it rather than a timeout.
            dataDirLock = await lockDataDir(dataDir, Math.min(DEFAULT_LOCK_WAIT_MS, limits.callTimeoutMs / 2));
          }
          const started = performance.now();
          const wasm = new Uint8Array(readFileSync(message.wasmPath));
          const sha256 = createHash('sha256').update(wasm).digest('hex');
          if (sha256 !== message.sha256) {
            throw new Error(`${message.wasmPath} changed after it was verified (SHA-256 ${sha256}, expected ${message.sha256})`);
          }
          const read = performance.now() - started;
          const loaded = await PluginRuntime.load(wasm, message.config, {
            // Sent before the call's result, on the same channel, so the host sees them in call order.
            hostEvents: (event) => port.send({ type: 'host-event', event }),
            ...(message.moduleCacheDir ? { moduleCache: { dir: message.moduleCacheDir, originalSha256: sha256 } } : {}),
          });
          loaded.report.timingsMs.read = read;
          runtime = loaded.runtime;
          port.send({ type: 'loaded', id: message.id, report: loaded.report });
        } catch (err) {
          await dataDirLock?.release();
          dataDirLock = null;
          port.send({ type: 'load-failed', id: message.id, error: errorMessage(err) });
        }
        return;
      }
      case 'execute':
        execute(message);
        return;
      case 'shutdown': {
        const log = runtime?.shutdown() ?? [];
        runtime = null;
        await dataDirLock?.release();
        dataDirLock = null;
        port.send({ type: 'shut-down', id: message.id, log });
        return;
      }
    }
  }

  /** The per-call path, synchronous (no promise per call); the reply leaves out its default fields (toWireResult). */
  function execute(message: Extract<ToSandbox, { type: 'execute' }>): void {
    if (!runtime) throw new Error('execute before load');
    if (message.settings) runtime.configure(message.settings);
    port.send({ type: 'result', id: message.id, result: toWireResult(runtime.execute(message.input)) });
  }

  function fatal(err: unknown): void {
    // The stack may quote plugin-controlled text (an export name, a metadata field): printed escaped, one line each.
    process.stderr.write(`conductor sandbox: ${terminalLines((err instanceof Error && err.stack ? err.stack : errorMessage(err)).split('\n'))}\n`);
    onFatal(70);
  }

  port.onMessage((message) => {
    if (first) {
      first = false;
      onFirstMessage();
    }
    if (message.type === 'execute') {
      try {
        execute(message);
      } catch (err) {
        fatal(err);
      }
      return;
    }
    handle(message).catch(fatal);
  });
}
