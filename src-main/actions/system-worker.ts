// The host's system-control worker (dist/system-worker.js, built from plugins/sandbox/system-worker-entry.ts): runs
// conductor.system requests (volume…) through the same layer plugins reach, on a thread of its own, so the tools'
// synchronous runs never block the main thread. Started on first use; a worker that dies fails its requests and is
// started again on the next one. Never runs anything but that entry.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Runs one conductor.system request (its JSON) and answers the response JSON; rejects with why it could not. */
export interface SystemRunner {
  run(request: string, timeoutMs: number): Promise<string>;
  dispose(): Promise<void>;
}

/** Where the built worker is: beside this bundle (dist/), in dist/ from sources; in a packaged app, outside the archive. */
export function defaultSystemWorkerPath(): string | null {
  for (const rel of ['./system-worker.js', '../../dist/system-worker.js']) {
    const path = fileURLToPath(new URL(rel, import.meta.url)).replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
    if (existsSync(path)) return path;
  }
  return null;
}

type Reply = { id: number; response: string } | { id: number; unavailable: string } | { id: number; invalid: string };

export class SystemWorker implements SystemRunner {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (json: string) => void; reject: (err: Error) => void }>();

  constructor(private readonly path: string | null = defaultSystemWorkerPath()) {}

  run(request: string, timeoutMs: number): Promise<string> {
    const worker = this.start();
    if (!worker) return Promise.reject(new Error('the system-control worker is not built (run `npm run build`: dist/system-worker.js)'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, request, timeoutMs });
    });
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.failAll(new Error('the system-control worker was stopped'));
    await worker?.terminate();
  }

  private start(): Worker | null {
    if (this.worker) return this.worker;
    if (this.path === null) return null;
    const worker = new Worker(this.path, { stdin: false });
    // The app may exit while it is idle.
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if ('response' in reply) waiting.resolve(reply.response);
      else waiting.reject(new Error('unavailable' in reply ? reply.unavailable : `invalid request: ${reply.invalid}`));
    });
    worker.on('error', (err) => this.failAll(new Error(`the system-control worker failed: ${err.message}`)));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      this.failAll(new Error(`the system-control worker ended (exit code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(err: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(err);
    this.pending.clear();
  }
}
