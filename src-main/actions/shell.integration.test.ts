// Shell and Launch with real processes: argv without a shell (no expansion of $(…)), refused operators, shell =
// true, exit codes and stderr, deadlines on the manual timer, output bounds. POSIX only (the CI machines are Linux).
import { describe, expect, it } from 'vitest';
import type { ActionFinishEvent } from '../../src-shared/engine';
import { Engine } from '../engine/engine';
import { ManualClock } from '../common/test-support/manual-clock';
import { makeConfig, mapping, midi } from '../engine/test-support/test-config';
import { systemTimer } from '../common/clock';
import { launch, launchCommand, runShell, splitCommand } from './shell';

const env = { ...process.env, CONDUCTOR_TEST_VAR: 'value with spaces' };
const deps = { timer: systemTimer, platform: process.platform, env };
const posix = process.platform !== 'win32';

describe('splitCommand', () => {
  it('splits like a shell without running one', () => {
    expect(splitCommand(`echo '$(id)' "a b" c\\ d`, env)).toEqual({ ok: true, argv: ['echo', '$(id)', 'a b', 'c d'] });
    expect(splitCommand('printf %s $CONDUCTOR_TEST_VAR ${CONDUCTOR_NOT_SET}x', env)).toEqual({ ok: true, argv: ['printf', '%s', 'value with spaces', 'x'] });
    expect(splitCommand('ls *.txt # list them', env)).toEqual({ ok: true, argv: ['ls', '*.txt'] });
    expect(splitCommand('echo `id`', env)).toEqual({ ok: true, argv: ['echo', '`id`'] });
    expect(splitCommand('"C:\\Program Files\\App\\app.exe" --x', env, 'win32')).toEqual({ ok: true, argv: ['C:\\Program Files\\App\\app.exe', '--x'] });
  });

  it('refuses shell operators and empty commands, saying what to do', () => {
    for (const [command, op] of [
      ['ls | wc -l', '|'],
      ['make && make install', '&&'],
      ['a; b', ';'],
      ['echo hi > /tmp/x', '>'],
      ['echo $(id)', '('],
      ['sleep 1 &', '&'],
    ] as const) {
      const result = splitCommand(command, env);
      expect(result).toMatchObject({ ok: false });
      expect(!result.ok && result.error).toBe(
        `the command contains the shell operator "${op}"; commands run without a shell, so set shell = true on this action to use pipes, redirects or command lists (or quote the character)`,
      );
    }
    expect(splitCommand('  # only a comment', env)).toEqual({ ok: false, error: 'the command is empty' });
  });
});

describe.runIf(posix)('Shell', () => {
  it('passes arguments literally without a shell: echo \'$(id)\' prints $(id)', async () => {
    const result = await runShell({ type: 'Shell', command: "echo '$(id)' \"$CONDUCTOR_TEST_VAR\"" }, deps);
    expect(result).toMatchObject({ ok: true, detail: 'exit code 0' });
    expect(result.process).toMatchObject({ argv: ['echo', '$(id)', 'value with spaces'], exitCode: 0, signal: null, timedOut: false, stdout: '$(id) value with spaces\n' });
  });

  it('refuses an operator without shell = true, and starts nothing', async () => {
    const result = await runShell({ type: 'Shell', command: 'echo hi | tr a-z A-Z' }, deps);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^Shell: the command contains the shell operator "\|"; .*set shell = true/);
    expect(result.process).toBeUndefined();
  });

  it('runs through /bin/sh with shell = true', async () => {
    const result = await runShell({ type: 'Shell', command: 'echo hi | tr a-z A-Z; echo $((40 + 2))', shell: true }, deps);
    expect(result).toMatchObject({ ok: true });
    expect(result.process).toMatchObject({ argv: ['/bin/sh', '-c', 'echo hi | tr a-z A-Z; echo $((40 + 2))'], stdout: 'HI\n42\n', exitCode: 0 });
  });

  it('reports a non-zero exit code with the last line of stderr', async () => {
    const result = await runShell({ type: 'Shell', command: "sh -c 'echo first >&2; echo oops >&2; exit 3'" }, deps);
    expect(result).toMatchObject({ ok: false, error: 'Shell: exited with code 3: oops' });
    expect(result.process).toMatchObject({ exitCode: 3, stderr: 'first\noops\n' });
  });

  it('reports a program that does not exist', async () => {
    const result = await runShell({ type: 'Shell', command: 'conductor-no-such-program --flag' }, deps);
    expect(result).toMatchObject({ ok: false, error: 'Shell: cannot start "conductor-no-such-program": no such program (ENOENT)' });
  });

  it('kills the command at its timeout (on the injected timer), with what a shell started', async () => {
    const clock = new ManualClock();
    const pending = runShell({ type: 'Shell', command: 'sleep 30; echo never', shell: true, timeoutMs: 1500 }, { ...deps, timer: clock });
    await clock.advance(1499);
    await clock.advance(1);
    const result = await pending;
    expect(result).toMatchObject({ ok: false, error: 'Shell: timed out after 1500 ms (killed)' });
    expect(result.process).toMatchObject({ timedOut: true, signal: 'SIGKILL', stdout: '' });
  });

  it('uses a 30 s default timeout', async () => {
    const clock = new ManualClock();
    const pending = runShell({ type: 'Shell', command: 'sleep 60' }, { ...deps, timer: clock });
    await clock.advance(29_999);
    expect(clock.pendingCount).toBe(1);
    await clock.advance(1);
    expect(await pending).toMatchObject({ ok: false, error: 'Shell: timed out after 30000 ms (killed)' });
  });

  it('keeps at most 16 KiB of output', async () => {
    const result = await runShell({ type: 'Shell', command: 'head -c 20000 /dev/zero | tr "\\0" x', shell: true }, deps);
    expect(result.ok).toBe(true);
    expect(result.process?.stdout).toBe(`${'x'.repeat(16 * 1024)}\n[output truncated: ${20000 - 16 * 1024} more bytes]`);
  });

  it('puts exit code and output into the action-finish event when run by the engine', async () => {
    const clock = new ManualClock();
    const engine = new Engine({
      config: makeConfig([{ name: 'Default', mappings: [mapping('say', { type: 'Note', note: 60 }, { type: 'Shell', command: 'echo "played $CONDUCTOR_TEST_VAR"' })] }]),
      clock,
      timer: systemTimer,
      env,
    });
    const finished: ActionFinishEvent[] = [];
    engine.onDidEngineEvent((e) => e.kind === 'action-finish' && finished.push(e));
    engine.handle(midi(clock).on(60));
    await engine.idle();
    await engine.dispose();
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ action: 'Shell', summary: 'Run "echo \\"played $CONDUCTOR_TEST_VAR\\""', process: { exitCode: 0, stdout: 'played value with spaces\n' } });
  });
});

describe('Launch', () => {
  it('builds the launcher per platform', () => {
    expect(launchCommand('Spotify', [], 'darwin', {})).toEqual({ argv: ['open', '-a', 'Spotify'], launcher: true, verbatim: false });
    expect(launchCommand('Visual Studio Code', ['--new-window', 'a b'], 'darwin', {}).argv).toEqual(['open', '-a', 'Visual Studio Code', '--args', '--new-window', 'a b']);
    expect(launchCommand('notepad.exe', ['C:\\a b.txt'], 'win32', { ComSpec: 'C:\\Windows\\system32\\cmd.exe' })).toEqual({
      argv: ['C:\\Windows\\system32\\cmd.exe', '/d', '/s', '/c', '"start "" "notepad.exe" "C:\\a b.txt""'],
      launcher: true,
      verbatim: true,
    });
    expect(launchCommand('firefox', ['--private-window'], 'linux', {})).toEqual({ argv: ['firefox', '--private-window'], launcher: false, verbatim: false });
  });

  it.runIf(posix)('starts an app detached on Linux and reports one that does not exist', async () => {
    const launchDeps = { ...deps, platform: 'linux' as const, timeoutMs: 5000 };
    expect(await launch({ type: 'Launch', app: 'true' }, launchDeps)).toMatchObject({ ok: true, detail: 'started true', process: { argv: ['true'], exitCode: null } });
    expect(await launch({ type: 'Launch', app: 'conductor-no-such-app' }, launchDeps)).toMatchObject({
      ok: false,
      error: 'Launch: cannot start "conductor-no-such-app": no such program (ENOENT)',
    });
    expect(await launch({ type: 'Launch', app: ' ' }, launchDeps)).toMatchObject({ ok: false, error: 'Launch: no app given' });
  });
});
