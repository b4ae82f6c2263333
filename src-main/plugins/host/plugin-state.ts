// A plugin's lifecycle as data: which state may follow which (one table, one `transition`), and the one gate that
// decides whether a call may run, with one wording per refusal. Never does I/O and never touches a sandbox.
import { describeCapabilities } from '../../../src-shared/capabilities';
import type { CallErrorKind, Capability, PluginState } from '../../../src-shared/plugin';
import { Emitter, type Event } from '../../../src-shared/emitter';

/**
 * Every legal move. A state listed under itself may be entered again with a new reason (e.g. a new list of pending
 * capabilities); `failed` and `unloaded` are (almost) final: a failed plugin is only unloaded, and an unloaded one
 * never moves again — it is loaded anew as another handle.
 */
export const TRANSITIONS: Readonly<Record<PluginState, readonly PluginState[]>> = Object.freeze({
  // Verified, sandbox started, metadata read: ready, or held for the user's approval; or it failed on the way.
  loading: ['ready', 'waiting-approval', 'failed', 'unloaded'],
  // The sandbox died idle (→ restarting on the next call); grants changed (→ waiting-approval); the breaker tripped.
  ready: ['ready', 'waiting-approval', 'restarting', 'disabled', 'failed', 'unloaded'],
  // The user decided (→ ready), or asked again; a call that was already running timed out or crashed (→ disabled).
  'waiting-approval': ['waiting-approval', 'ready', 'disabled', 'failed', 'unloaded'],
  // A new sandbox is booting for the next call; it may fail to boot again (→ restarting) or for good (→ failed).
  restarting: ['restarting', 'ready', 'waiting-approval', 'disabled', 'failed', 'unloaded'],
  // Only `reset` re-enables a disabled plugin: ready (its sandbox lives) or restarting (it starts on the next call).
  disabled: ['ready', 'waiting-approval', 'restarting', 'failed', 'unloaded'],
  failed: ['unloaded'],
  unloaded: [],
});

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly from: PluginState,
    readonly to: PluginState,
  ) {
    super(`a plugin cannot go from "${from}" to "${to}" (allowed: ${TRANSITIONS[from].join(', ') || 'none'})`);
  }
}

export interface StateChange {
  from: PluginState;
  to: PluginState;
  reason: string | null;
}

/** The current state and its reason; the only way to change them is `transition`. */
export class PluginStateMachine {
  private current: PluginState = 'loading';
  private why: string | null = null;
  private readonly changed = new Emitter<StateChange>();
  /** Fires after every transition, the re-entered ones included. */
  readonly onDidChangeState: Event<StateChange> = this.changed.event;

  get state(): PluginState {
    return this.current;
  }

  /** Why the plugin is failed, disabled or waiting for approval; null otherwise. */
  get reason(): string | null {
    return this.why;
  }

  /** Moves to `to` (with the reason to show), or throws IllegalTransitionError and changes nothing. */
  transition(to: PluginState, reason: string | null = null): void {
    const from = this.current;
    if (!TRANSITIONS[from].includes(to)) throw new IllegalTransitionError(from, to);
    this.current = to;
    this.why = reason;
    this.changed.fire({ from, to, reason });
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The one wording of "held for the user's decision", as a state's reason and as a refused call's error. */
export function waitingForApproval(pending: readonly Capability[]): string {
  return `waiting for approval of: ${describeCapabilities(pending)}`;
}

export interface CallRefusal {
  kind: CallErrorKind;
  error: string;
}

export interface GateInput {
  state: PluginState;
  reason: string | null;
  /** Capabilities awaiting the user's decision. */
  pending: readonly Capability[];
  /** Calls already waiting or running (0 for a call about to run, which is past the queue). */
  queuedCalls: number;
  maxQueuedCalls: number;
}

/**
 * May this call run? Null when it may (or may wait in the queue: loading, restarting), else why not. A call is
 * refused by state first (failed, disabled, unloaded, waiting for approval), then by a full queue.
 */
export function gate(input: GateInput): CallRefusal | null {
  switch (input.state) {
    case 'failed':
      return { kind: 'load', error: `plugin failed to load: ${input.reason ?? ''}` };
    case 'disabled':
      return { kind: 'disabled', error: `plugin disabled: ${input.reason ?? ''}` };
    case 'unloaded':
      return { kind: 'disabled', error: 'plugin was unloaded' };
    case 'waiting-approval':
      return { kind: 'approval', error: waitingForApproval(input.pending) };
    case 'loading':
    case 'ready':
    case 'restarting':
      break;
  }
  if (input.queuedCalls >= input.maxQueuedCalls) return { kind: 'busy', error: `plugin busy: ${input.maxQueuedCalls} calls already queued` };
  return null;
}
