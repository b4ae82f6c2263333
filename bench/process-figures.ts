// Benchmark figures of the process model: the bare fork IPC floor (an echo child, no wasm), the RSS of a process
// tree, and the footprint of N trivial plugins loaded through the real PluginManager. Bench only; asserts nothing.
import { execFile, execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { PluginManager } from '../src-main/plugins/host/manager';
import { SPARE_IDLE_MS } from '../src-main/plugins/sandbox/spare-keeper';
import { generateKeyPair } from '../src-main/trust/keys';
import { DEFAULT_POLICY } from '../src-main/trust/policy';
import { signPlugin } from '../src-main/trust/signature';
import { TrustedKeyStore } from '../src-main/trust/trusted-keys';

/**
 * The echo child: answers each `execute` message with a `result` message of the same shape and size as a sandbox's
 * reply to a trivial call (default fields left out, as protocol.ts's toWireResult does), so the round trip is the host ↔ sandbox message cost with no wasm and no host logic.
 */
const ECHO_SCRIPT = `'use strict';
process.on('message', (m) => {
  process.send({ type: 'result', id: m.id, result: { ok: true, code: 0, fuelConsumed: 7, durationMs: 0.004, memoryBytes: 65536 } });
});
`;

/** A forked echo child (same fork options as the Node sandbox spawner: JSON serialization, no execArgv, bare env). */
export interface EchoChild {
  readonly pid: number | undefined;
  /** One round trip of `input` as an execute message; resolves with the reply. */
  roundTrip(input: string): Promise<unknown>;
  close(): Promise<void>;
}

export async function startEchoChild(): Promise<EchoChild> {
  const dir = mkdtempSync(join(tmpdir(), 'conductor-bench-echo-'));
  const script = join(dir, 'echo.cjs');
  writeFileSync(script, ECHO_SCRIPT);
  const child: ChildProcess = fork(script, [], {
    serialization: 'json',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: [],
    env: { NODE_ENV: 'production' },
  });
  let next = 0;
  const waiting = new Map<number, (m: unknown) => void>();
  child.on('message', (m: { id: number }) => {
    const resolve = waiting.get(m.id);
    waiting.delete(m.id);
    resolve?.(m);
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    get pid() {
      return child.pid;
    },
    roundTrip(input) {
      const id = ++next;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        child.send({ type: 'execute', id, input });
      });
    },
    async close() {
      child.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The live descendants of `root` (children, grandchildren…), from /proc on Linux, else `ps`. */
export function descendantPids(root: number): number[] {
  const parentOf = new Map<number, number>();
  try {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        parentOf.set(Number(name), ppid);
      } catch {
        // The process exited while we looked.
      }
    }
  } catch {
    for (const line of execFileSync('ps', ['-A', '-o', 'pid=,ppid=']).toString().split('\n')) {
      const [pid, ppid] = line.trim().split(/\s+/).map(Number);
      if (pid !== undefined && ppid !== undefined && Number.isFinite(pid)) parentOf.set(pid, ppid);
    }
  }
  const out: number[] = [];
  const frontier = [root];
  for (let parent = frontier.pop(); parent !== undefined; parent = frontier.pop()) {
    for (const [pid, ppid] of parentOf) {
      if (ppid === parent) {
        out.push(pid);
        frontier.push(pid);
      }
    }
  }
  return out;
}

/** VmRSS of a process (MiB), from /proc on Linux, else `ps`; NaN for no pid. */
export function rssMb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim()) / 1024;
  }
}

/** Sum of VmRSS (MiB) over a set of pids; a pid gone meanwhile counts 0. */
export function totalRssMb(pids: readonly number[], rssMb: (pid: number) => number): number {
  return pids.reduce((sum, pid) => {
    const mb = rssMb(pid);
    return sum + (Number.isFinite(mb) ? mb : 0);
  }, 0);
}

export interface PluginsFootprint {
  /** Wall time of `discover()` loading every plugin of the folder (the app's start-up path). */
  loadMs: number;
  /** RSS of this process plus every process it started (sandboxes, spares), once loaded and settled. */
  rssMb: number;
  /** How many processes that was, this one included. */
  processes: number;
}

export interface FootprintOptions {
  /**
   * The instrumented-module cache the sandboxes use, as the app's does (Core gives the manager one): a folder an
   * earlier round filled is the app's start-up from its second run on; a new one, its first run. Default none.
   */
  moduleCacheDir?: string;
  /** How long to wait after loading before measuring: by default until the shared process has stopped its idle spare. */
  settleMs?: number;
}

/**
 * Loads `count` copies of a trivial plugin (each a distinct binary: a custom section carries its index; each signed
 * by a trusted key) from a fresh plugins folder through PluginManager with the app's defaults (default policy,
 * default sandbox host), the way the app starts: `discover()`. Measures the load wall time and, once settled, the
 * RSS of the whole process tree, then shuts everything down.
 */
export async function pluginsFootprint(wasmPath: string, count: number, rssMb: (pid: number) => number, options: FootprintOptions = {}): Promise<PluginsFootprint> {
  const { moduleCacheDir, settleMs = SPARE_IDLE_MS + 1000 } = options;
  const dir = mkdtempSync(join(tmpdir(), 'conductor-bench-footprint-'));
  const pluginsDir = join(dir, 'plugins');
  mkdirSync(pluginsDir);
  let manager: PluginManager | null = null;
  try {
    const keys = await generateKeyPair(join(dir, 'key'));
    const trusted = new TrustedKeyStore(join(dir, 'trusted_keys.toml'));
    await trusted.add({ publicKey: keys.publicKey, name: 'Bench' });
    const bytes = readFileSync(wasmPath);
    for (let i = 0; i < count; i++) {
      const target = join(pluginsDir, `bench-${String(i).padStart(2, '0')}.wasm`);
      writeFileSync(target, Buffer.concat([bytes, customSection('conductor.bench', `copy ${i}`)]));
      await signPlugin(target, join(dir, 'key'), { name: 'Bench', email: '' });
    }
    manager = await PluginManager.open({
      pluginsDir,
      trustedKeysPath: join(dir, 'trusted_keys.toml'),
      grantsPath: join(dir, 'grants.toml'),
      settingsPath: join(dir, 'plugin_settings.json'),
      secretsPath: join(dir, 'plugin_secrets.json'),
      policy: DEFAULT_POLICY,
      officialKeyPath: null,
      ...(moduleCacheDir ? { host: { moduleCacheDir } } : {}),
    });
    const t0 = performance.now();
    const installed = await manager.discover();
    const loadMs = performance.now() - t0;
    const notReady = installed.filter((p) => p.snapshot.state !== 'ready' || p.snapshot.verification?.tier !== 'trusted');
    if (installed.length !== count || notReady.length > 0) {
      throw new Error(`bench: expected ${count} trusted, ready plugins, got ${installed.length} (${notReady.map((p) => `${p.id}: ${p.snapshot.state} ${p.snapshot.reason ?? ''}`).join('; ')})`);
    }
    await new Promise((r) => setTimeout(r, settleMs)); // the loaded state the app stays in, not the burst's spare
    const pids = [process.pid, ...descendantPids(process.pid)];
    return { loadMs, rssMb: totalRssMb(pids, rssMb), processes: pids.length };
  } finally {
    await manager?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A wasm custom section (id 0) named `name` holding `payload`, to append to a module. */
function customSection(name: string, payload: string): Buffer {
  const body = Buffer.concat([leb128(Buffer.byteLength(name)), Buffer.from(name), Buffer.from(payload)]);
  return Buffer.concat([Buffer.from([0]), leb128(body.length), body]);
}

function leb128(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return Buffer.from(out);
}

/**
 * pluginsFootprint in a host process of its own (dist/bench-footprint.js, footprint-child.ts): a Node process holding
 * the plugin manager and nothing of the bench's tooling (wabt, fixtures, earlier rounds' garbage), so the RSS counted
 * for the host is a plugin host's.
 */
export function pluginsFootprintInChild(wasmPath: string, count: number, options: FootprintOptions = {}): Promise<PluginsFootprint> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'bench-footprint.js');
  const args = [script, wasmPath, String(count), options.moduleCacheDir ?? '', options.settleMs === undefined ? '' : String(options.settleMs)];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`bench: the footprint host failed: ${err.message}\n${stderr}`));
      try {
        resolve(JSON.parse(stdout) as PluginsFootprint);
      } catch {
        reject(new Error(`bench: the footprint host printed no figures: ${stdout}\n${stderr}`));
      }
    });
  });
}
