// The Shell and Launch actions: user-written commands (trusted config) run as argv without a shell unless the
// mapping says `shell = true`; deadlines, exit code and stderr in the result. Never builds a shell string itself.
import { parse } from 'shell-quote';
import type { Action } from '../../src-shared/config';
import type { ProcessInfo } from '../../src-shared/engine';
import { errorMessage } from '../../src-shared/errors';
import type { Timer } from '../common/clock';
import { runProcess, startDetached } from './process';
import { failed, succeeded, type ActionOutcome, type Env } from './types';

/** Shell's default deadline. */
export const SHELL_TIMEOUT_MS = 30_000;

export type SplitResult = { ok: true; argv: string[] } | { ok: false; error: string };

/**
 * Splits a command line into argv the way a POSIX shell would, without running one: quotes and backslash escapes
 * (Windows: `^` is the escape, so backslashes in paths stay), `$VAR`/`${VAR}` from `env` (unset = empty), `#`
 * comments dropped, glob patterns passed literally (not expanded). Shell operators (`|`, `&&`, `;`, `>`, `$(`…)
 * are refused with an error saying to set `shell = true`.
 */
export function splitCommand(command: string, env: Env, platform: NodeJS.Platform = process.platform): SplitResult {
  let entries: ReturnType<typeof parse>;
  try {
    entries = parse(command, { ...env }, platform === 'win32' ? { escape: '^' } : {});
  } catch (err) {
    return { ok: false, error: `cannot split the command: ${errorMessage(err)}` };
  }
  const argv: string[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') {
      argv.push(entry);
      continue;
    }
    if ('comment' in entry) break;
    const token = entry as { op: string; pattern?: string };
    if (token.op === 'glob') {
      argv.push(token.pattern ?? '');
      continue;
    }
    return {
      ok: false,
      error: `the command contains the shell operator "${token.op}"; commands run without a shell, so set shell = true on this action to use pipes, redirects or command lists (or quote the character)`,
    };
  }
  if (argv.length === 0) return { ok: false, error: 'the command is empty' };
  return { ok: true, argv };
}

/** The argv that runs `command` through the platform's shell (`shell = true`). */
export function shellArgv(command: string, platform: NodeJS.Platform, env: Env): { argv: string[]; verbatim: boolean } {
  if (platform === 'win32') return { argv: [env.ComSpec ?? 'cmd.exe', '/d', '/s', '/c', `"${command}"`], verbatim: true };
  return { argv: ['/bin/sh', '-c', command], verbatim: false };
}

export interface ProcessActionDeps {
  timer: Timer;
  platform: NodeJS.Platform;
  env: Env;
  signal?: AbortSignal;
}

function describeExit(info: ProcessInfo): string {
  return `exit code ${info.exitCode ?? '?'}`;
}

export async function runShell(action: Extract<Action, { type: 'Shell' }>, deps: ProcessActionDeps): Promise<ActionOutcome> {
  const timeoutMs = action.timeoutMs ?? SHELL_TIMEOUT_MS;
  let argv: string[];
  let verbatim = false;
  if (action.shell === true) {
    ({ argv, verbatim } = shellArgv(action.command, deps.platform, deps.env));
  } else {
    const split = splitCommand(action.command, deps.env, deps.platform);
    if (!split.ok) return failed(`Shell: ${split.error}`);
    argv = split.argv;
  }
  const { info, error } = await runProcess(argv, {
    timer: deps.timer,
    timeoutMs,
    signal: deps.signal,
    env: deps.env,
    platform: deps.platform,
    windowsVerbatimArguments: verbatim,
  });
  return error === null ? succeeded(describeExit(info), { process: info }) : failed(`Shell: ${error}`, { process: info });
}

/** How Launch starts an app on each platform, and whether that command returns at once (a launcher) or is the app. */
export function launchCommand(app: string, args: readonly string[], platform: NodeJS.Platform, env: Env): { argv: string[]; launcher: boolean; verbatim: boolean } {
  if (platform === 'darwin') return { argv: ['open', '-a', app, ...(args.length > 0 ? ['--args', ...args] : [])], launcher: true, verbatim: false };
  if (platform === 'win32') {
    const quoted = [app, ...args].map((a) => `"${a.replace(/"/g, '""')}"`).join(' ');
    return { argv: [env.ComSpec ?? 'cmd.exe', '/d', '/s', '/c', `"start "" ${quoted}"`], launcher: true, verbatim: true };
  }
  return { argv: [app, ...args], launcher: false, verbatim: false };
}

/**
 * Launch: starts an app and does not wait for it. macOS `open -a App --args …` and Windows `cmd /c start "" app …`
 * are launchers that return at once (their exit code and stderr are the result, e.g. "Unable to find application");
 * on Linux the app itself is started detached and the action finishes once it has started.
 */
export async function launch(action: Extract<Action, { type: 'Launch' }>, deps: ProcessActionDeps & { timeoutMs: number }): Promise<ActionOutcome> {
  if (action.app.trim() === '') return failed('Launch: no app given');
  const { argv, launcher, verbatim } = launchCommand(action.app, action.args ?? [], deps.platform, deps.env);
  if (!launcher) {
    const { info, error } = await startDetached(argv, { env: deps.env, platform: deps.platform });
    return error === null ? succeeded(`started ${action.app}`, { process: info }) : failed(`Launch: ${error}`, { process: info });
  }
  const { info, error } = await runProcess(argv, {
    timer: deps.timer,
    timeoutMs: deps.timeoutMs,
    signal: deps.signal,
    env: deps.env,
    platform: deps.platform,
    windowsVerbatimArguments: verbatim,
  });
  return error === null ? succeeded(`started ${action.app}`, { process: info }) : failed(`Launch: ${error}`, { process: info });
}
