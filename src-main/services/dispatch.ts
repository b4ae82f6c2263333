// The one entry of every UI request, whatever carried it (Electron IPC, browser mode, in-memory tests): the
// contract's argument check, then the handler. Never calls a handler with arguments the contract did not accept.
import { CALL_ARGS, InvalidRequestError, parseCall, type CallHandlers } from '../../src-shared/contract';

/** Longest call name worth quoting back in an error (the real ones are far shorter). */
const MAX_NAME_IN_ERROR = 64;

/**
 * Validates `name` and `args` from an untrusted sender and runs the handler. Throws InvalidRequestError for an
 * unknown call, arguments that are not an array, or arguments the call's schema refuses; otherwise resolves with
 * the handler's reply (or rejects with what the handler threw — handlers return user-caused failures as values).
 */
export async function dispatch(handlers: CallHandlers, name: unknown, args: unknown): Promise<unknown> {
  if (typeof name !== 'string') throw new InvalidRequestError(`unknown call: the call name must be a string, got ${name === null ? 'null' : typeof name}`);
  if (name.length > MAX_NAME_IN_ERROR) throw new InvalidRequestError(`unknown call ${JSON.stringify(`${name.slice(0, MAX_NAME_IN_ERROR)}…`)}`);
  if (!Object.hasOwn(CALL_ARGS, name)) throw new InvalidRequestError(`unknown call ${JSON.stringify(name)}`);
  if (!Array.isArray(args)) {
    throw new InvalidRequestError(`${name}: invalid arguments: expected an array of arguments, got ${args === null ? 'null' : typeof args}`);
  }
  const call = parseCall(name, args);
  const handler = handlers[call.name] as (...parsed: unknown[]) => unknown;
  return await handler(...call.args);
}
