// Entry script of every sandbox (Electron utilityProcess or Node child_process.fork, and the worker threads of a
// shared sandbox process): picks the role and starts it. Holds no logic of its own and never runs plugin code itself.
//   - started with `--shared`: a shared sandbox process, hosting each of several plugins in a worker thread;
//   - a worker thread of this same script: one plugin of a shared sandbox process;
//   - otherwise: a sandbox process hosting exactly one plugin.
import { isMainThread } from 'node:worker_threads';
import { connectToParent, connectToSharedSandbox } from './parent-port';
import { servePlugin } from './serve-plugin';
import { runSharedSandbox } from './shared-sandbox-main';
import { warmUp } from './warmup';

if (!isMainThread) {
  // One plugin in a shared process: ending it ends only this thread. No warm-up: each warm-up would cost every
  // worker its own compiled code, and the pool keeps a started worker ready instead.
  const port = connectToSharedSandbox();
  servePlugin(port, (code) => process.exit(code));
  port.send({ type: 'ready', pid: process.pid });
} else if (process.argv.includes('--shared')) {
  runSharedSandbox(new URL(import.meta.url));
} else {
  const port = connectToParent();
  let workArrived = false;
  servePlugin(port, (code) => process.exit(code), () => (workArrived = true));
  port.onParentGone(() => process.exit(0));
  port.send({ type: 'ready', pid: process.pid });
  // A spare sandbox idles until a plugin arrives: use that time to warm the loader's code paths.
  void warmUp(() => workArrived);
}
