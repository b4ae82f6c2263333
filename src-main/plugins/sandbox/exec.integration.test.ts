// conductor.exec containment: nothing a plugin's program starts outlives the call (issue #11 item 6). A real
// PluginRuntime running the C fixture `caps`, real shells and sleeps; waits on process state, never on timings.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorCode } from '../../../src-shared/errors';
import { DEFAULT_LIMITS, type CallResult } from '../../../src-shared/plugin';
import { cFixture } from '../../../plugins/fixtures';
import { PluginRuntime } from './runtime';

const caps = new Uint8Array(readFileSync(cFixture('caps')));
const posix = process.platform !== 'win32';
const linux = process.platform === 'linux';

const runtimes: PluginRuntime[] = [];
/** Pids a test saw; any still running at the end are killed so a failing test leaves nothing behind. */
const seen: number[] = [];

afterEach(() => {
  for (const r of runtimes.splice(0)) r.shutdown();
  for (const pid of seen.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone, as it should be
    }
  }
});

async function exec(program: string, args: string[], callTimeoutMs: number): Promise<{ result: CallResult; response: Record<string, unknown> }> {
  // The log budget has room for a response with 1 MiB of output (the plugin logs the response and prints its stdout).
  const limits = { ...DEFAULT_LIMITS, callTimeoutMs, logBytesPerCall: 8 << 20 };
  const { runtime } = await PluginRuntime.load(caps, { limits, grants: ['subprocess'], dataDir: null });
  runtimes.push(runtime);
  const result = runtime.execute(JSON.stringify({ action: 'exec', program, args }));
  const prefix = '[info] exec response: ';
  const line = result.log.find((l) => l.startsWith(prefix));
  if (!line) throw new Error(`no exec response in log: ${JSON.stringify(result.log)}`);
  return { result, response: JSON.parse(line.slice(prefix.length)) as Record<string, unknown> };
}

/** The pids a program printed, one per line. */
function pids(response: Record<string, unknown>): number[] {
  const found = String(response.stdout)
    .split('\n')
    .filter((l) => /^\d+$/.test(l))
    .map(Number);
  seen.push(...found);
  return found;
}

/** Linux: the process state letter from /proc (Z = zombie: dead, only waiting to be reaped), or null if gone. */
function procState(pid: number): { state: string; pgrp: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', pgrp: Number(fields[2]) };
  } catch {
    return null;
  }
}

/** Whether `pid` is still a live process (a zombie counts as dead: it runs nothing and holds nothing). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if (errorCode(err) === 'ESRCH') return false;
    throw err;
  }
  return !(linux && procState(pid)?.state === 'Z');
}

/** Linux: live processes whose process group is `pgid`. */
function groupMembers(pgid: number): number[] {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      const s = procState(pid);
      return s !== null && s.pgrp === pgid && s.state !== 'Z';
    });
}

/** Polls until `done()` holds; the deadline is generous and only there so a broken build fails instead of hanging. */
async function eventually(done: () => boolean, what: string, deadlineMs = 10_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!done()) {
    if (Date.now() > until) throw new Error(`still not true after ${deadlineMs} ms: ${what}`);
    await sleep(50);
  }
}

describe.runIf(posix)('conductor.exec kills the whole process group', () => {
  it("on the deadline: a background job's sleep dies with the shell", async () => {
    const { result, response } = await exec('sh', ['-c', 'echo $$; sleep 30 & echo $!; wait'], 5000);
    const [shell, sleeper] = pids(response);
    expect(result).toMatchObject({ ok: true, code: 0 });
    expect(response).toMatchObject({ status: null, signal: 'SIGKILL' });
    expect(response.error).toMatch(/^timed out after \d+ ms \(the call's deadline\); the process was killed$/);
    expect(sleeper).toBeGreaterThan(0);
    await eventually(() => !alive(sleeper as number), `background sleep ${sleeper} is gone`);
    if (linux) await eventually(() => groupMembers(shell as number).length === 0, `process group ${shell} is empty`);
  });

  it('when the program exits: a job it left in the background is killed too', async () => {
    // The generous call timeout is never reached: the shell exits at once, and the call returns with its status.
    const { response } = await exec('sh', ['-c', 'echo $$; (sleep 30) >/dev/null 2>&1 & echo $!'], 20_000);
    const [shell, job] = pids(response);
    expect(response).toMatchObject({ status: 0, signal: null });
    expect(response.error).toBeUndefined();
    expect(job).toBeGreaterThan(0);
    await eventually(() => !alive(job as number), `background job ${job} is gone`);
    if (linux) await eventually(() => groupMembers(shell as number).length === 0, `process group ${shell} is empty`);
  });

  it("does not wait for a background job that holds the program's output", async () => {
    // Before, spawnSync waited for every holder of the pipes: this call would have run into its deadline.
    const { response } = await exec('sh', ['-c', 'sleep 30 & echo $!'], 20_000);
    const [job] = pids(response);
    expect(response).toMatchObject({ status: 0, signal: null });
    expect(response.error).toBeUndefined();
    await eventually(() => !alive(job as number), `background sleep ${job} is gone`);
  });

  it('kills the group when output goes over the cap', async () => {
    const { response } = await exec('sh', ['-c', 'sleep 30 & echo $!; exec yes'], 20_000);
    const [job] = pids(response);
    expect(response).toMatchObject({ truncated: true, error: expect.stringMatching(/^output exceeded \d+ bytes; the process was killed$/) });
    await eventually(() => !alive(job as number), `background sleep ${job} is gone`);
  });

  it('output that fills the cap exactly, then more later: still over the cap (the program is stopped)', async () => {
    // The first MiB usually arrives in whole 64 KiB reads, filling the cap exactly; "more" comes in a later read.
    const { response } = await exec('sh', ['-c', "head -c 1048576 /dev/zero | tr '\\0' a; sleep 1; echo more; exec sleep 30"], 20_000);
    expect(response).toMatchObject({ truncated: true, error: expect.stringMatching(/^output exceeded \d+ bytes; the process was killed$/) });
    expect(String(response.stdout)).toBe('a'.repeat(1048576));
  });

  it.runIf(linux && existsSync('/usr/bin/setsid'))(
    'a process that leaves the group is not tracked (documented limit), but cannot hold the call past its deadline',
    async () => {
      // The shell exits only once the job has its own process group (else the group kill could still catch it).
      const script = `setsid sleep 30 & p=$!; echo $p; until [ "$(cut -d' ' -f5 /proc/$p/stat)" = "$p" ]; do sleep 0.05; done`;
      const { response } = await exec('sh', ['-c', script], 5000);
      const [escaped] = pids(response); // killed by afterEach
      expect(response).toMatchObject({ status: 0, signal: null });
      expect(response.error).toMatch(/left its process group and still holds the output \(that process was not killed\)$/);
      expect(escaped).toBeGreaterThan(0);
    },
  );

  it('still reports a program that cannot be started', async () => {
    const { response } = await exec('no-such-program-conductor', [], 5000);
    expect(response).toMatchObject({ status: null, signal: null, error: 'program not found: no-such-program-conductor' });
  });
});
