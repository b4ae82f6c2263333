// Entry script of a plugin's sandbox (dist/sandbox.js): a process of its own (Electron utilityProcess or Node
// child_process.fork), or a worker thread of a shared sandbox process (shared-entry.ts starts those). Picks the role
// and starts it; holds no logic of its own and never runs plugin code itself.
import { isMainThread } from 'node:worker_threads';
import { connectToParent, connectToSharedSandbox } from './parent-port';
import { servePlugin } from './serve-plugin';
import { warmUp } from './warmup';

if (!isMainThread) {
  // One plugin in a shared process: ending it ends only this thread. No warm-up: each warm-up would cost every
  // worker its own compiled code, and the pool keeps a started worker ready instead.
  const port = connectToSharedSandbox();
  servePlugin(port, (code) => process.exit(code));
  port.send({ type: 'ready', pid: process.pid });
} else {
  const port = connectToParent();
  let workArrived = false;
  servePlugin(port, (code) => process.exit(code), () => (workArrived = true));
  port.onParentGone(() => process.exit(0));
  port.send({ type: 'ready', pid: process.pid });
  // A spare sandbox idles until a plugin arrives: use that time to warm the loader's code paths.
  void warmUp(() => workArrived);
}
