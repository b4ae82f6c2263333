// SandboxProcess against real sandbox processes (forkSpawner + dist/sandbox.js): host events from conductor.midi_send
// and conductor.notify arrive through onEvent without disturbing request/reply, and the sandbox's environment.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { DEFAULT_LIMITS, type Capability, type PluginHostEvent } from '../../../src-shared/plugin';
import { cFixture } from '../../../plugins/fixtures';
import { HOST_LIMITS } from '../common/import-catalogue';
import { defaultSandboxEntry, forkSpawner, isPluginHostEvent, SandboxProcess, sandboxEnv } from './sandbox-process';
import { SYSTEM_ENV_KEYS } from '../common/import-catalogue';

const capsPath = cFixture('caps');
const capsSha = createHash('sha256').update(readFileSync(capsPath)).digest('hex');
const sandboxes: SandboxProcess[] = [];
let base: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'conductor-sbx-'));
});
afterEach(async () => {
  for (const s of sandboxes.splice(0)) await s.exit(0);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

async function sandboxWithCaps(grants: Capability[]): Promise<SandboxProcess> {
  const sandbox = new SandboxProcess(forkSpawner(defaultSandboxEntry(), 'test'));
  sandboxes.push(sandbox);
  await sandbox.ready;
  const reply = await sandbox.request(
    { type: 'load', name: 'caps', wasmPath: capsPath, sha256: capsSha, config: { limits: { ...DEFAULT_LIMITS }, grants, dataDir: null } },
    30_000,
  );
  expect(reply.type).toBe('loaded');
  return sandbox;
}

async function execute(sandbox: SandboxProcess, params: Record<string, unknown>) {
  const reply = await sandbox.request({ type: 'execute', input: JSON.stringify(params) }, 30_000);
  if (reply.type !== 'result') throw new Error(`unexpected reply ${reply.type}`);
  return reply.result;
}

describe('host events through a real sandbox process', () => {
  it("delivers midi_send and notify events before the call's result", async () => {
    const sandbox = await sandboxWithCaps(['midi', 'systemcontrol']);
    const seen: Array<PluginHostEvent | 'result'> = [];
    sandbox.onEvent((e) => seen.push(e));
    const midi = await execute(sandbox, { action: 'midi', note: 61, velocity: 7 });
    seen.push('result');
    expect(midi).toMatchObject({ ok: true, code: 0 });
    const notify = await execute(sandbox, { action: 'notify', title: 'Saved', body: 'scene 3' });
    seen.push('result');
    expect(notify).toMatchObject({ ok: true, code: 0 });
    expect(seen).toEqual([{ kind: 'midi', bytes: [0x90, 61, 7], port: null }, 'result', { kind: 'notify', title: 'Saved', body: 'scene 3' }, 'result']);
  });

  it('an ungranted capability fails the call and raises no event', async () => {
    const sandbox = await sandboxWithCaps(['midi']);
    const seen: PluginHostEvent[] = [];
    sandbox.onEvent((e) => seen.push(e));
    const r = await execute(sandbox, { action: 'notify', title: 'x' });
    expect(r).toMatchObject({ ok: false, errorKind: 'capability', error: 'conductor.notify needs the "systemcontrol" capability, which is not granted' });
    expect(seen).toEqual([]);
  });

  it('unsubscribes one listener without affecting others or the replies', async () => {
    const sandbox = await sandboxWithCaps(['midi']);
    const a: PluginHostEvent[] = [];
    const b: PluginHostEvent[] = [];
    const offA = sandbox.onEvent((e) => a.push(e));
    sandbox.onEvent((e) => b.push(e));
    sandbox.onEvent(() => {
      throw new Error('a failing listener');
    });
    await execute(sandbox, { action: 'midi', note: 1 });
    offA();
    offA(); // idempotent
    const [r1, r2] = await Promise.all([execute(sandbox, { action: 'midi', note: 2 }), execute(sandbox, { action: 'midi-raw', hex: 'F8' })]);
    expect([r1.log, r2.log]).toEqual([['midi: rc=0'], ['midi-raw: rc=0']]);
    expect(a.map((e) => (e.kind === 'midi' ? e.bytes[1] : -1))).toEqual([1]);
    expect(b.map((e) => (e.kind === 'midi' ? e.bytes : []))).toEqual([[0x90, 1, 100], [0x90, 2, 100], [0xf8]]);
  });
});

describe('the sandbox environment', () => {
  it("holds only NODE_ENV, PATH (plus SystemRoot/PATHEXT on Windows) and what conductor.system's tools need to reach the desktop", () => {
    const saved = { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS, AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/run/user/1000/bus';
    process.env.AWS_SECRET_ACCESS_KEY = 'must-not-leak';
    try {
      const keys = Object.keys(sandboxEnv()).sort();
      const allowed = [...(process.platform === 'win32' ? ['NODE_ENV', 'PATH', 'PATHEXT', 'SystemRoot'] : ['NODE_ENV', 'PATH']), ...SYSTEM_ENV_KEYS];
      expect(keys).toEqual([...new Set(allowed)].filter((k) => k === 'NODE_ENV' || process.env[k] !== undefined).sort());
      expect(keys).toContain('DBUS_SESSION_BUS_ADDRESS');
      expect(keys).not.toContain('AWS_SECRET_ACCESS_KEY');
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it.runIf(process.platform === 'linux')('passes PATH so conductor.exec finds programs, and nothing else of the host env but the desktop keys', async () => {
    const bin = join(base, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'conductor-probe-prog'), '#!/bin/sh\necho "found via PATH: $*"\n');
    chmodSync(join(bin, 'conductor-probe-prog'), 0o755);
    const savedPath = process.env.PATH;
    process.env.PATH = `${bin}${delimiter}${savedPath ?? ''}`;
    process.env.CONDUCTOR_TEST_SECRET = 'must-not-leak';
    let sandbox: SandboxProcess;
    try {
      sandbox = await sandboxWithCaps(['subprocess']);
    } finally {
      process.env.PATH = savedPath;
      delete process.env.CONDUCTOR_TEST_SECRET;
    }
    const found = await execute(sandbox, { action: 'exec', program: 'conductor-probe-prog', args: ['a b'] });
    expect(found.log).toContain('found via PATH: a b');
    const environ = await execute(sandbox, { action: 'exec', program: 'cat', args: [`/proc/${sandbox.pid}/environ`] });
    const line = environ.log.find((l) => l.startsWith('[info] exec response: ')) ?? '';
    const stdout = String((JSON.parse(line.slice('[info] exec response: '.length)) as { stdout: string }).stdout);
    const keys = stdout.split('\0').filter(Boolean).map((kv) => kv.split('=')[0]);
    // NODE_CHANNEL_FD / NODE_CHANNEL_SERIALIZATION_MODE are added by fork() itself for the IPC channel.
    const desktop = SYSTEM_ENV_KEYS.filter((k) => k !== 'PATH' && process.env[k] !== undefined);
    expect(keys.filter((k) => !k?.startsWith('NODE_CHANNEL_')).sort()).toEqual(['NODE_ENV', 'PATH', ...desktop].sort());
    expect(stdout).not.toContain('must-not-leak');
  });
});

describe('isPluginHostEvent', () => {
  it('accepts well-formed events', () => {
    expect(isPluginHostEvent({ kind: 'midi', bytes: [0x90, 60, 100], port: null })).toBe(true);
    expect(isPluginHostEvent({ kind: 'midi', bytes: [0xf8], port: 'IAC Bus 1' })).toBe(true);
    expect(isPluginHostEvent({ kind: 'notify', title: 't', body: '' })).toBe(true);
  });

  it('rejects malformed or oversized ones', () => {
    const bad: unknown[] = [
      null,
      'midi',
      { kind: 'midi', bytes: [], port: null },
      { kind: 'midi', bytes: [256], port: null },
      { kind: 'midi', bytes: [1.5], port: null },
      { kind: 'midi', bytes: '903c64', port: null },
      { kind: 'midi', bytes: [0x90], port: 3 },
      { kind: 'midi', bytes: new Array(HOST_LIMITS.midiMessageBytes + 1).fill(0), port: null },
      { kind: 'notify', title: 1, body: '' },
      { kind: 'notify', title: 'x'.repeat(HOST_LIMITS.notifyTitleBytes + 1), body: '' },
      { kind: 'lock-screen' },
    ];
    for (const e of bad) expect(isPluginHostEvent(e), JSON.stringify(e)?.slice(0, 60)).toBe(false);
  });
});

describe.runIf(process.platform === 'linux')('a request to a sandbox that has just died', () => {
  it('fails with the crash once the exit is seen, though it was sent before Node noticed the death', async () => {
    const sandbox = new SandboxProcess(forkSpawner(defaultSandboxEntry(), 'test'));
    sandboxes.push(sandbox);
    await sandbox.ready;
    const pid = sandbox.pid ?? -1;
    process.kill(pid, 'SIGKILL');
    // Wait without yielding to the event loop until the child is a zombie: Node has not seen the exit yet, so the
    // request below is still written to the channel. (A write that fails with EPIPE goes to forkSpawner's send
    // callback; CI once saw it raised as an unhandled error before that callback existed.)
    const state = (): string => {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    };
    while (state() !== 'Z') {
      // spin: a few milliseconds at most
    }
    expect(sandbox.alive).toBe(true);
    const reply = sandbox.request({ type: 'shutdown' }, 30_000);
    await expect(reply).rejects.toThrow(/sandbox process crashed \(signal SIGKILL\)/);
    expect(sandbox.alive).toBe(false);
  });
});
