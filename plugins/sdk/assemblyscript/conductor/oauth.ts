// AssemblyScript SDK for Conductor plugins — the OAuth access token the host keeps for the plugin (`conductor.oauth_token`).
// Must never log the token and never trap: anything but a token (not connected, refused, unreadable) is null.
import * as raw from "./conductor";
import { parseJson } from "./json";

/** The `flags` bit that tells the host the provider refused the token (it refreshes it and re-runs the call once). */
export const OAUTH_REFUSED: i32 = 1;

/**
 * The current access token of the provider the metadata's "oauth" block names (`network` capability), or null while
 * the user has not connected (-7) or on any other error (the host logs which). `refused`: the provider answered 401
 * to the token — the host then refreshes it and runs the call once more after this one returns (use null meanwhile).
 */
export function oauthToken(refused: bool = false): string | null {
  let cap: i32 = 4096;
  for (let attempt = 0; attempt < 2; attempt++) {
    const buf = heap.alloc(<usize>cap);
    const r = raw.oauth_token(refused ? OAUTH_REFUSED : 0, buf, <usize>cap);
    if (r >= 0) {
      const text = String.UTF8.decodeUnsafe(buf, <usize>r);
      heap.free(buf);
      const parsed = parseJson(text);
      if (parsed.value === null || !parsed.value!.isObject) return null;
      const token = parsed.value!.get("access_token");
      return token !== null && token.isString && token.stringValue.length > 0 ? token.stringValue : null;
    }
    heap.free(buf);
    if (r > -16) return null; // -7 not connected; other codes: the host logged why
    cap = -r; // a longer token: one more try with the size the host asked for
  }
  return null;
}
