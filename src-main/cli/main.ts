// The `conductor` command line: plugin new/check/run/inspect for plugin authors, plugin install/uninstall/list and
// capability decisions for users. Runs plugins only through the real sandbox process, never in this process.
import { parseArgs } from 'node:util';
import { errorCode } from '../../src-shared/errors';
import { PluginInstallError } from '../plugins/host/manager';
import { configCheckCommand, configNewCommand, configTemplatesCommand } from './config-commands';
import { decideCommand, installCommand, listCommand, uninstallCommand } from './install-commands';
import { inspectPluginCommand, runPluginCommand, UsageError } from './plugin-commands';
import { checkPluginCommand } from './plugin-check';
import { newPluginCommand } from './plugin-new';
import { runCommand } from './run-command';
import { terminalLines, terminalText } from '../../src-shared/terminal-text';

const USAGE = `Usage:
  conductor plugin new <name> --lang rust|assemblyscript|c [--dir DIR] [--json]
  conductor plugin check <file.wasm> [--action NAME [--params JSON] [--grant cap,cap] ...] [--json]
  conductor plugin run <file.wasm> --action NAME [--params JSON] [--fuel N] [--memory-mb N]
                       [--timeout-ms N] [--grant cap,cap] [--setting KEY=VALUE ...] [--data-dir DIR] [--json]
  conductor plugin inspect <file.wasm> [--json]
  conductor plugin install <file.wasm> [--update] [--plugins-dir DIR] [--json]
  conductor plugin uninstall <name> [--plugins-dir DIR] [--json]
  conductor plugin list [--plugins-dir DIR] [--json]
  conductor plugin grant|deny|revoke <name> <capability> [--plugins-dir DIR] [--json]
  conductor config check <config.toml> [--json]
  conductor config new [--template NAME] [--force] [PATH]
  conductor config templates [--json]
  conductor run [--config FILE] [--plugins-dir DIR] [--json]
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
      setting: { type: 'string', multiple: true },
      'data-dir': { type: 'string' },
      'plugins-dir': { type: 'string' },
      config: { type: 'string' },
      lang: { type: 'string' },
      dir: { type: 'string' },
      update: { type: 'boolean', default: false },
      template: { type: 'string' },
      force: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [group, command, ...args] = positionals;
  if (values.help || !group) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  if (group === 'run') {
    if (positionals.length > 1) throw new UsageError(`run takes no arguments, got ${positionals.slice(1).join(' ')}`);
    return runCommand(values);
  }
  if (group === 'config') {
    if (command === 'templates' && args.length === 0) return configTemplatesCommand(values.json === true);
    if (command === 'new' && args.length <= 1) return configNewCommand({ template: values.template, force: values.force === true, path: args[0] });
    if (command !== 'check' || args.length !== 1) throw new UsageError('usage: conductor config check <config.toml> | config new [--template NAME] [--force] [PATH] | config templates');
    return configCheckCommand(args[0] ?? '', values.json === true);
  }
  if (group !== 'plugin' || !command) throw new UsageError(`unknown command: ${positionals.join(' ')}`);
  const arity: Record<string, number> = { new: 1, check: 1, run: 1, inspect: 1, install: 1, uninstall: 1, list: 0, grant: 2, deny: 2, revoke: 2 };
  const expected = arity[command];
  if (expected === undefined) throw new UsageError(`unknown plugin command "${command}"`);
  if (args.length !== expected) throw new UsageError(`plugin ${command} takes ${expected} argument${expected === 1 ? '' : 's'}, got ${args.length}`);
  const [first = '', second = ''] = args;
  switch (command) {
    case 'new':
      return newPluginCommand(first, values);
    case 'check':
      return checkPluginCommand(first, values);
    case 'run':
      return runPluginCommand(first, values);
    case 'inspect':
      return inspectPluginCommand(first, values.json === true);
    case 'install':
      return installCommand(first, values);
    case 'uninstall':
      return uninstallCommand(first, values);
    case 'list':
      return listCommand(values);
    default:
      return decideCommand(command, first, second, values);
  }
}

/**
 * An error as printed: its message escaped as one line (it may quote a plugin's name, metadata or file name), except
 * the policy check's report of the user's own config file, one problem a line; then, for a bug, the stack frames.
 */
function errorText(err: unknown, withStack: boolean): string {
  if (!(err instanceof Error)) return terminalText(String(err));
  const message = err.name === 'PolicyConfigError' ? terminalLines(err.message.split('\n')) : terminalText(err.message);
  if (!withStack) return message;
  const head = `${err.name}: ${err.message}`;
  const stack = err.stack ?? head;
  if (!stack.startsWith(head)) return terminalLines(stack.split('\n'));
  const frames = stack.slice(head.length).split('\n').slice(1);
  return [`${terminalText(err.name)}: ${message}`, ...frames.map(terminalText)].join('\n');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const usage = err instanceof UsageError || errorCode(err)?.startsWith('ERR_PARSE_ARGS');
    // Refusals and bad files (install checks, grant store, trusted keys, config) are exit 1: the message says what is
    // wrong and where. Anything else is a bug and keeps its stack.
    const known = err instanceof PluginInstallError || /^(GrantStore|TrustedKeys|PolicyConfig|ConfigSave|TomlFile|Key\w*)Error$/.test(err instanceof Error ? err.name : '');
    process.stderr.write(`conductor: ${errorText(err, !(usage || known))}\n${usage ? USAGE : ''}`);
    process.exitCode = usage ? 2 : 1;
  },
);
