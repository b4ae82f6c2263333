// Entry of the host's system-control worker thread (dist/system-worker.js): the VolumeControl action's requests run
// through conductor.system's own layer (system-control.ts, the one the System Utilities plugin reaches), off the
// host's main thread, since its tools run synchronously. Takes request JSON, answers response JSON; nothing else.
import { parentPort } from 'node:worker_threads';
import { parseSystemRequest, runSystemRequest } from './system-control';

/** One request: the JSON a plugin would pass to conductor.system, and the time its tools may take. */
interface SystemWorkerRequest {
  id: number;
  request: string;
  timeoutMs: number;
}

/** The answer: the response JSON, `{ unavailable }` or `{ invalid }` (a malformed request: the host's bug). */
export type SystemWorkerReply = { id: number; response: string } | { id: number; unavailable: string } | { id: number; invalid: string };

const port = parentPort;
if (!port) throw new Error('system-worker runs as a worker thread of the host');
port.on('message', (message: SystemWorkerRequest) => {
  const request = parseSystemRequest(message.request);
  if (typeof request === 'string') {
    port.postMessage({ id: message.id, invalid: request } satisfies SystemWorkerReply);
    return;
  }
  const deadline = Date.now() + message.timeoutMs;
  try {
    const result = runSystemRequest(request, { timeLeftMs: () => deadline - Date.now(), note: () => undefined });
    port.postMessage(('unavailable' in result ? { id: message.id, unavailable: result.unavailable } : { id: message.id, response: JSON.stringify(result) }) satisfies SystemWorkerReply);
  } catch (err) {
    port.postMessage({ id: message.id, response: JSON.stringify({ ok: false, op: request.op, error: err instanceof Error ? err.message : String(err) }) } satisfies SystemWorkerReply);
  }
});
