// The one way to turn a thrown value into text for a user, a log line or an IPC reply — main, sandbox and renderer
// alike. Never throws, whatever it is given (a cyclic object, a BigInt, a getter that throws).

/** The message of an Error; a string as itself; anything else as JSON, or String() when that fails. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    try {
      return String(err);
    } catch {
      return 'unknown error';
    }
  }
}

/** The `code` of a Node system error (`ENOENT`, `EACCES`, …), or undefined. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
