// The `npm run serve` entry (bundled as dist/serve.js): Conductor without Electron, its UI served to a local browser
// (DESIGN §9). Wiring only — never business logic; stops the core cleanly on SIGINT/SIGTERM.
import { errorMessage } from '../src-shared/errors';
import { parseServeArgs, SERVE_USAGE, ServeUsageError, startBrowserMode } from './transport/browser-mode';

/** A stop that hangs (a plugin that will not shut down) must not keep the process forever. */
const STOP_DEADLINE_MS = 10_000;

async function main(argv: string[]): Promise<void> {
  const flags = parseServeArgs(argv);
  if (flags.help) {
    process.stdout.write(SERVE_USAGE);
    return;
  }
  const running = await startBrowserMode(flags);
  const stop = (signal: NodeJS.Signals): void => {
    process.stdout.write(`Stopping Conductor (${signal})…\n`);
    setTimeout(() => {
      process.stderr.write('conductor serve: stopping took too long; exiting anyway\n');
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`conductor serve: stopping failed: ${errorMessage(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const usage = error instanceof ServeUsageError;
  process.stderr.write(`conductor serve: ${usage || !(error instanceof Error) ? errorMessage(error) : (error.stack ?? error.message)}\n${usage ? SERVE_USAGE : ''}`);
  process.exit(usage ? 2 : 1);
});
