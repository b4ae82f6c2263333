// Spawner for the Electron app: runs the sandbox entry in an Electron utilityProcess.
// Electron-only glue, deliberately tiny; all sandbox logic lives in ../plugins and is tested under Node.
import { utilityProcess } from 'electron';
import { sandboxEnv, type ProcessChannel, type SandboxSpawner } from '../plugins/host/sandbox-process';

export const utilitySpawner: SandboxSpawner = <Out, In>(entryScript: string, serviceName: string): ProcessChannel<Out, In> => {
  const child = utilityProcess.fork(entryScript, [], { serviceName, stdio: ['ignore', 'ignore', 'inherit'], env: sandboxEnv() });
  return {
    get pid() {
      return child.pid;
    },
    postMessage: (message) => child.postMessage(message),
    onMessage: (handler) => child.on('message', (message: unknown) => handler(message as In)),
    onExit: (handler) => child.once('exit', (code) => handler({ code, signal: null })),
    kill: () => {
      child.kill();
    },
  };
};
