// conductor.system: runs one of the desktop's standard tools (busctl, pactl, osascript, …) synchronously, without a
// shell, with an allow-listed environment and a timeout inside the call's deadline. Never passes plugin text to a shell.
import { existsSync } from 'node:fs';
import { passedEnvKeys } from '../common/import-catalogue';
import { SystemFailure } from './system-request';
import { childProcessModule, osModule } from './builtins';
import { SYSTEM_ENV_KEYS } from '../common/import-catalogue';


/** Each of stdout and stderr is cut here (the tool is killed): these tools print a few lines. */
const TOOL_OUTPUT_BYTES = 64 * 1024;

export interface ToolCommand {
  program: string;
  args: readonly string[];
}

export type ToolOutcome =
  | { kind: 'done'; status: number; stdout: string; stderr: string }
  /** The program is not installed (not on PATH). */
  | { kind: 'missing' }
  /** Killed by a signal, over the output cap, or could not start for another reason. */
  | { kind: 'broken'; reason: string; stderr: string };

/**
 * The environment of a tool: SYSTEM_ENV_KEYS (plus what Windows programs need to start) from `source`, and the C
 * locale so that the output parsed here is never translated. On Linux, a missing XDG_RUNTIME_DIR falls back to
 * /run/user/<uid> when that exists (where logind puts the session bus and PipeWire/PulseAudio their sockets), and a
 * missing HOME to the account's home directory — the sandbox process itself is started with PATH only.
 */
export function toolEnv(source: NodeJS.ProcessEnv, platform: NodeJS.Platform): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of new Set<string>([...SYSTEM_ENV_KEYS, ...passedEnvKeys(platform)])) {
    if (key.startsWith('CONDUCTOR_')) continue; // our own knobs are for this process, not for the tools
    const value = source[key];
    if (value !== undefined && value !== '') env[key] = value;
  }
  if (platform === 'linux' && env.XDG_RUNTIME_DIR === undefined && typeof process.getuid === 'function') {
    const dir = `/run/user/${process.getuid()}`;
    if (existsSync(dir)) env.XDG_RUNTIME_DIR = dir;
  }
  if (platform !== 'win32') {
    env.HOME ??= osModule().homedir();
    env.LC_ALL = 'C';
    env.LANG = 'C';
  }
  return env;
}

/** Runs tools one after another against one deadline; `timeLeftMs` is read before each run. */
export class ToolRunner {
  readonly env: Record<string, string>;

  constructor(
    private readonly timeLeftMs: () => number,
    env: NodeJS.ProcessEnv = process.env,
    platform: NodeJS.Platform = process.platform,
  ) {
    this.env = toolEnv(env, platform);
  }

  /** Runs the tool; throws SystemFailure when the call's deadline leaves no time or passes while it runs. */
  run(command: ToolCommand): ToolOutcome {
    const budgetMs = Math.floor(this.timeLeftMs());
    const name = command.program;
    if (budgetMs < 1) throw new SystemFailure(`timed out (the call's deadline) before ${name} could run`);
    const r = childProcessModule().spawnSync(command.program, [...command.args], {
      shell: false,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: budgetMs,
      killSignal: 'SIGKILL',
      maxBuffer: TOOL_OUTPUT_BYTES,
      windowsHide: true,
      encoding: 'utf8',
    });
    const stderr = typeof r.stderr === 'string' ? r.stderr : '';
    if (r.error) {
      const code = (r.error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { kind: 'missing' };
      if (code === 'ETIMEDOUT') throw new SystemFailure(`timed out after ${budgetMs} ms (the call's deadline); ${name} was killed`);
      if (code === 'ENOBUFS') return { kind: 'broken', reason: `${name} printed more than ${TOOL_OUTPUT_BYTES} bytes`, stderr };
      return { kind: 'broken', reason: `${name} could not run: ${code ?? r.error.message}`, stderr };
    }
    if (r.status === null) return { kind: 'broken', reason: `${name} was killed by ${r.signal ?? 'a signal'}`, stderr };
    return { kind: 'done', status: r.status, stdout: typeof r.stdout === 'string' ? r.stdout : '', stderr };
  }
}
