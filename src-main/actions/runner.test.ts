// The action runner: Sequence, Delay and Repeat ordering on the manual timer, stop-at-first-failure, nested
// action events, ModeChange through its callback, abort. Real runner, recording MIDI output, manual clock.
import { describe, expect, it } from 'vitest';
import type { Action } from '../../src-shared/config';
import type { EngineEvent } from '../../src-shared/engine';
import type { MidiMessage } from '../../src-shared/midi';
import type { CallResult } from '../../src-shared/plugin';
import { describeAction } from '../../src-shared/wording';
import { ManualClock, flushMicrotasks } from '../common/test-support/manual-clock';
import type { ConditionSources } from './conditions';
import { ActionRunner, type ModeChanger, type RunScope } from './runner';

const note = (n: number): Action => ({ type: 'SendMidi', port: 'out', message: { type: 'NoteOn', channel: 0, note: n, velocity: 1 } });

function setup(changeMode: ModeChanger = () => ({ ok: true, detail: 'mode X → Y' }), conditions?: ConditionSources) {
  const clock = new ManualClock(0);
  const log: { at: number; note: number }[] = [];
  const events: EngineEvent[] = [];
  let seq = 0;
  const runner = new ActionRunner(
    {
      plugins: null,
      midiOut: { send: (_port: string, m: MidiMessage) => void log.push({ at: clock.now(), note: m.type === 'noteOn' ? m.note : -1 }) },
      clock,
      timer: clock,
      platform: 'linux',
      env: {},
      pluginTimeoutMs: 1000,
      toolTimeoutMs: 1000,
      ...(conditions ? { conditions } : {}),
    },
    (e) => events.push({ ...e, seq: ++seq, at: clock.now() } as EngineEvent),
    changeMode,
  );
  const abort = new AbortController();
  const scope: RunScope = { runId: 1, mapping: { scope: 'mode', mode: 'Default', index: 0, description: 'test' }, context: { trigger: 'Note', mode: 'Default', timestamp: 0 }, signal: abort.signal };
  return { clock, log, events, runner, scope, abort };
}

describe('Sequence, Delay and Repeat', () => {
  it('runs a sequence in order, each delay on the injected timer', async () => {
    const { clock, log, runner, scope } = setup();
    const done = runner.run({ type: 'Sequence', actions: [note(1), { type: 'Delay', ms: 100 }, note(2), { type: 'Delay', ms: 50 }, note(3)] }, scope);
    await flushMicrotasks();
    expect(log).toEqual([{ at: 0, note: 1 }]);
    await clock.advance(99);
    expect(log).toHaveLength(1);
    await clock.advance(1);
    expect(log).toEqual([
      { at: 0, note: 1 },
      { at: 100, note: 2 },
    ]);
    await clock.advance(50);
    expect(await done).toBe(true);
    expect(log.map((l) => [l.at, l.note])).toEqual([
      [0, 1],
      [100, 2],
      [150, 3],
    ]);
  });

  it('repeats count times with the delay between repetitions (not after the last)', async () => {
    const { clock, log, runner, scope, events } = setup();
    const done = runner.run({ type: 'Repeat', count: 3, delayBetweenMs: 40, action: { type: 'Sequence', actions: [note(1), note(2)] } }, scope);
    await clock.advance(80);
    expect(await done).toBe(true);
    expect(log.map((l) => `${l.at}:${l.note}`)).toEqual(['0:1', '0:2', '40:1', '40:2', '80:1', '80:2']);
    const top = events.find((e) => e.kind === 'action-finish' && e.parentActionId === null);
    expect(top).toMatchObject({ action: 'Repeat', durationMs: 80, detail: '3 times' });
  });

  it('stops a sequence at the first failing step and reports which', async () => {
    const { log, runner, scope, events } = setup();
    const bad: Action = { type: 'SendMidi', port: 'out', message: { type: 'NoteOn', channel: 0, note: 200, velocity: 1 } };
    expect(await runner.run({ type: 'Sequence', actions: [note(1), bad, note(3)] }, scope)).toBe(false);
    expect(log.map((l) => l.note)).toEqual([1]);
    const errors = events.filter((e) => e.kind === 'action-error').map((e) => (e.kind === 'action-error' ? e.error : ''));
    expect(errors).toEqual(['SendMidi: noteOn: note must be an integer 0–127, got 200', 'step 2 of 3 (SendMidi) failed; the rest was skipped']);
  });

  it('ends a delay at once when aborted', async () => {
    const { clock, runner, scope, abort, events } = setup();
    const done = runner.run({ type: 'Delay', ms: 60_000 }, scope);
    await flushMicrotasks();
    abort.abort();
    expect(await done).toBe(false);
    expect(clock.pendingCount).toBe(0);
    expect(events.at(-1)).toMatchObject({ kind: 'action-error', error: 'aborted: the engine is shutting down' });
  });

  it('passes ModeChange to the engine callback with its target and relative flag', async () => {
    const calls: [string | number, boolean][] = [];
    const { runner, scope, events } = setup((target, relative) => {
      calls.push([target, relative]);
      return typeof target === 'number' ? { ok: true, detail: 'moved' } : { ok: false, error: 'no such mode' };
    });
    expect(await runner.run({ type: 'ModeChange', mode: -1, relative: true }, scope)).toBe(true);
    expect(await runner.run({ type: 'ModeChange', mode: 'X' }, scope)).toBe(false);
    expect(calls).toEqual([
      [-1, true],
      ['X', false],
    ]);
    expect(events.filter((e) => e.kind === 'action-error')).toMatchObject([{ error: 'ModeChange: no such mode' }]);
  });
});

describe('summaries', () => {
  it('word each action as the UI and the CLI do (src-shared/wording.ts), nested actions included', async () => {
    const { runner, scope, events } = setup();
    const action: Action = { type: 'Sequence', actions: [note(36), { type: 'ModeChange', mode: 1, relative: true }] };
    expect(await runner.run(action, scope)).toBe(true);
    const starts = events.filter((e) => e.kind === 'action-start');
    expect(starts.map((e) => e.summary)).toEqual([describeAction(action), 'Send note on C1 (36) velocity 1 on channel 1 to "out"', 'Switch to the next mode']);
    expect(starts[0]?.summary).toBe('Sequence: send note on C1 (36) velocity 1 on channel 1 to "out", then switch to the next mode');
  });
});

describe('plugin calls bounded on one deadline timer', () => {
  /** A runner whose plugins answer only when the test says so (`answer(path)`), or never. */
  function pluginSetup() {
    const clock = new ManualClock(0);
    const events: EngineEvent[] = [];
    const answers = new Map<string, () => void>();
    const ok: CallResult = { ok: true, code: 0, error: null, errorKind: null, fuelConsumed: 1, durationMs: 0, memoryBytes: 0, log: [] };
    const runner = new ActionRunner(
      {
        plugins: {
          ensureLoaded: (path: string) =>
            Promise.resolve({ id: path, call: () => new Promise<CallResult>((resolve) => answers.set(path, () => resolve(ok))) }),
        },
        midiOut: null,
        clock,
        timer: clock,
        platform: 'linux',
        env: {},
        pluginTimeoutMs: 1000,
        toolTimeoutMs: 1000,
      },
      (e) => events.push({ ...e, at: clock.now() } as EngineEvent),
      () => ({ ok: true, detail: '' }),
    );
    const abort = new AbortController();
    const scope = (runId: number): RunScope => ({ runId, mapping: { scope: 'mode', mode: 'Default', index: 0, description: 'test' }, context: { trigger: 'Note', mode: 'Default', timestamp: 0 }, signal: abort.signal });
    const plugin = (path: string): Action => ({ type: 'WasmPlugin', path, params: {} });
    const ended = () => events.filter((e) => e.kind === 'action-finish' || e.kind === 'action-error').map((e) => [e.runId, e.kind, e.at, e.kind === 'action-error' ? e.error : null]);
    return { clock, runner, scope, plugin, answers, ended, abort };
  }

  it('each call ends at its own deadline; answered calls never time out; one timer, not one per call', async () => {
    const { clock, runner, scope, plugin, answers, ended } = pluginSetup();
    const first = runner.run(plugin('a.wasm'), scope(1));
    await clock.advance(300);
    const second = runner.run(plugin('b.wasm'), scope(2));
    const third = runner.run(plugin('c.wasm'), scope(3));
    await flushMicrotasks();
    expect(clock.pendingCount).toBe(1);
    answers.get('c.wasm')?.();
    expect(await third).toBe(true);
    await clock.advance(700);
    expect(await first).toBe(false);
    await clock.advance(299);
    expect(ended()).toEqual([
      [3, 'action-finish', 300, null],
      [1, 'action-error', 1000, 'WasmPlugin: no answer within 1000 ms'],
    ]);
    await clock.advance(1);
    expect(await second).toBe(false);
    expect(ended().at(-1)).toEqual([2, 'action-error', 1300, 'WasmPlugin: no answer within 1000 ms']);
    expect(clock.pendingCount).toBe(0);
  });

  it('an abort ends every waiting call at once, and a late answer changes nothing', async () => {
    const { clock, runner, scope, plugin, answers, ended, abort } = pluginSetup();
    const one = runner.run(plugin('a.wasm'), scope(1));
    const two = runner.run(plugin('b.wasm'), scope(2));
    await flushMicrotasks();
    abort.abort();
    expect([await one, await two]).toEqual([false, false]);
    answers.get('a.wasm')?.();
    await clock.advance(2000);
    expect(ended()).toEqual([
      [1, 'action-error', 0, 'aborted: the engine is shutting down'],
      [2, 'action-error', 0, 'aborted: the engine is shutting down'],
    ]);
  });
});

describe('Conditional', () => {
  const front = (app: string | null, pending?: Promise<never>): ConditionSources => ({
    now: () => 0,
    localTime: () => ({ minutes: 600, isoDay: 1 }),
    apps: { isRunning: async () => false, isFrontmost: (name) => pending ?? Promise.resolve(app === name) },
  });

  it('runs then_action when the condition holds, else_action when not, as child actions', async () => {
    const { log, runner, scope, events } = setup(undefined, front('firefox'));
    const action: Action = { type: 'Conditional', condition: { type: 'AppFrontmost', appName: 'firefox' }, thenAction: note(1), elseAction: note(2) };
    expect(await runner.run(action, scope)).toBe(true);
    expect(await runner.run({ ...action, condition: { type: 'Not', condition: action.condition } }, scope)).toBe(true);
    expect(log.map((l) => l.note)).toEqual([1, 2]);
    const finished = events.filter((e) => e.kind === 'action-finish');
    expect(finished.map((e) => (e.kind === 'action-finish' ? [e.action, e.parentActionId, e.detail] : null))).toEqual([
      ['SendMidi', 1, 'Note on C#-2 (1) velocity 1, channel 1 → out'],
      ['Conditional', null, 'the condition held: then_action ran'],
      ['SendMidi', 3, 'Note on D-2 (2) velocity 1, channel 1 → out'],
      ['Conditional', null, 'the condition did not hold: else_action ran'],
    ]);
  });

  it('without else_action does nothing when the condition does not hold, and succeeds', async () => {
    const { log, runner, scope, events } = setup(undefined, front(null));
    expect(await runner.run({ type: 'Conditional', condition: { type: 'TimeRange', start: '12:00', end: '13:00' }, thenAction: note(1) }, scope)).toBe(true);
    expect(log).toEqual([]);
    expect(events.at(-1)).toMatchObject({ kind: 'action-finish', action: 'Conditional', detail: 'the condition did not hold; no else_action' });
  });

  it('fails, naming the condition, when it cannot be decided; and when the chosen branch fails', async () => {
    const { runner, scope, events } = setup();
    expect(await runner.run({ type: 'Conditional', condition: { type: 'AppRunning', appName: 'x' }, thenAction: note(1) }, scope)).toBe(false);
    expect(events.at(-1)).toMatchObject({ kind: 'action-error', action: 'Conditional', error: 'AppRunning: no way to list applications on this machine' });
    const failing: Action = { type: 'ModeChange', mode: 'Nowhere' };
    const broken = setup(() => ({ ok: false, error: 'no mode "Nowhere"' }), front('a'));
    expect(await broken.runner.run({ type: 'Conditional', condition: { type: 'Always' }, thenAction: failing }, broken.scope)).toBe(false);
    expect(broken.events.at(-1)).toMatchObject({ kind: 'action-error', action: 'Conditional', error: 'the then_action failed' });
  });

  it('an app source that never answers fails the action at the tool deadline, on the injected timer', async () => {
    const { clock, runner, scope, events } = setup(undefined, front(null, new Promise<never>(() => undefined)));
    const done = runner.run({ type: 'Conditional', condition: { type: 'AppFrontmost', appName: 'x' }, thenAction: note(1) }, scope);
    await flushMicrotasks();
    await clock.advance(5999);
    expect(events.filter((e) => e.kind === 'action-error')).toEqual([]);
    await clock.advance(1);
    expect(await done).toBe(false);
    expect(events.at(-1)).toMatchObject({ kind: 'action-error', action: 'Conditional', error: 'Conditional: the condition had no answer within 6000 ms' });
  });
});
