// conductor.exec (capability `subprocess`): runs a plugin's program in a worker thread while the plugin's thread blocks,
// within the call's deadline and an output cap. Never uses a shell or passes env beyond PATH; nothing it starts may outlive the call.

/* Containment (POSIX): the program starts in a new session and process group (`detached`), and that whole group is
 * SIGKILLed on the deadline, when output goes over the cap, and as soon as the program itself exits — exec is for
 * commands that finish, not for launching daemons or background jobs. Limits, stated plainly: a descendant that
 * deliberately leaves the group (setsid, double-fork daemonising) is not tracked — Linux would need a subreaper or a
 * cgroup for that — and if the sandbox process itself is killed mid-call, nothing kills the group. `subprocess` is a
 * high-risk capability that runs arbitrary programs as the user: this contains accidents and runaways; it is not a
 * security boundary. Windows (untested here, kept simple): no process group; `taskkill /PID <pid> /T /F` kills the
 * tree on the deadline or the output cap, but processes still running after the program exits are not looked for. */
import { HOST_LIMITS, passedEnvKeys } from '../common/import-catalogue';
import { BlockingWorker } from './blocking-worker';
import { childProcessModule } from './builtins';

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

/* The worker's handler (plain JavaScript, see BlockingWorker). It records the running program's pid in state[0] so
 * that a caller that stops waiting can still kill the group, and clears it once the program is dealt with. */
const EXEC_HANDLER = `
const { spawn, spawnSync } = require('node:child_process');
const posix = process.platform !== 'win32';
function killTree(pid) {
  if (posix) {
    try { process.kill(-pid, 'SIGKILL'); } catch {}
    return;
  }
  try { spawnSync('taskkill', ['/PID', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }); } catch {}
}
function joined(chunks, total) {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.byteLength; }
  return out;
}
function handle(job, state) {
  return new Promise((resolve) => {
    const left = job.deadline - (performance.timeOrigin + performance.now());
    const result = { status: null, signal: null, stdout: new Uint8Array(0), stderr: new Uint8Array(0), truncated: false, stopped: null, exitedFirst: false, spawnError: null };
    if (left < 1) {
      result.stopped = 'late';
      resolve(result);
      return;
    }
    let child;
    try {
      child = spawn(job.program, job.args, { shell: false, cwd: job.cwd, env: job.env, stdio: 'pipe', detached: posix, windowsHide: true });
    } catch (err) {
      result.spawnError = String(err.code || err.message);
      resolve(result);
      return;
    }
    const pid = child.pid;
    if (pid) Atomics.store(state, 0, pid);
    let exited = false;
    let pastDeadline = false;
    let settled = false;
    const kill = () => { if (pid) killTree(pid); };
    const streams = { stdout: { chunks: [], bytes: 0 }, stderr: { chunks: [], bytes: 0 } };
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      Atomics.store(state, 0, 0);
      for (const s of [child.stdin, child.stdout, child.stderr]) s.destroy();
      result.stdout = joined(streams.stdout.chunks, streams.stdout.bytes);
      result.stderr = joined(streams.stderr.chunks, streams.stderr.bytes);
      resolve(result);
    };
    const timer = setTimeout(() => {
      pastDeadline = true;
      if (!result.stopped) { result.stopped = 'timeout'; result.exitedFirst = exited; }
      kill();
      // Once the program has exited, output still open belongs to a process that left the group: stop waiting.
      if (exited) settle();
    }, left);
    for (const name of ['stdout', 'stderr']) {
      const s = streams[name];
      child[name].on('data', (chunk) => {
        const room = job.cap - s.bytes;
        if (chunk.byteLength > room) {
          // Over the cap (also when an earlier chunk filled it exactly): keep what fits, stop the program once.
          if (room > 0) {
            s.chunks.push(chunk.subarray(0, room));
            s.bytes = job.cap;
          }
          if (!result.truncated) {
            result.truncated = true;
            if (!result.stopped) result.stopped = 'output';
            kill();
          }
          return;
        }
        s.chunks.push(chunk);
        s.bytes += chunk.byteLength;
      });
    }
    child.on('error', (err) => {
      if (pid) return;
      result.spawnError = String(err.code || err.message);
      settle();
    });
    child.on('exit', (code, signal) => {
      exited = true;
      result.status = code;
      result.signal = signal;
      // Nothing the program started may outlive it (on Windows, without the root no tree is found; see the header).
      if (posix) kill();
      if (pastDeadline) settle();
    });
    child.on('close', settle);
    child.stdin.on('error', () => {});
    child.stdin.end(job.stdin);
  });
}
`;

interface ExecJob {
  program: string;
  args: string[];
  stdin: string;
  cwd: string;
  env: Record<string, string>;
  /** performance.timeOrigin + performance.now() at which the program is killed (comparable across threads). */
  deadline: number;
  cap: number;
}

interface ExecReply {
  status: number | null;
  signal: string | null;
  stdout: Uint8Array;
  stderr: Uint8Array;
  truncated: boolean;
  /** Why the worker stopped the program: the deadline, output over the cap, or no time left to start it. */
  stopped: 'timeout' | 'output' | 'late' | null;
  /** With `stopped: 'timeout'`: the program had already exited and only its output was still open. */
  exitedFirst: boolean;
  /** errno code (or message) when the program could not be started. */
  spawnError: string | null;
}

/** One exec worker per thread that runs plugins; calls are synchronous, so it never has two jobs at once. */
const runner = new BlockingWorker<ExecJob, ExecReply>(EXEC_HANDLER, 1);

const NOT_STARTED = "not started: no time left before the call's deadline";

/** Kills the process group (POSIX) or tree (Windows) of `pid`; no-op when it is already gone. */
function killTree(pid: number): void {
  try {
    if (process.platform === 'win32') childProcessModule().spawn('taskkill', ['/PID', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => {});
    else process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Runs the program, blocking the calling thread: at most `timeoutMs` for the program (it is killed then), plus
 * `graceMs` for the worker to report. `timeoutMs` must leave room before the call's own deadline.
 */
export function runProgram(req: ExecRequest, options: { cwd: string; timeoutMs: number; graceMs?: number }): ExecResponse {
  const cap = HOST_LIMITS.execOutputBytes;
  if (options.timeoutMs < 1) return { status: null, signal: null, stdout: '', stderr: '', error: NOT_STARTED };
  const timeoutMs = Math.floor(options.timeoutMs);
  const timedOut = `timed out after ${timeoutMs} ms (the call's deadline); the process was killed`;
  const outcome = runner.run(
    {
      program: req.program,
      args: req.args,
      stdin: req.stdin ?? '',
      cwd: options.cwd,
      env: childEnv(),
      deadline: performance.timeOrigin + performance.now() + timeoutMs,
      cap,
    },
    timeoutMs + (options.graceMs ?? 0),
  );
  if (outcome.kind === 'failed') return { status: null, signal: null, stdout: '', stderr: '', error: `could not run ${req.program}: ${outcome.error}` };
  if (outcome.kind === 'timeout') {
    // The worker did not report in time (a very slow machine, or a stuck worker): kill what it started, if anything.
    const pid = outcome.state[0] ?? 0;
    if (pid > 0) killTree(pid);
    return { status: null, signal: pid > 0 ? 'SIGKILL' : null, stdout: '', stderr: '', error: timedOut };
  }
  const reply = outcome.reply;
  const response: ExecResponse = {
    status: reply.status,
    signal: reply.signal,
    stdout: outputDecoder.decode(reply.stdout),
    stderr: outputDecoder.decode(reply.stderr),
  };
  if (reply.truncated) response.truncated = true;
  if (reply.spawnError !== null) {
    response.error = reply.spawnError === 'ENOENT' ? `program not found: ${req.program}` : `could not run ${req.program}: ${reply.spawnError}`;
  } else if (reply.stopped === 'late') {
    response.error = NOT_STARTED;
  } else if (reply.stopped === 'output') {
    response.error = `output exceeded ${cap} bytes; the process was killed`;
  } else if (reply.stopped === 'timeout') {
    response.error = reply.exitedFirst
      ? `timed out after ${timeoutMs} ms (the call's deadline) waiting for output: the program exited, but a process it started left its process group and still holds the output (that process was not killed)`
      : timedOut;
  }
  return response;
}
