// SHA-256 (FIPS 180-4) in AssemblyScript, for the obs-websocket 5 authentication string (obs.ts).
// Must stay a pure function of its input bytes: no host calls, no logging, no global state that outlives a call.

/** The first 32 bits of the fractional parts of the cube roots of the first 64 primes (FIPS 180-4 §4.2.2). */
const K: StaticArray<u32> = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/** The initial hash value: the first 32 bits of the fractional parts of the square roots of the first 8 primes. */
const H0: StaticArray<u32> = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

function rotr(x: u32, n: u32): u32 {
  return (x >>> n) | (x << (32 - n));
}

/** Processes one 64-byte block of `msg` starting at `offset` into the running hash `h` (w: 64 words of scratch). */
function block(h: StaticArray<u32>, w: StaticArray<u32>, msg: Uint8Array, offset: i32): void {
  for (let t = 0; t < 16; t++) {
    const i = offset + t * 4;
    w[t] = (<u32>msg[i] << 24) | (<u32>msg[i + 1] << 16) | (<u32>msg[i + 2] << 8) | <u32>msg[i + 3];
  }
  for (let t = 16; t < 64; t++) {
    const w15 = w[t - 15];
    const w2 = w[t - 2];
    const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
    const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (let t = 0; t < 64; t++) {
    const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    const ch = (e & f) ^ (~e & g);
    const t1 = hh + S1 + ch + K[t] + w[t];
    const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = S0 + maj;
    hh = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += hh;
}

/** The SHA-256 digest (32 bytes) of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  const len = data.length;
  // Padding: 0x80, zeros, then the length in bits as a 64-bit big-endian number, to a multiple of 64 bytes.
  const padded = ((len + 9 + 63) >> 6) << 6;
  const msg = new Uint8Array(padded);
  msg.set(data);
  msg[len] = 0x80;
  const bits = <u64>len << 3;
  for (let i = 0; i < 8; i++) msg[padded - 1 - i] = <u8>((bits >> (<u64>(i * 8))) & 0xff);

  const h = new StaticArray<u32>(8);
  for (let i = 0; i < 8; i++) h[i] = H0[i];
  const w = new StaticArray<u32>(64);
  for (let offset = 0; offset < padded; offset += 64) block(h, w, msg, offset);

  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const v = h[i];
    out[i * 4] = <u8>(v >>> 24);
    out[i * 4 + 1] = <u8>(v >>> 16);
    out[i * 4 + 2] = <u8>(v >>> 8);
    out[i * 4 + 3] = <u8>v;
  }
  return out;
}

/** The SHA-256 digest of a string's UTF-8 bytes (lone surrogates become U+FFFD). */
export function sha256Utf8(text: string): Uint8Array {
  return sha256(Uint8Array.wrap(String.UTF8.encode(text, false, String.UTF8.ErrorMode.REPLACE)));
}
