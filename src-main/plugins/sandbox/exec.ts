// conductor.exec (capability `subprocess`): parses a plugin's run request and runs the program without a shell,
// bounded by the call's deadline and an output cap. Never uses a shell, never passes the sandbox's env beyond PATH.
import { spawnSync } from 'node:child_process';
import { HOST_LIMITS, passedEnvKeys } from '../host-functions';

export interface ExecRequest {
  program: string;
  args: string[];
  stdin: string | null;
}

export interface ExecResponse {
  /** Exit code; null when the process did not exit normally (signal, timeout, could not start). */
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Set when stdout or stderr was cut at the output cap. */
  truncated?: true;
  /** Why the program did not run to completion (not found, timed out, output over the cap, …). */
  error?: string;
}

const REQUEST_KEYS = new Set(['program', 'args', 'stdin']);
const outputDecoder = new TextDecoder('utf-8', { fatal: false });

/** Parses and checks the request JSON; returns the request or the reason it is invalid. */
export function parseExecRequest(text: string): ExecRequest | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'request is not valid JSON';
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return 'request must be a JSON object';
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (key === 'cwd') return '"cwd" is not supported: programs run in the plugin\'s data directory (with the filesystem grant) or the OS temp directory';
    if (!REQUEST_KEYS.has(key)) return `unknown field "${key}" (expected "program", "args", "stdin")`;
  }
  if (typeof r.program !== 'string' || r.program === '') return '"program" must be a non-empty string';
  const args = r.args ?? [];
  if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) return '"args" must be an array of strings';
  if (r.stdin !== undefined && typeof r.stdin !== 'string') return '"stdin" must be a string';
  const strings = [r.program, ...(args as string[])];
  if (strings.some((s) => s.includes('\0'))) return 'program and args must not contain NUL characters';
  return { program: r.program, args: args as string[], stdin: typeof r.stdin === 'string' ? r.stdin : null };
}

/** The environment a program gets: PATH (and on Windows what programs need to start), nothing else. */
export function childEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of passedEnvKeys(process.platform)) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

/** Runs the program synchronously; `timeoutMs` must leave room before the call's own deadline. */
export function runProgram(req: ExecRequest, options: { cwd: string; timeoutMs: number }): ExecResponse {
  const cap = HOST_LIMITS.execOutputBytes;
  if (options.timeoutMs < 1) {
    return { status: null, signal: null, stdout: '', stderr: '', error: 'not started: no time left before the call\'s deadline' };
  }
  const timeoutMs = Math.floor(options.timeoutMs);
  const res = spawnSync(req.program, req.args, {
    shell: false,
    cwd: options.cwd,
    env: childEnv(),
    input: req.stdin ?? '',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: cap,
    windowsHide: true,
  });
  const stdoutBytes = res.stdout ?? Buffer.alloc(0);
  const stderrBytes = res.stderr ?? Buffer.alloc(0);
  const response: ExecResponse = {
    status: res.status,
    signal: res.signal,
    stdout: outputDecoder.decode(stdoutBytes.subarray(0, cap)),
    stderr: outputDecoder.decode(stderrBytes.subarray(0, cap)),
  };
  if (stdoutBytes.byteLength > cap || stderrBytes.byteLength > cap) response.truncated = true;
  const err = res.error as NodeJS.ErrnoException | undefined;
  if (err) {
    switch (err.code) {
      case 'ETIMEDOUT':
        response.error = `timed out after ${timeoutMs} ms (the call's deadline); the process was killed`;
        break;
      case 'ENOBUFS':
        response.truncated = true;
        response.error = `output exceeded ${cap} bytes; the process was killed`;
        break;
      case 'ENOENT':
        response.error = `program not found: ${req.program}`;
        break;
      default:
        response.error = `could not run ${req.program}: ${err.code ?? err.message}`;
    }
  }
  return response;
}
