// Entry script of a shared sandbox process (its own small bundle, dist/sandbox-shared.js, so the process's main
// thread loads only the routing code): starts each plugin's worker thread from dist/sandbox-worker.cjs beside it.
// Never loads the plugin runtime or runs plugin code on this thread.
import { runSharedSandbox } from './shared-sandbox-main';

runSharedSandbox(new URL('./sandbox-worker.cjs', import.meta.url));
