// Spawner for the Electron app: runs the sandbox entry in an Electron utilityProcess.
// Electron-only glue, deliberately tiny; all sandbox logic lives in ../plugins and is tested under Node.
import { utilityProcess } from 'electron';
import type { FromSandbox } from '../plugins/common/protocol';
import { sandboxEnv, type SandboxSpawner } from '../plugins/host/sandbox-process';

export const utilitySpawner: SandboxSpawner = (entryScript, serviceName) => {
  const child = utilityProcess.fork(entryScript, [], { serviceName, stdio: ['ignore', 'ignore', 'inherit'], env: sandboxEnv() });
  return {
    get pid() {
      return child.pid;
    },
    postMessage: (message) => child.postMessage(message),
    onMessage: (handler) => child.on('message', (message: unknown) => handler(message as FromSandbox)),
    onExit: (handler) => child.once('exit', (code) => handler({ code, signal: null })),
    kill: () => {
      child.kill();
    },
  };
};
