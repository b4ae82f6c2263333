// Entry script of one plugin's worker thread in a shared sandbox process (dist/sandbox-worker.cjs; shared-entry.ts
// starts those). Holds no logic of its own, never runs on a main thread, and never runs plugin code itself.
import { isMainThread } from 'node:worker_threads';
import { connectToSharedSandbox } from './parent-port';
import { servePlugin } from './serve-plugin';

if (isMainThread) throw new Error('sandbox-worker is a worker thread of a shared sandbox process; start dist/sandbox.js for a process of its own');
// Ending this plugin ends only this thread. No warm-up: each warm-up would cost every worker its own compiled code,
// and the shared process keeps a started worker ready instead.
const port = connectToSharedSandbox();
servePlugin(port, (code) => process.exit(code));
port.send({ type: 'ready', pid: process.pid });
