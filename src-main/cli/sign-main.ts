// The `conductor-sign` command line: parses arguments and dispatches to sign-commands (docs/signing.md).
// Never prints a stack trace for an expected error; exit codes: 0 ok/trusted, 1 error/invalid, 2 usage, 3 untrusted.
import { parseArgs } from 'node:util';
import { trustedKeysPath } from '../common/paths';
import { trustOfficialKeyOnFirstRun } from '../trust/official-key';
import { TrustedKeyStore } from '../trust/trusted-keys';
import {
  EXIT,
  UsageError,
  generateKeyCommand,
  isExpectedError,
  signCommand,
  trustAddCommand,
  trustListCommand,
  trustRemoveCommand,
  verifyCommand,
  type Output,
} from './sign-commands';
import { terminalLines, terminalText } from '../../src-shared/terminal-text';
import { errorMessage } from '../../src-shared/errors';

const USAGE = `Usage:
  conductor-sign generate-key BASE
      Create BASE.private (secret, mode 0600) and BASE.public (hex).
  conductor-sign sign PLUGIN.wasm BASE --name NAME --email EMAIL
      Sign PLUGIN.wasm with BASE.private; writes PLUGIN.wasm.sig.
  conductor-sign verify PLUGIN.wasm [--trusted-keys FILE] [--json]
      Check PLUGIN.wasm.sig and whether its key is trusted.
  conductor-sign trust list [--trusted-keys FILE] [--json]
  conductor-sign trust add PUBLIC_KEY_HEX NAME [--email EMAIL] [--trusted-keys FILE]
  conductor-sign trust remove PUBLIC_KEY_HEX [--trusted-keys FILE]

Exit status: 0 done (verify: valid and trusted), 1 error (verify: unsigned or invalid),
             2 usage error, 3 verify: valid signature but the key is not trusted.
Trusted keys file: --trusted-keys, else $CONDUCTOR_TRUSTED_KEYS, else trusted_keys.toml in the config directory.
`;

type Flag = 'name' | 'email' | 'trusted-keys' | 'json';

interface Values {
  name?: string;
  email?: string;
  'trusted-keys'?: string;
  json?: boolean;
  help?: boolean;
}

function only(command: string, values: Values, allowed: Flag[]): void {
  for (const flag of ['name', 'email', 'trusted-keys', 'json'] as const) {
    if (values[flag] !== undefined && !allowed.includes(flag)) throw new UsageError(`${command} does not take --${flag}`);
  }
}

function positionals(command: string, got: string[], names: string[]): string[] {
  if (got.length !== names.length) {
    const what = got.length < names.length ? `missing ${names.slice(got.length).join(' ')}` : `unexpected argument "${got[names.length] ?? ''}"`;
    throw new UsageError(`${command}: ${what} (expected: ${command} ${names.join(' ')})`);
  }
  return got;
}

async function main(argv: string[], io: Output): Promise<number> {
  const { values, positionals: args } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      name: { type: 'string' },
      email: { type: 'string' },
      'trusted-keys': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = args;
  if (values.help || command === 'help') {
    io.out(USAGE);
    return EXIT.ok;
  }
  if (command === undefined) {
    io.out(USAGE);
    return EXIT.usage;
  }
  // The default trusted-keys file gets the official key on first run, as the app does; an explicit file is left as is.
  const keysFile = async (): Promise<string> => {
    if (values['trusted-keys'] !== undefined) return values['trusted-keys'];
    await trustOfficialKeyOnFirstRun(new TrustedKeyStore(trustedKeysPath()));
    return trustedKeysPath();
  };

  switch (command) {
    case 'generate-key': {
      only(command, values, []);
      const [base] = positionals(command, rest, ['BASE']);
      return generateKeyCommand(base as string, io);
    }
    case 'sign': {
      only(command, values, ['name', 'email']);
      const [wasm, base] = positionals(command, rest, ['PLUGIN.wasm', 'BASE']);
      if (values.name === undefined || values.name.trim() === '') throw new UsageError('sign needs --name NAME (the developer name recorded in the signature)');
      if (values.email === undefined) throw new UsageError('sign needs --email EMAIL (the developer email recorded in the signature)');
      return signCommand(wasm as string, base as string, { name: values.name, email: values.email }, io);
    }
    case 'verify': {
      only(command, values, ['trusted-keys', 'json']);
      const [wasm] = positionals(command, rest, ['PLUGIN.wasm']);
      return verifyCommand(wasm as string, await keysFile(), values.json === true, io);
    }
    case 'trust': {
      const [sub, ...subArgs] = rest;
      if (sub === 'list') {
        only('trust list', values, ['trusted-keys', 'json']);
        positionals('trust list', subArgs, []);
        return trustListCommand(await keysFile(), values.json === true, io);
      }
      if (sub === 'add') {
        only('trust add', values, ['trusted-keys', 'email']);
        const [key, name] = positionals('trust add', subArgs, ['PUBLIC_KEY_HEX', 'NAME']);
        return trustAddCommand(await keysFile(), key as string, name as string, values.email, io);
      }
      if (sub === 'remove') {
        only('trust remove', values, ['trusted-keys']);
        const [key] = positionals('trust remove', subArgs, ['PUBLIC_KEY_HEX']);
        return trustRemoveCommand(await keysFile(), key as string, io);
      }
      throw new UsageError(sub === undefined ? 'trust needs a subcommand: list, add or remove' : `unknown trust subcommand "${sub}"`);
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

const io: Output = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const code = err !== null && typeof err === 'object' && 'code' in err ? String(err.code) : '';
    if (err instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`conductor-sign: ${terminalText(errorMessage(err))}\n\n${USAGE}`);
      process.exitCode = EXIT.usage;
      return;
    }
    // The message is the whole story (file-system errors included); CONDUCTOR_DEBUG=1 adds the stack of unexpected ones.
    // Messages may quote a .sig file or a path: escaped, one line; a stack keeps its lines, each escaped.
    const debug = process.env.CONDUCTOR_DEBUG && err instanceof Error && !isExpectedError(err) ? `\n${terminalLines((err.stack ?? '').split('\n'))}` : '';
    io.err(`conductor-sign: ${terminalText(err instanceof Error ? err.message : String(err))}${debug}\n`);
    process.exitCode = EXIT.error;
  },
);
