// The OBS plugin's own SHA-256, base64 and obs-websocket authentication string (AssemblyScript) against published
// vectors and node:crypto, compiled from assembly/crypto-harness.ts with the repo's asc. Never touches OBS or the network.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const HARNESS = 'plugins/official/obs/assembly/crypto-harness.ts';

interface Harness {
  memory: WebAssembly.Memory;
  inputBuffer(size: number): number;
  outputPtr(): number;
  outputLen(): number;
  digest(): void;
  base64(): void;
  auth(passwordLen: number, saltLen: number, challengeLen: number): void;
}

let harness: Harness;
let outDir: string;

function put(bytes: Uint8Array): void {
  const ptr = harness.inputBuffer(bytes.length);
  new Uint8Array(harness.memory.buffer, ptr, bytes.length).set(bytes);
}

function output(): Uint8Array {
  return new Uint8Array(harness.memory.buffer, harness.outputPtr(), harness.outputLen()).slice();
}

function sha256Hex(bytes: Uint8Array): string {
  put(bytes);
  harness.digest();
  return Buffer.from(output()).toString('hex');
}

function base64(bytes: Uint8Array): string {
  put(bytes);
  harness.base64();
  return Buffer.from(output()).toString('utf8');
}

function auth(password: string, salt: string, challenge: string): string {
  const parts = [password, salt, challenge].map((s) => Buffer.from(s, 'utf8'));
  put(Buffer.concat(parts));
  harness.auth(parts[0]!.length, parts[1]!.length, parts[2]!.length);
  return Buffer.from(output()).toString('utf8');
}

const text = (s: string): Uint8Array => Buffer.from(s, 'utf8');

beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'conductor-obs-crypto-'));
  const out = join(outDir, 'harness.wasm');
  const asc = createRequire(join(ROOT, 'package.json')).resolve('assemblyscript/bin/asc.js');
  // The plugin's own flags, minus the SDK's abort/seed hooks (the harness does not use the SDK: a failed assert
  // calls env.abort, which the stub below turns into a thrown error).
  const flags = ['--optimizeLevel', '3', '--runtime', 'incremental', '--exportStart', '_initialize'];
  const res = spawnSync(process.execPath, [asc, HARNESS, ...flags, '--outFile', relative(ROOT, out)], { cwd: ROOT, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`asc failed: ${res.stderr || res.stdout || String(res.error)}`);
  const module = new WebAssembly.Module(readFileSync(out));
  const imports: Record<string, Record<string, () => number>> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    (imports[imp.module] ??= {})[imp.name] = () => {
      throw new Error(`the harness called ${imp.module}.${imp.name}`);
    };
  }
  const instance = new WebAssembly.Instance(module, imports);
  harness = instance.exports as unknown as Harness;
  (instance.exports._initialize as () => void)();
}, 60_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('sha256 (assembly/sha256.ts)', () => {
  it('matches the FIPS 180-2 vectors', () => {
    expect(sha256Hex(text(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(text('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(sha256Hex(new Uint8Array(1_000_000).fill(0x61))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('matches node:crypto at every length around the block and padding boundaries, and for any bytes', () => {
    for (let n = 0; n <= 200; n++) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 131 + n * 7) & 0xff);
      expect(sha256Hex(bytes), `length ${n}`).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });
});

describe('base64 (assembly/base64.ts)', () => {
  it('matches the RFC 4648 vectors', () => {
    const vectors: [string, string][] = [['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy']];
    for (const [plain, encoded] of vectors) expect(base64(text(plain))).toBe(encoded);
  });

  it('matches Buffer for all byte values and lengths', () => {
    for (let n = 0; n <= 70; n++) {
      const bytes = new Uint8Array(n).map((_, i) => 255 - ((i * 37 + n) & 0xff));
      expect(base64(bytes), `length ${n}`).toBe(Buffer.from(bytes).toString('base64'));
    }
  });
});

describe('the obs-websocket 5 authentication string (assembly/auth.ts)', () => {
  const reference = (password: string, salt: string, challenge: string): string => {
    const secret = createHash('sha256').update(password + salt).digest('base64');
    return createHash('sha256').update(secret + challenge).digest('base64');
  };

  it('is base64(sha256(base64(sha256(password + salt)) + challenge))', () => {
    const cases: [string, string, string][] = [
      ['supersecretpassword', 'lM1GncleQOaCu9lT1yeUZhFYnqhsLLP1G5lAGo3ixaI=', '+IxH4CnCiqpX1rM9scsNynZzbOe4KhDeYcTNS3PDaeY='],
      ['', 'salt', 'challenge'],
      ['pässwörd ✓ 🎛', 'ÄÖÜ', 'x'],
    ];
    for (const [password, salt, challenge] of cases) expect(auth(password, salt, challenge)).toBe(reference(password, salt, challenge));
  });
});
