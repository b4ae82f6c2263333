// Standard base64 encoding (RFC 4648 §4, with "=" padding) in AssemblyScript, for the obs-websocket 5 authentication string.
// Must stay a pure function of its input bytes: no host calls, no logging, and never the URL-safe alphabet.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** `bytes` as standard base64 with padding: 3 bytes become 4 characters. */
export function base64Encode(bytes: Uint8Array): string {
  const n = bytes.length;
  const parts = new Array<string>();
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (<u32>bytes[i] << 16) | (<u32>bytes[i + 1] << 8) | <u32>bytes[i + 2];
    parts.push(
      ALPHABET.charAt((v >>> 18) & 63) + ALPHABET.charAt((v >>> 12) & 63) + ALPHABET.charAt((v >>> 6) & 63) + ALPHABET.charAt(v & 63),
    );
  }
  const rest = n - i;
  if (rest == 1) {
    const v = <u32>bytes[i] << 16;
    parts.push(ALPHABET.charAt((v >>> 18) & 63) + ALPHABET.charAt((v >>> 12) & 63) + "==");
  } else if (rest == 2) {
    const v = (<u32>bytes[i] << 16) | (<u32>bytes[i + 1] << 8);
    parts.push(ALPHABET.charAt((v >>> 18) & 63) + ALPHABET.charAt((v >>> 12) & 63) + ALPHABET.charAt((v >>> 6) & 63) + "=");
  }
  return parts.join("");
}
