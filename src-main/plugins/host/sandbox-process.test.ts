// SandboxProcess's request deadlines on one timer per sandbox, over a fake channel and a ManualClock (no process,
// no wall-clock time): a deadline kills only its own sandbox, fires after earlier calls finished, and a reply at the
// deadline's own tick still wins when it arrives first; the compact result reply comes back whole.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../common/test-support/manual-clock';
import type { FromSandbox, ToSandbox } from '../common/protocol';
import { SandboxCallNotStartedError, SandboxCrashedError, SandboxProcess, SandboxTimeoutError, type ExitInfo, type SandboxChannel } from './sandbox-process';

/** A channel whose far side the test plays: it sees what was sent and answers (or not) when told. */
class FakeChannel implements SandboxChannel {
  readonly pid = 4242;
  readonly sent: ToSandbox[] = [];
  kills = 0;
  private onMessageHandler: (m: FromSandbox) => void = () => {};
  private onExitHandler: (info: ExitInfo) => void = () => {};
  postMessage(message: ToSandbox): void {
    this.sent.push(structuredClone(message));
  }
  onMessage(handler: (m: FromSandbox) => void): void {
    this.onMessageHandler = handler;
  }
  onExit(handler: (info: ExitInfo) => void): void {
    this.onExitHandler = handler;
  }
  kill(): void {
    this.kills++;
    queueMicrotask(() => this.onExitHandler({ code: null, signal: 'SIGKILL' }));
  }
  reply(id: number): void {
    this.onMessageHandler({ type: 'result', id, result: { ok: true, code: 0, fuelConsumed: 3, durationMs: 0.01, memoryBytes: 65536 } });
  }
}

function sandbox(clock: ManualClock): { channel: FakeChannel; process: SandboxProcess } {
  const channel = new FakeChannel();
  return { channel, process: new SandboxProcess(channel, clock) };
}

const execute = (p: SandboxProcess, timeoutMs = 100) => p.request({ type: 'execute', input: '{}' }, timeoutMs);

describe('SandboxProcess deadlines', () => {
  it("restores the compact result's default fields", async () => {
    const clock = new ManualClock(0);
    const { channel, process } = sandbox(clock);
    const call = execute(process);
    expect(channel.sent).toEqual([{ type: 'execute', input: '{}', id: 1 }]);
    channel.reply(1);
    expect(await call).toEqual({ type: 'result', id: 1, result: { ok: true, code: 0, error: null, errorKind: null, fuelConsumed: 3, durationMs: 0.01, memoryBytes: 65536, log: [] } });
  });

  it("two sandboxes' deadlines: the one that passes kills only its own sandbox", async () => {
    const clock = new ManualClock(0);
    const a = sandbox(clock);
    const b = sandbox(clock);
    const slow = execute(a.process).catch((err: unknown) => err);
    const quick = execute(b.process);
    await clock.advance(50);
    b.channel.reply(1);
    await expect(quick).resolves.toMatchObject({ type: 'result' });
    await clock.advance(49);
    expect(a.channel.kills).toBe(0);
    await clock.advance(1);
    const err = await slow;
    expect(err).toBeInstanceOf(SandboxTimeoutError);
    expect((err as SandboxTimeoutError).timeoutMs).toBe(100);
    expect(a.channel.kills).toBe(1);
    expect(a.process.alive).toBe(false);
    expect(b.channel.kills).toBe(0);
    expect(b.process.alive).toBe(true);
  });

  it('a deadline after earlier calls finished fires at its own time, not the first call’s', async () => {
    const clock = new ManualClock(0);
    const { channel, process } = sandbox(clock);
    for (let id = 1; id <= 3; id++) {
      const call = execute(process);
      await clock.advance(30);
      channel.reply(id);
      await call;
    }
    expect(clock.pendingCount).toBe(1); // the first call's armed timer, not one per call
    const hung = execute(process).catch((err: unknown) => err); // due at 90 + 100
    await clock.advance(99);
    expect(channel.kills).toBe(0);
    await clock.advance(1);
    expect(await hung).toBeInstanceOf(SandboxTimeoutError);
    expect(channel.kills).toBe(1);
  });

  it('a reply that arrives at the deadline’s tick, before the timer runs, wins', async () => {
    const clock = new ManualClock(0);
    const { channel, process } = sandbox(clock);
    const call = execute(process);
    await clock.advance(99);
    // The reply and the deadline fall in the same millisecond; the reply is handled first.
    channel.reply(1);
    await clock.advance(1);
    await expect(call).resolves.toMatchObject({ type: 'result', id: 1 });
    expect(channel.kills).toBe(0);
    expect(process.alive).toBe(true);
  });

  it('a crash fails every pending call and leaves no timer behind', async () => {
    const clock = new ManualClock(0);
    const { channel, process } = sandbox(clock);
    const one = execute(process).catch((err: unknown) => err);
    const two = execute(process, 500).catch((err: unknown) => err);
    channel.kill();
    expect(String(await one)).toMatch(/sandbox process crashed/);
    expect(String(await two)).toMatch(/sandbox process crashed/);
    expect(clock.pendingCount).toBe(0);
  });
});

describe('SandboxProcess sequenced calls (sent ahead)', () => {
  const sequenced = (p: SandboxProcess, timeoutMs = 100) => p.request({ type: 'execute', input: '{}' }, timeoutMs, true);

  it('sends at once, and starts a waiting call’s deadline only when the one before it is answered', async () => {
    const clock = new ManualClock(0);
    const { channel, process } = sandbox(clock);
    const first = sequenced(process);
    const second = sequenced(process).catch((err: unknown) => err);
    expect(channel.sent.map((m) => m.id)).toEqual([1, 2]);
    await clock.advance(90);
    channel.reply(1);
    await expect(first).resolves.toMatchObject({ type: 'result', id: 1 });
    // 150 ms after it was sent, 60 after it began: still within its own 100 ms.
    await clock.advance(60);
    expect(channel.kills).toBe(0);
    await clock.advance(39);
    expect(channel.kills).toBe(0);
    await clock.advance(1);
    expect(await second).toBeInstanceOf(SandboxTimeoutError);
    expect(channel.kills).toBe(1);
  });

  it('when the running call crashes, it fails as a crash and the calls behind it as not started', async () => {
    const clock = new ManualClock(0);
    const { channel, process } = sandbox(clock);
    const calls = [sequenced(process), sequenced(process), sequenced(process)].map((c) => c.catch((err: unknown) => err));
    channel.reply(1);
    channel.kill();
    const [one, two, three] = await Promise.all(calls);
    expect(one).toMatchObject({ type: 'result', id: 1 });
    expect(two).toBeInstanceOf(SandboxCrashedError);
    expect(three).toBeInstanceOf(SandboxCallNotStartedError);
    expect(clock.pendingCount).toBe(0);
  });

  it('when the running call times out, the calls behind it fail as not started (nothing of them ran)', async () => {
    const clock = new ManualClock(0);
    const { channel, process } = sandbox(clock);
    const calls = [sequenced(process), sequenced(process, 500), sequenced(process, 500)].map((c) => c.catch((err: unknown) => err));
    await clock.advance(100);
    const [one, two, three] = await Promise.all(calls);
    expect(one).toBeInstanceOf(SandboxTimeoutError);
    expect(two).toBeInstanceOf(SandboxCallNotStartedError);
    expect(three).toBeInstanceOf(SandboxCallNotStartedError);
    expect(channel.kills).toBe(1);
  });

  it('an unsequenced request (load, shutdown) keeps its own deadline from when it is sent', async () => {
    const clock = new ManualClock(0);
    const { channel, process } = sandbox(clock);
    const call = sequenced(process, 1000).catch((err: unknown) => err);
    const shutdown = process.request({ type: 'shutdown' }, 100).catch((err: unknown) => err);
    await clock.advance(100);
    expect(await shutdown).toBeInstanceOf(SandboxTimeoutError);
    expect(await call).toBeInstanceOf(SandboxCrashedError);
    expect(channel.kills).toBe(1);
  });
});
