// A plugin's calls, run one at a time in arrival order: the waiting ones, the running one, and answering the waiting
// ones at once when the plugin stops. Never bounds or refuses a call itself (the plugin's gate does), never throws.
import { errorMessage } from '../../../src-shared/errors';
import { failedCall, type CallResult } from '../../../src-shared/plugin';

interface QueuedCall {
  input: string;
  resolve: (result: CallResult | Promise<CallResult>) => void;
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

  /**
   * Runs `input` after the calls before it; resolves with its result. With nothing running the call starts at once
   * and its own promise is returned (no wrapper promise, no closure per call).
   */
  enqueue(input: string): Promise<CallResult> {
    if (this.active) return new Promise((resolve) => this.waiting.push({ input, resolve }));
    this.active = true;
    const result = this.answer(input);
    result.then(this.next, this.next);
    return result;
  }

  /** Answers every waiting call with `result` (the running one finishes on its own). */
  refuseWaiting(result: CallResult): void {
    for (const q of this.waiting.splice(0)) q.resolve(result);
  }

  /** After a call finished: starts the next waiting one, or marks the queue idle. */
  private readonly next = (): void => {
    const q = this.waiting.shift();
    if (!q) {
      this.active = false;
      return;
    }
    const result = this.answer(q.input);
    q.resolve(result);
    result.then(this.next, this.next);
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
