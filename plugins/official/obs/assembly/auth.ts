// The obs-websocket 5 authentication string: base64(sha256(base64(sha256(password + salt)) + challenge)).
// Must stay a pure function (no host calls, no logging): its input includes the user's password.
import { base64Encode } from "./base64";
import { sha256Utf8 } from "./sha256";

/** What Identify's `authentication` carries, from the password and Hello's `salt` and `challenge`. */
export function authenticationString(password: string, salt: string, challenge: string): string {
  const secret = base64Encode(sha256Utf8(password + salt));
  return base64Encode(sha256Utf8(secret + challenge));
}
