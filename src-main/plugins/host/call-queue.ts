// A plugin's calls, run one at a time in arrival order: the waiting ones, the running one, and answering the waiting
// ones at once when the plugin stops. Never bounds or refuses a call itself (the plugin's gate does), never throws.
import { errorMessage } from '../../../src-shared/errors';
import { failedCall, type CallResult } from '../../../src-shared/plugin';

interface QueuedCall {
  input: string;
  resolve: (result: CallResult) => void;
}

export class CallQueue {
  private readonly waiting: QueuedCall[] = [];
  private active = false;

  /** `run` turns every failure into a result; it is called for one input at a time. */
  constructor(private readonly run: (input: string) => Promise<CallResult>) {}

  /** Whether a call is running now. */
  get running(): boolean {
    return this.active;
  }

  /** Calls waiting or running. */
  get size(): number {
    return this.waiting.length + (this.active ? 1 : 0);
  }

  /** Runs `input` after the calls before it; resolves with its result. */
  enqueue(input: string): Promise<CallResult> {
    return new Promise((resolve) => {
      this.waiting.push({ input, resolve });
      void this.pump();
    });
  }

  /** Answers every waiting call with `result` (the running one finishes on its own). */
  refuseWaiting(result: CallResult): void {
    for (const q of this.waiting.splice(0)) q.resolve(result);
  }

  private async pump(): Promise<void> {
    if (this.active) return;
    this.active = true;
    try {
      for (let next = this.waiting.shift(); next; next = this.waiting.shift()) next.resolve(await this.answer(next.input));
    } finally {
      this.active = false;
    }
  }

  /** `run` answers every failure with a result; the catch only keeps a host bug from leaving a call unanswered. */
  private async answer(input: string): Promise<CallResult> {
    try {
      return await this.run(input);
    } catch (err) {
      return failedCall('crash', `plugin host error: ${errorMessage(err)}`);
    }
  }
}
