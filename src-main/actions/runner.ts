// Runs one action tree (a mapping's action, with Sequence/Repeat/Delay nesting) and reports each action's start,
// finish or error as engine events. Never throws, never hangs past a deadline, and stops promptly on abort.
import type { Action } from '../../src-shared/config';
import type { EngineEventInput, MappingRef } from '../../src-shared/engine';
import { errorMessage } from '../../src-shared/errors';
import type { TriggerContext } from '../../src-shared/plugin';
import { describeAction } from '../../src-shared/wording';
import { sleep } from '../common/clock';
import { Deadlines, type Deadline } from '../common/deadlines';
import { evaluateCondition } from './conditions';
import { keystroke, typeText } from './keystroke';
import { mouseClick } from './mouse-click';
import { volumeControl } from './volume-control';
import { sendMidi } from './send-midi';
import { launch, runShell, SHELL_TIMEOUT_MS } from './shell';
import { failed, succeeded, type ActionDeps, type ActionOutcome } from './types';
import { runWasmPlugin } from './wasm-plugin';

/** Extra time the runner allows past an action's own deadline (Shell, Keystroke…) before giving up on it. */
const DEADLINE_SLACK_MS = 5_000;

/** What one run of a mapping's action is about. */
export interface RunScope {
  runId: number;
  mapping: MappingRef;
  context: TriggerContext;
  /** Aborted when the engine is disposed: delays end, processes are killed, plugin calls are no longer awaited. */
  signal: AbortSignal;
}

/** Switches the engine's mode for a ModeChange action. */
export type ModeChanger = (target: string | number, relative: boolean) => { ok: true; detail: string } | { ok: false; error: string };

/** `describeAction` of each action object, worded once (actions are immutable config objects). */
const summaries = new WeakMap<Action, string>();
function summaryOf(action: Action): string {
  let summary = summaries.get(action);
  if (summary === undefined) {
    summary = describeAction(action);
    summaries.set(action, summary);
  }
  return summary;
}

/** One bounded wait (ActionRunner.bounded): its deadline entry, the waits of its signal, its answer. */
class BoundedWait implements Deadline {
  dueAt = 0;
  prevDeadline: Deadline | null = null;
  nextDeadline: Deadline | null = null;
  done = false;
  resolve: (outcome: ActionOutcome) => void = () => {};
  constructor(
    readonly timeoutMessage: string,
    readonly waiters: Set<BoundedWait>,
  ) {}
}

const ABORTED = 'aborted: the engine is shutting down';

export class ActionRunner {
  private nextActionId = 1;
  /** Per abort signal, the bounded waits to end when it aborts: one listener per signal, not one per action. */
  private readonly abortWaiters = new WeakMap<AbortSignal, Set<BoundedWait>>();
  /** Every bounded wait's deadline on one armed timer (not a timer per action). */
  private readonly deadlines: Deadlines<BoundedWait>;

  private readonly pluginTimeoutMessage: string;

  constructor(
    private readonly deps: ActionDeps,
    private readonly emit: (event: EngineEventInput) => void,
    private readonly changeMode: ModeChanger,
  ) {
    this.pluginTimeoutMessage = `WasmPlugin: no answer within ${deps.pluginTimeoutMs} ms`;
    this.deadlines = new Deadlines<BoundedWait>(deps.timer, (wait) => this.finish(wait, failed(wait.timeoutMessage)));
  }

  /** Runs `action` (and its children), emitting start and finish/error. Resolves with whether it succeeded. */
  async run(action: Action, scope: RunScope, parentActionId: number | null = null): Promise<boolean> {
    const actionId = this.nextActionId++;
    const { runId, mapping } = scope;
    const type = action.type;
    const summary = summaryOf(action);
    const startedAt = this.deps.clock.now();
    // Event objects written out (no shared base spread into each): one object per event.
    this.emit({ kind: 'action-start', runId, actionId, parentActionId, action: type, summary, mapping });
    let outcome: ActionOutcome;
    try {
      outcome = await this.execute(action, scope, actionId);
    } catch (err) {
      outcome = failed(`${action.type}: ${errorMessage(err)}`);
    }
    const durationMs = Math.max(0, this.deps.clock.now() - startedAt);
    const plugin = outcome.plugin ?? null;
    const process = outcome.process ?? null;
    if (outcome.ok) this.emit({ kind: 'action-finish', runId, actionId, parentActionId, action: type, summary, mapping, durationMs, detail: outcome.detail, plugin, process });
    else this.emit({ kind: 'action-error', runId, actionId, parentActionId, action: type, summary, mapping, durationMs, error: outcome.error, plugin, process });
    return outcome.ok;
  }

  /** Not async itself (one promise less per press): the waiting kinds return their promise, the others their outcome. */
  private execute(action: Action, scope: RunScope, actionId: number): ActionOutcome | Promise<ActionOutcome> {
    if (scope.signal.aborted) return failed(ABORTED);
    const { deps } = this;
    switch (action.type) {
      case 'WasmPlugin':
        return this.bounded(runWasmPlugin(action, scope.context, deps.plugins), deps.pluginTimeoutMs, scope.signal, this.pluginTimeoutMessage);
      case 'ModeChange': {
        const result = this.changeMode(action.mode, action.relative === true);
        return result.ok ? succeeded(result.detail) : failed(`ModeChange: ${result.error}`);
      }
      case 'SendMidi':
        return sendMidi(action, deps.midiOut);
      case 'Sequence':
        return this.sequence(action, scope, actionId);
      case 'Delay':
        return this.delay(action.ms, scope.signal);
      case 'Repeat':
        return this.repeat(action, scope, actionId);
      case 'Shell': {
        const limit = (action.timeoutMs ?? SHELL_TIMEOUT_MS) + DEADLINE_SLACK_MS;
        return this.bounded(runShell(action, this.processDeps(scope.signal)), limit, scope.signal, `Shell: no exit within ${limit} ms`);
      }
      case 'Launch': {
        const limit = deps.toolTimeoutMs + DEADLINE_SLACK_MS;
        return this.bounded(launch(action, { ...this.processDeps(scope.signal), timeoutMs: deps.toolTimeoutMs }), limit, scope.signal, `Launch: no answer within ${limit} ms`);
      }
      case 'Keystroke':
      case 'Text': {
        const limit = deps.toolTimeoutMs + DEADLINE_SLACK_MS;
        const keyDeps = { ...this.processDeps(scope.signal), timeoutMs: deps.toolTimeoutMs };
        const work = action.type === 'Keystroke' ? keystroke(action, keyDeps) : typeText(action, keyDeps);
        return this.bounded(work, limit, scope.signal, `${action.type}: no answer within ${limit} ms`);
      }
      case 'VolumeControl': {
        const limit = deps.toolTimeoutMs + DEADLINE_SLACK_MS;
        return this.bounded(volumeControl(action, deps.system ?? null, deps.toolTimeoutMs), limit, scope.signal, `VolumeControl: no answer within ${limit} ms`);
      }
      case 'MouseClick': {
        const limit = deps.toolTimeoutMs + DEADLINE_SLACK_MS;
        return this.bounded(mouseClick(action, { ...this.processDeps(scope.signal), timeoutMs: deps.toolTimeoutMs }), limit, scope.signal, `MouseClick: no answer within ${limit} ms`);
      }
      case 'Conditional':
        return this.conditional(action, scope, actionId);
    }
  }

  /** Decides the condition (an app query bounded like a tool run), then runs the chosen branch as a child action. */
  private async conditional(action: Extract<Action, { type: 'Conditional' }>, scope: RunScope, actionId: number): Promise<ActionOutcome> {
    const sources = this.deps.conditions ?? { now: () => this.deps.clock.now(), apps: null };
    const limit = this.deps.toolTimeoutMs + DEADLINE_SLACK_MS;
    const decision = evaluateCondition(action.condition, scope.context.mode, sources).then((holds) => succeeded(holds ? 'then' : 'else'));
    const decided = await this.bounded(decision, limit, scope.signal, `Conditional: the condition had no answer within ${limit} ms`);
    if (!decided.ok) return decided;
    const holds = decided.detail === 'then';
    const branch = holds ? action.thenAction : action.elseAction;
    if (!branch) return succeeded('the condition did not hold; no else_action');
    const ok = await this.run(branch, scope, actionId);
    return ok ? succeeded(holds ? 'the condition held: then_action ran' : 'the condition did not hold: else_action ran') : failed(`the ${holds ? 'then_action' : 'else_action'} failed`);
  }

  private async sequence(action: Extract<Action, { type: 'Sequence' }>, scope: RunScope, actionId: number): Promise<ActionOutcome> {
    for (const [i, child] of action.actions.entries()) {
      if (!(await this.run(child, scope, actionId))) return failed(`step ${i + 1} of ${action.actions.length} (${child.type}) failed; the rest was skipped`);
    }
    return succeeded(`${action.actions.length} steps`);
  }

  private async repeat(action: Extract<Action, { type: 'Repeat' }>, scope: RunScope, actionId: number): Promise<ActionOutcome> {
    const count = Math.max(0, Math.floor(action.count));
    for (let i = 0; i < count; i++) {
      if (i > 0 && (action.delayBetweenMs ?? 0) > 0) {
        const waited = await this.delay(action.delayBetweenMs ?? 0, scope.signal);
        if (!waited.ok) return waited;
      }
      if (!(await this.run(action.action, scope, actionId))) return failed(`repetition ${i + 1} of ${count} failed; the rest was skipped`);
    }
    return succeeded(`${count} times`);
  }

  /** What Shell, Launch, Keystroke and Text need (built only for them, not for every action). */
  private processDeps(signal: AbortSignal): { timer: ActionDeps['timer']; platform: NodeJS.Platform; env: ActionDeps['env']; signal: AbortSignal } {
    const { timer, platform, env } = this.deps;
    return { timer, platform, env, signal };
  }

  private async delay(ms: number, signal: AbortSignal): Promise<ActionOutcome> {
    try {
      await sleep(this.deps.timer, Math.max(0, ms), signal);
      return succeeded(`${ms} ms`);
    } catch {
      return failed(ABORTED);
    }
  }

  /** `work`, or a failure once `limitMs` passes or `signal` aborts, whichever comes first. */
  private bounded(work: Promise<ActionOutcome>, limitMs: number, signal: AbortSignal, timeoutMessage: string): Promise<ActionOutcome> {
    const wait = new BoundedWait(timeoutMessage, this.waitersOf(signal));
    const answer = new Promise<ActionOutcome>((resolve) => {
      wait.resolve = resolve;
    });
    this.deadlines.add(wait, limitMs);
    wait.waiters.add(wait);
    work.then(
      (outcome) => this.finish(wait, outcome),
      (err: unknown) => this.finish(wait, failed(errorMessage(err))),
    );
    return answer;
  }

  /** The first of work, deadline and abort to end `wait` answers it; the others find it done. */
  private finish(wait: BoundedWait, outcome: ActionOutcome): void {
    if (wait.done) return;
    wait.done = true;
    this.deadlines.remove(wait);
    wait.waiters.delete(wait);
    wait.resolve(outcome);
  }

  private waitersOf(signal: AbortSignal): Set<BoundedWait> {
    let waiters = this.abortWaiters.get(signal);
    if (!waiters) {
      const set = new Set<BoundedWait>();
      waiters = set;
      this.abortWaiters.set(signal, set);
      signal.addEventListener('abort', () => {
        for (const wait of [...set]) this.finish(wait, failed(ABORTED));
      }, { once: true });
    }
    return waiters;
  }
}
