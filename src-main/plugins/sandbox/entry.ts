// Entry script of a plugin's sandbox process of its own (dist/sandbox.js: an Electron utilityProcess or a Node
// child_process.fork). Holds no logic of its own and never runs plugin code itself. A plugin in the shared sandbox
// process runs in a worker thread from worker-entry.ts instead.
import { connectToParent } from './parent-port';
import { servePlugin } from './serve-plugin';
import { warmUp } from './warmup';

const port = connectToParent();
let workArrived = false;
servePlugin(port, (code) => process.exit(code), () => (workArrived = true));
port.onParentGone(() => process.exit(0));
port.send({ type: 'ready', pid: process.pid });
// A spare sandbox idles until a plugin arrives: use that time to warm the loader's code paths.
void warmUp(() => workArrived);
