// The `conductor` command line: plugin run / plugin inspect for plugin authors (issue: runtime §9).
// Runs plugins only through the real sandbox process, never in this process.
import { parseArgs } from 'node:util';
import { inspectPluginCommand, runPluginCommand, UsageError } from './plugin-commands';

const USAGE = `Usage:
  conductor plugin run <file.wasm> --action NAME [--params JSON] [--fuel N] [--memory-mb N]
                       [--timeout-ms N] [--grant cap,cap] [--data-dir DIR] [--json]
  conductor plugin inspect <file.wasm> [--json]
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      action: { type: 'string' },
      params: { type: 'string' },
      fuel: { type: 'string' },
      'memory-mb': { type: 'string' },
      'timeout-ms': { type: 'string' },
      grant: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [group, command, file, ...rest] = positionals;
  if (values.help || !group) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  if (group !== 'plugin' || !command || !file || rest.length > 0) throw new UsageError(`unknown command: ${positionals.join(' ')}`);
  if (command === 'run') return runPluginCommand(file, values);
  if (command === 'inspect') return inspectPluginCommand(file, values.json === true);
  throw new UsageError(`unknown plugin command "${command}"`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`conductor: ${(err as Error).message}\n${usage ? USAGE : ''}`);
    process.exitCode = 2;
  },
);
