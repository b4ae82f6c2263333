// The main side of the desktop IPC, minus Electron: refuses requests from frames that are not our renderer and
// turns every call into an IpcReply. Argument validation is the dispatcher's (parseCall); never trusts the sender.
import { isTrustedSenderUrl } from './app-origin';
import { errorReply, type IpcReply } from '../../src-shared/ipc-wire';
import type { ServiceEndpoint } from '../services/setup';

/** Runs one call from the window: the services' dispatch (setupServices; it validates with parseCall). */
export type Dispatch = ServiceEndpoint['dispatch'];

export interface CallGuardOptions {
  dispatch: Dispatch;
  /** Whether a frame URL is our renderer's (default: conductor://app). */
  isTrustedSender?: (frameUrl: string | null | undefined) => boolean;
  /** Told about refused senders (default: console.warn). */
  onRefused?: (frameUrl: string | null | undefined, name: unknown) => void;
}

/** Thrown back to a frame that is not our renderer; the call never reaches the core. */
export class UntrustedSenderError extends Error {
  override readonly name = 'UntrustedSenderError';
}

/**
 * Returns the function ipc-main binds to the call channel: (sender frame URL, name, args) → reply.
 * Refused senders get an UntrustedSenderError thrown (the invoke rejects); their call is not dispatched.
 */
export function createCallGuard(options: CallGuardOptions): (frameUrl: string | null | undefined, name: unknown, args: unknown) => Promise<IpcReply> {
  const trusted = options.isTrustedSender ?? isTrustedSenderUrl;
  const refused =
    options.onRefused ?? ((url, name) => console.warn(`conductor: refused IPC call ${JSON.stringify(String(name)).slice(0, 80)} from ${JSON.stringify(url ?? null)}`));
  return async (frameUrl, name, args) => {
    if (!trusted(frameUrl)) {
      refused(frameUrl, name);
      throw new UntrustedSenderError('refused: the request does not come from the Conductor window');
    }
    try {
      return { ok: true, value: await options.dispatch(name, args) };
    } catch (error) {
      return errorReply(error);
    }
  };
}
