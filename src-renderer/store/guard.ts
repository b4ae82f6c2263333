// Runs a store action's IPC call and turns failures (rejections and `{ok: false, error}` replies) into toasts.
// Never swallows silently: every failure the user caused gets a message that names what failed.
import { errorMessage } from '../format';
import type { AppState } from './types';

/** Awaits `run`; on rejection shows "<what>: <reason>" and returns undefined. */
export async function guarded<T>(get: () => AppState, what: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (err) {
    get().toast('error', `${what}: ${errorMessage(err)}`, what);
    return undefined;
  }
}

/** True when a `{ok}` reply succeeded; otherwise shows its error. */
export function succeeded(get: () => AppState, what: string, reply: { ok: true } | { ok: false; error: string } | undefined): boolean {
  if (!reply) return false;
  if (reply.ok) return true;
  get().toast('error', `${what}: ${reply.error}`, what);
  return false;
}
