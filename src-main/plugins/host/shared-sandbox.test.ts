// SharedSandbox's routing and its last resort, over a scripted transport (the real process is in
// shared-sandbox.integration.test.ts): replies reach only their slot; a worker that does not end within the grace
// period gets the whole process killed, failing every plugin in it; one that ends in time costs nobody anything.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../common/test-support/manual-clock';
import type { FromSharedSandbox, ToSharedSandbox } from '../common/protocol';
import type { ExitInfo, ProcessChannel } from './sandbox-process';
import { SandboxCrashedError } from './sandbox-process';
import { SharedSandbox } from './shared-sandbox';

/** The process side, played by the test: records what the host sent, answers when told to. */
class ScriptedProcess implements ProcessChannel<ToSharedSandbox, FromSharedSandbox> {
  readonly pid = 4242;
  readonly sent: ToSharedSandbox[] = [];
  killed = 0;
  private handler: ((m: FromSharedSandbox) => void) | null = null;
  private exitHandler: ((info: ExitInfo) => void) | null = null;
  postMessage(message: ToSharedSandbox): void {
    this.sent.push(message);
  }
  onMessage(handler: (m: FromSharedSandbox) => void): void {
    this.handler = handler;
  }
  onExit(handler: (info: ExitInfo) => void): void {
    this.exitHandler = handler;
  }
  kill(): void {
    this.killed++;
  }
  reply(message: FromSharedSandbox): void {
    this.handler?.(message);
  }
  exit(info: ExitInfo): void {
    this.exitHandler?.(info);
  }
}

const GRACE = 2_000;

function setup(): { proc: ScriptedProcess; clock: ManualClock; shared: SharedSandbox } {
  const proc = new ScriptedProcess();
  const clock = new ManualClock();
  const shared = new SharedSandbox(proc, clock, GRACE);
  proc.reply({ type: 'ready', pid: proc.pid });
  return { proc, clock, shared };
}

describe('SharedSandbox', () => {
  it('holds what is sent before the process said ready, then sends it in order', async () => {
    const proc = new ScriptedProcess();
    const shared = new SharedSandbox(proc, new ManualClock(), GRACE);
    const a = shared.open();
    void a.request({ type: 'execute', input: '{}' }, null);
    expect(proc.sent).toEqual([]);
    proc.reply({ type: 'ready', pid: proc.pid });
    await shared.ready;
    expect(proc.sent).toEqual([{ type: 'open', slot: 1 }, { type: 'execute', input: '{}', id: 1, slot: 1 }]);
    shared.open();
    expect(proc.sent.at(-1)).toEqual({ type: 'open', slot: 2 });
  });

  it('opens slots and routes each reply to its own slot only', async () => {
    const { proc, shared } = setup();
    await shared.ready;
    const a = shared.open();
    const b = shared.open();
    expect(proc.sent).toEqual([{ type: 'open', slot: 1 }, { type: 'open', slot: 2 }]);
    proc.reply({ type: 'ready', pid: proc.pid, slot: 1 });
    proc.reply({ type: 'ready', pid: proc.pid, slot: 2 });
    await Promise.all([a.ready, b.ready]);
    expect(a.shared && b.shared).toBe(true);
    expect(a.pid).toBe(proc.pid);
    const reqA = a.request({ type: 'shutdown' }, null);
    const reqB = b.request({ type: 'shutdown' }, null);
    expect(proc.sent.slice(2)).toEqual([{ type: 'shutdown', id: 1, slot: 1 }, { type: 'shutdown', id: 1, slot: 2 }]);
    proc.reply({ type: 'shut-down', id: 1, log: ['b'], slot: 2 });
    proc.reply({ type: 'shut-down', id: 1, log: ['a'], slot: 1 });
    proc.reply({ type: 'shut-down', id: 1, log: ['nobody'], slot: 9 }); // unknown slot: ignored
    expect(await reqA).toMatchObject({ log: ['a'] });
    expect(await reqB).toMatchObject({ log: ['b'] });
    expect(shared.size).toBe(2);
  });

  it('ends only the slot when its worker stops in time, and clears the last-resort timer', async () => {
    const { proc, clock, shared } = setup();
    const a = shared.open();
    const b = shared.open();
    const aExit = new Promise<ExitInfo>((resolve) => a.onExit((info) => resolve(info)));
    a.kill();
    expect(proc.sent.at(-1)).toEqual({ type: 'close', slot: 1 });
    proc.reply({ type: 'closed', slot: 1, code: 1 });
    expect(await aExit).toEqual({ code: 1, signal: null, scope: 'worker' });
    await clock.advance(GRACE * 2);
    expect(proc.killed).toBe(0);
    expect(b.alive).toBe(true);
    expect(shared.alive).toBe(true);
    expect(shared.size).toBe(1);
  });

  it('kills the whole process when a worker does not stop within the grace period; every plugin in it fails clearly', async () => {
    const { proc, clock, shared } = setup();
    const stuck = shared.open();
    const neighbour = shared.open();
    proc.reply({ type: 'ready', pid: proc.pid, slot: 2 });
    await neighbour.ready;
    const inFlight = neighbour.request({ type: 'execute', input: '{}' }, null);
    stuck.kill();
    await clock.advance(GRACE - 1);
    expect(proc.killed).toBe(0);
    await clock.advance(1);
    expect(proc.killed).toBe(1);
    // Being killed: no new slot goes into it.
    expect(shared.alive).toBe(false);
    expect(() => shared.open()).toThrow(/has ended/);
    proc.exit({ code: null, signal: 'SIGKILL' });
    const err = await inFlight.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxCrashedError);
    expect((err as Error).message).toBe('shared sandbox process crashed (signal SIGKILL), taking every plugin in it down');
    expect(stuck.alive).toBe(false);
    expect(neighbour.alive).toBe(false);
    expect(shared.size).toBe(0);
    expect(await shared.exit()).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('a worker that ends by itself is a crash of that plugin only', async () => {
    const { proc, shared } = setup();
    const a = shared.open();
    const b = shared.open();
    proc.reply({ type: 'ready', pid: proc.pid, slot: 1 });
    await a.ready;
    const pending = a.request({ type: 'execute', input: '{}' }, null);
    proc.reply({ type: 'closed', slot: 1, code: 70 });
    await expect(pending).rejects.toThrow('sandbox worker ended (exit code 70)');
    expect(b.alive).toBe(true);
    expect(proc.killed).toBe(0);
  });
});
