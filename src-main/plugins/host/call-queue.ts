// A plugin's calls, run one at a time in arrival order (possibly sent ahead to the sandbox, which runs them in that
// order): the waiting ones, the ones in flight, and answering the waiting ones at once when the plugin stops. Never
// bounds or refuses a call itself (the plugin's gate does), never reorders calls, never throws.
import { errorMessage } from '../../../src-shared/errors';
import { failedCall, type CallResult } from '../../../src-shared/plugin';

/** What a call sent ahead resolves with when the sandbox ended before the call began: the queue runs it again, in order. */
export const NOT_STARTED: unique symbol = Symbol('not started');

/**
 * Sending calls ahead (pipelining): the sandbox runs its calls one after another in the order they were sent, so a
 * call may be sent while earlier ones are still running there, instead of waiting a whole round trip for each.
 */
export interface SendAhead {
  /**
   * Sends `input` behind the calls already sent, or returns null when it cannot go now (then it waits its turn and
   * goes through `run`). The promise never rejects; NOT_STARTED = nothing of it ran.
   */
  send(input: string): Promise<CallResult | typeof NOT_STARTED> | null;
  /** Calls sent and unanswered at most (the one running included). */
  max: number;
}

interface QueuedCall {
  input: string;
  resolve: (result: CallResult | Promise<CallResult>) => void;
}

export class CallQueue {
  /** Calls not yet begun, in arrival order. */
  private readonly waiting: QueuedCall[] = [];
  /** Calls sent ahead that the sandbox never began (it ended): run again, first, once nothing is in flight. */
  private retry: QueuedCall[] = [];
  /** Calls begun and not yet answered. */
  private flight = 0;
  /** A call begun through `run` has not said `posted()` yet: nothing may be sent ahead of it. */
  private posting = false;

  /**
   * `run` turns every failure into a result; it is called for one input at a time, when nothing else is in flight.
   * With `ahead`, the calls arriving while one is in flight are sent behind it (see SendAhead); `run`'s caller then
   * says when its call's message has gone (`posted`), so nothing overtakes it.
   */
  constructor(
    private readonly run: (input: string) => Promise<CallResult>,
    private readonly ahead: SendAhead | null = null,
  ) {}

  /** Whether a call is running (or sent) now. */
  get running(): boolean {
    return this.flight > 0;
  }

  /** Calls waiting or running. */
  get size(): number {
    return this.waiting.length + this.retry.length + this.flight;
  }

  /**
   * Runs `input` after the calls before it; resolves with its result. With nothing running the call starts at once
   * and its own promise is returned (no wrapper promise, no closure per call).
   */
  enqueue(input: string): Promise<CallResult> {
    if (this.flight === 0 && this.waiting.length === 0 && this.retry.length === 0) return this.begin(input);
    return new Promise((resolve) => {
      const call: QueuedCall = { input, resolve };
      if (this.waiting.length > 0 || !this.sendAhead(call)) this.waiting.push(call);
    });
  }

  /** The call begun through `run` has sent its message: the waiting calls may now be sent behind it. */
  posted(): void {
    this.posting = false;
    this.pump();
  }

  /** Answers every waiting call with `result` (the running one finishes on its own). */
  refuseWaiting(result: CallResult): void {
    for (const q of this.waiting.splice(0)) q.resolve(result);
  }

  private begin(input: string): Promise<CallResult> {
    this.flight++;
    this.posting = true;
    const result = this.answer(input);
    result.then(this.ended, this.ended);
    return result;
  }

  /** Sends `call` behind those in flight, when allowed; false: it must wait. */
  private sendAhead(call: QueuedCall): boolean {
    const ahead = this.ahead;
    if (ahead === null || this.posting || this.flight === 0 || this.flight >= ahead.max || this.retry.length > 0) return false;
    const sent = ahead.send(call.input);
    if (sent === null) return false;
    this.flight++;
    sent.then(
      (result) => {
        if (result === NOT_STARTED) this.retry.push(call);
        else call.resolve(result);
        this.ended();
      },
      // `send` never rejects; a host bug still answers the call.
      (err: unknown) => {
        call.resolve(failedCall('crash', `plugin host error: ${errorMessage(err)}`));
        this.ended();
      },
    );
    return true;
  }

  /** Sends waiting calls ahead while allowed. */
  private pump(): void {
    while (this.waiting.length > 0) {
      const q = this.waiting[0] as QueuedCall;
      if (!this.sendAhead(q)) return;
      this.waiting.shift();
    }
  }

  /** After a call finished: sends more ahead, or (nothing in flight) begins the next waiting one, or marks the queue idle. */
  private readonly ended = (): void => {
    if (--this.flight > 0) {
      this.pump();
      return;
    }
    this.posting = false;
    if (this.retry.length > 0) {
      this.waiting.unshift(...this.retry);
      this.retry = [];
    }
    const q = this.waiting.shift();
    if (q) q.resolve(this.begin(q.input));
  };

  /** `run` answers every failure with a result; the catch only keeps a host bug from leaving a call unanswered. */
  private async answer(input: string): Promise<CallResult> {
    try {
      return await this.run(input);
    } catch (err) {
      return failedCall('crash', `plugin host error: ${errorMessage(err)}`);
    }
  }
}
