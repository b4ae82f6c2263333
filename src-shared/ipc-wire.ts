// The Electron IPC wire format shared by the two raw-IPC modules (src-main/electron/ipc-main.ts and
// src-preload/index.ts): two channel names and the reply envelope. Pure data; never imports Electron or Node.
import { errorMessage } from './errors';

/** renderer → main request/response: invoke(CALL_CHANNEL, name, args[]) → IpcReply. */
export const CALL_CHANNEL = 'conductor:call';
/** main → renderer events: send(EVENT_CHANNEL, name, payload). */
export const EVENT_CHANNEL = 'conductor:event';

/** Errors cross the bridge as name + message only (no stack, no cause, no main-process paths beyond the message). */
export interface IpcError {
  name: string;
  message: string;
}

export type IpcReply = { ok: true; value: unknown } | { ok: false; error: IpcError };

export function errorReply(error: unknown): IpcReply {
  return { ok: false, error: { name: (error instanceof Error && error.name) || 'Error', message: errorMessage(error) } };
}
