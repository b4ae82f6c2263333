// Setup file of the vitest `unit` project: a unit test may not start a process, a worker thread or a server, nor open
// a socket — those belong in `*.integration.test.ts`. Makes each such call throw at once with that advice.
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import workerThreads from 'node:worker_threads';

function refuse(what: string): never {
  throw new Error(`unit tests may not ${what}; name the file *.integration.test.ts (see docs/testing.md)`);
}

const cp = childProcess as unknown as Record<string, unknown>;
for (const name of ['spawn', 'spawnSync', 'fork', 'exec', 'execSync', 'execFile', 'execFileSync']) {
  cp[name] = () => refuse(`start a process (child_process.${name})`);
}
// On the prototypes, so http, https and ws servers and clients are covered too.
net.Server.prototype.listen = function listen(): never {
  return refuse('start a server (listen)');
};
net.Socket.prototype.connect = function connect(): never {
  return refuse('open a socket (connect)');
};
(workerThreads as unknown as Record<string, unknown>).Worker = class {
  constructor() {
    refuse('start a worker thread');
  }
};
syncBuiltinESMExports();
