// Node built-ins that only some plugins need (sockets for data-dir locks and addresses, child processes, the OS's
// folders), loaded on first use rather than by every plugin at start: in the shared sandbox process each plugin's
// worker is an isolate of its own, and each module loaded there is loaded, and paid for, once per plugin.
// Never anything but plain `require`s of built-ins; no state.
import type * as ChildProcess from 'node:child_process';
import { createRequire } from 'node:module';
import type * as Net from 'node:net';
import type * as Os from 'node:os';

const load = createRequire(import.meta.url);

export const netModule = (): typeof Net => load('node:net') as typeof Net;
export const childProcessModule = (): typeof ChildProcess => load('node:child_process') as typeof ChildProcess;
export const osModule = (): typeof Os => load('node:os') as typeof Os;
