// Test harness (crypto.integration.test.ts), never part of the plugin: exposes sha256, base64 and the obs-websocket
// authentication string over raw memory so the test can check them against known vectors. Must never be built into a release.
import { authenticationString } from "./auth";
import { base64Encode } from "./base64";
import { sha256 } from "./sha256";

let input = new Uint8Array(0);
let output = new Uint8Array(0);

/** A buffer of `size` bytes for the next input; returns where to write it. */
export function inputBuffer(size: i32): usize {
  input = new Uint8Array(size);
  return input.dataStart;
}

export function outputPtr(): usize {
  return output.dataStart;
}

export function outputLen(): i32 {
  return output.length;
}

function text(from: i32, len: i32): string {
  return String.UTF8.decodeUnsafe(input.dataStart + <usize>from, <usize>len);
}

function setText(s: string): void {
  output = Uint8Array.wrap(String.UTF8.encode(s));
}

/** The output becomes the 32-byte SHA-256 digest of the input. */
export function digest(): void {
  output = sha256(input);
}

/** The output becomes the input's base64 (as UTF-8). */
export function base64(): void {
  setText(base64Encode(input));
}

/** The input holds password | salt | challenge (UTF-8, these lengths); the output becomes the authentication string. */
export function auth(passwordLen: i32, saltLen: i32, challengeLen: i32): void {
  setText(authenticationString(text(0, passwordLen), text(passwordLen, saltLen), text(passwordLen + saltLen, challengeLen)));
}
