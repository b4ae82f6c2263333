// A worker thread that a synchronous caller (a plugin's blocking host function) waits on with Atomics: post a job,
// block until its reply or a deadline. Never blocks past the deadline, never hands a caller the reply to another job.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

export type BlockingOutcome<Reply> =
  | { kind: 'reply'; reply: Reply }
  /** The handler threw or rejected; `error` is its message. */
  | { kind: 'failed'; error: string }
  /** No reply within the wait: the worker was dropped. `state` is the handler's shared slots as it left them. */
  | { kind: 'timeout'; state: Int32Array };

/* Runs in the worker before the handler's source. The plugin's thread is blocked in Atomics.wait and cannot receive
 * events, so the reply is posted on the port first and the shared counter bumped after: the waiting thread wakes,
 * finds the message with receiveMessageOnPort, and matches it by id. */
const PRELUDE = `
const { workerData } = require('node:worker_threads');
const { port, signal, state } = workerData;
function finish(message) {
  port.postMessage(message);
  Atomics.store(signal, 0, message.id);
  Atomics.notify(signal, 0);
}
`;

const DISPATCH = `
port.on('message', (m) => {
  new Promise((resolve) => resolve(handle(m.job, state))).then(
    (reply) => finish({ id: m.id, ok: true, reply }),
    (err) => finish({ id: m.id, ok: false, error: String((err && err.message) || err) }),
  );
});
`;

type WorkerMessage<Reply> = { id: number; ok: true; reply: Reply } | { id: number; ok: false; error: string };

/**
 * A lazily started worker owned by one caller. `handlerSource` is plain JavaScript, run with `eval` so the same code
 * works from sources and from the bundle; it must define `function handle(job, state)` returning the reply (or a
 * promise of it). `state` is an Int32Array of `stateSlots` slots shared with the caller, e.g. for the worker to
 * record what the caller must clean up if it stops waiting.
 */
export class BlockingWorker<Job, Reply> {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private signal: Int32Array | null = null;
  private state: Int32Array | null = null;
  private nextId = 1;

  constructor(
    private readonly handlerSource: string,
    private readonly stateSlots = 0,
  ) {}

  /** Posts `job` and blocks the calling thread until its reply, or for at most `waitMs` (then drops the worker). */
  run(job: Job, waitMs: number): BlockingOutcome<Reply> {
    const { port, signal, state } = this.start();
    const id = this.nextId++;
    port.postMessage({ id, job });
    const deadline = performance.now() + waitMs;
    for (;;) {
      const seen = Atomics.load(signal, 0);
      const message = this.take(port, id);
      if (message) return message.ok ? { kind: 'reply', reply: message.reply } : { kind: 'failed', error: message.error };
      const left = deadline - performance.now();
      if (left <= 0) break;
      Atomics.wait(signal, 0, seen, left);
    }
    // Stuck or dead: drop it, so nothing it still does can answer a later call.
    this.close();
    return { kind: 'timeout', state };
  }

  close(): void {
    void this.worker?.terminate();
    this.port?.close();
    this.worker = null;
    this.port = null;
    this.signal = null;
    this.state = null;
  }

  private start(): { port: MessagePort; signal: Int32Array; state: Int32Array } {
    if (this.worker && this.port && this.signal && this.state) return { port: this.port, signal: this.signal, state: this.state };
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const state = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, this.stateSlots)));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(`${PRELUDE}\n${this.handlerSource}\n${DISPATCH}`, {
      eval: true,
      workerData: { port: port2, signal, state },
      transferList: [port2],
    });
    worker.unref();
    // A worker that fails is replaced on the next job (the waiting call sees a timeout).
    worker.on('error', () => {
      if (this.worker === worker) this.close();
    });
    this.worker = worker;
    this.port = port1;
    this.signal = signal;
    this.state = state;
    return { port: port1, signal, state };
  }

  /** The message answering `id`, discarding stale ones for earlier jobs; null if it has not arrived. */
  private take(port: MessagePort, id: number): WorkerMessage<Reply> | null {
    for (;;) {
      const received = receiveMessageOnPort(port);
      if (!received) return null;
      const message = received.message as WorkerMessage<Reply>;
      if (message.id === id) return message;
    }
  }
}
