// Runs the platform's read-only helper tools (xprop, xdotool, osascript, PowerShell) for the app source: argv only,
// a deadline, bounded output. Never goes through a shell and never passes user text to a tool.
import { execFile } from 'node:child_process';
import { errorCode, errorMessage } from '../../src-shared/errors';
import { AppSourceError } from './frontmost-app';

export interface ToolOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** The last non-empty line of a tool's error output, for messages. */
export function lastLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .at(-1) ?? ''
  );
}

/**
 * Runs `argv` and resolves with its output and exit code (non-zero included: some tools print what they could before
 * failing). Rejects with AppSourceError: 'no-tool' when the program does not exist, 'failed' when it cannot start or
 * times out. Injectable, so readers can be tested on captured output.
 */
export type RunTool = (argv: readonly string[]) => Promise<ToolOutput>;

export interface RunToolOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** Default 5000 ms: these tools answer in milliseconds; a hung X server or Apple-event prompt must not stall polling. */
  timeoutMs?: number;
}

const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

export function systemRunTool(options: RunToolOptions = {}): RunTool {
  return (argv) =>
    new Promise((resolve, reject) => {
      const [program, ...args] = argv;
      if (program === undefined) {
        reject(new AppSourceError('failed', 'no program given'));
        return;
      }
      execFile(
        program,
        args,
        { env: options.env as NodeJS.ProcessEnv | undefined, timeout: options.timeoutMs ?? 5000, maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true, encoding: 'utf8' },
        (err, stdout, stderr) => {
          if (!err) {
            resolve({ stdout, stderr, exitCode: 0 });
            return;
          }
          if (errorCode(err) === 'ENOENT') {
            reject(new AppSourceError('no-tool', `${program} is not installed (not found on PATH)`));
            return;
          }
          const code = (err as { code?: unknown }).code;
          const killed = 'killed' in err && err.killed === true;
          if (typeof code === 'number' && !killed) {
            resolve({ stdout, stderr, exitCode: code });
            return;
          }
          reject(new AppSourceError('failed', `${program} failed: ${killed ? 'timed out' : lastLine(stderr) || errorMessage(err)}`));
        },
      );
    });
}
