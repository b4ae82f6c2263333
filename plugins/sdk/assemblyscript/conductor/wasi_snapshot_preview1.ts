// AssemblyScript SDK for Conductor plugins — the one WASI import the SDK uses (random bytes, to seed Math.random).
// Must stay named `wasi_snapshot_preview1.ts` (AssemblyScript takes the import module from the file name); nothing else here.

/** random_get(buf, len) -> errno (0 = success). */
export declare function random_get(buf: usize, len: usize): u16;
