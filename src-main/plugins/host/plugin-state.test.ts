// The plugin lifecycle table and the call gate: every move between two states is either in the table (and taken) or
// refused without a change; each refusal of a call has exactly one wording.
import { describe, expect, it } from 'vitest';
import type { PluginState } from '../../../src-shared/plugin';
import { gate, IllegalTransitionError, PluginStateMachine, TRANSITIONS, waitingForApproval, type GateInput, type StateChange } from './plugin-state';

const STATES = Object.keys(TRANSITIONS) as PluginState[];

/** A machine brought to `state` through legal moves only (shortest path from `loading`). */
function machineIn(state: PluginState): PluginStateMachine {
  const paths = new Map<PluginState, PluginState[]>([['loading', []]]);
  const todo: PluginState[] = ['loading'];
  for (let at = todo.shift(); at !== undefined; at = todo.shift()) {
    for (const to of TRANSITIONS[at]) {
      if (paths.has(to)) continue;
      paths.set(to, [...(paths.get(at) ?? []), to]);
      todo.push(to);
    }
  }
  const path = paths.get(state);
  if (!path) throw new Error(`"${state}" cannot be reached from "loading"`);
  const machine = new PluginStateMachine();
  for (const to of path) machine.transition(to, `reason for ${to}`);
  expect(machine.state).toBe(state);
  return machine;
}

describe('the transition table', () => {
  it('names every state, and every state can be reached from loading', () => {
    expect(STATES.sort()).toEqual(['disabled', 'failed', 'loading', 'ready', 'restarting', 'unloaded', 'waiting-approval']);
    for (const state of STATES) expect(machineIn(state).state).toBe(state);
  });

  it('every state but unloaded can be unloaded, and unloaded is final', () => {
    for (const state of STATES) expect(TRANSITIONS[state].includes('unloaded')).toBe(state !== 'unloaded');
    expect(TRANSITIONS.unloaded).toEqual([]);
    expect(TRANSITIONS.failed).toEqual(['unloaded']);
  });

  for (const from of STATES) {
    for (const to of STATES) {
      const legal = TRANSITIONS[from].includes(to);
      it(`${legal ? 'allows' : 'refuses'} ${from} → ${to}`, () => {
        const machine = machineIn(from);
        const seen: StateChange[] = [];
        machine.onDidChangeState((change) => seen.push(change));
        if (legal) {
          machine.transition(to, 'why');
          expect({ state: machine.state, reason: machine.reason }).toEqual({ state: to, reason: 'why' });
          expect(seen).toEqual([{ from, to, reason: 'why' }]);
        } else {
          const reasonBefore = machine.reason;
          expect(() => machine.transition(to, 'why')).toThrow(IllegalTransitionError);
          expect({ state: machine.state, reason: machine.reason }).toEqual({ state: from, reason: reasonBefore });
          expect(seen).toEqual([]);
        }
      });
    }
  }

  it('says which moves were allowed when it refuses one', () => {
    expect(() => machineIn('failed').transition('ready')).toThrow('a plugin cannot go from "failed" to "ready" (allowed: unloaded)');
    expect(() => machineIn('unloaded').transition('loading')).toThrow('a plugin cannot go from "unloaded" to "loading" (allowed: none)');
  });

  it('starts in loading without a reason', () => {
    const machine = new PluginStateMachine();
    expect({ state: machine.state, reason: machine.reason }).toEqual({ state: 'loading', reason: null });
  });
});

describe('the call gate', () => {
  const base: GateInput = { state: 'ready', reason: null, pending: [], queuedCalls: 0, maxQueuedCalls: 2 };

  it('lets a call run or wait while the plugin is loading, ready or restarting', () => {
    for (const state of ['loading', 'ready', 'restarting'] as const) expect(gate({ ...base, state, queuedCalls: 1 })).toBeNull();
  });

  it('refuses with one wording per reason', () => {
    expect(gate({ ...base, state: 'failed', reason: 'bad magic' })).toEqual({ kind: 'load', error: 'plugin failed to load: bad magic' });
    expect(gate({ ...base, state: 'disabled', reason: 'too many crashes' })).toEqual({ kind: 'disabled', error: 'plugin disabled: too many crashes' });
    expect(gate({ ...base, state: 'unloaded' })).toEqual({ kind: 'disabled', error: 'plugin was unloaded' });
    expect(gate({ ...base, state: 'waiting-approval', pending: ['filesystem', 'subprocess'] })).toEqual({
      kind: 'approval',
      error: 'waiting for approval of: filesystem (medium risk), subprocess (high risk)',
    });
    expect(gate({ ...base, queuedCalls: 2 })).toEqual({ kind: 'busy', error: 'plugin busy: 2 calls already queued' });
  });

  it('refuses by state before it looks at the queue', () => {
    expect(gate({ ...base, state: 'disabled', reason: 'x', queuedCalls: 5 })?.kind).toBe('disabled');
  });

  it('words "waiting for approval" the same as the state reason the plugin shows', () => {
    expect(gate({ ...base, state: 'waiting-approval', pending: ['network'] })?.error).toBe(waitingForApproval(['network']));
  });
});
