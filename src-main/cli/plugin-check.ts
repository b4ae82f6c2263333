// `conductor plugin check <file.wasm>`: what a plugin author must fix, each finding with the fix (the spec's
// troubleshooting advice: target, WASI imports, size, fuel). The file analysis is pure; running it uses the real sandbox.
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { errorMessage } from '../../src-shared/errors';
import { DEFAULT_LIMITS, type CallResult, type PluginMetadata } from '../../src-shared/plugin';
import { mib } from '../../src-shared/units';
import { terminalJson, terminalLines } from '../../src-shared/terminal-text';
import { AbiError, checkAbi } from '../plugins/common/abi-check';
import { CONDUCTOR_MODULE, WASI_MODULE } from '../plugins/common/import-catalogue';
import { METADATA_SECTION } from '../plugins/common/protocol';
import { inspectModule } from '../plugins/common/wasm/inspect';
import { readModule } from '../plugins/common/wasm/reader';
import { stackPointerGlobal } from '../plugins/common/wasm/stack-pointer';
import type { ModuleInfo } from '../plugins/common/wasm/types';
import { validateModule } from '../plugins/common/wasm/validate';
import { createPlugin } from '../plugins/host/create-plugin';
import { parseRunFlags, type RunFlags } from './plugin-commands';

export type Severity = 'error' | 'warning' | 'info';

/** One thing `plugin check` found: what is wrong (or worth knowing) and what to do about it. */
export interface Finding {
  severity: Severity;
  what: string;
  fix: string;
}

/** The spec's size advice: keep plugins under 1 MB. */
export const SIZE_ADVICE_BYTES = 1024 * 1024;
/** Debug sections above this are worth stripping. */
const DEBUG_ADVICE_BYTES = 64 * 1024;

const STRIP_FIX =
  'strip debug info: Rust `[profile.release] strip = "debuginfo"` (keep the name section: not `strip = true`), clang `-Wl,--strip-debug`, AssemblyScript builds without `--debug`';
const TARGET_FIX =
  'build a core module for WASI preview1: Rust `--target wasm32-wasip1` (`wasm32-wasi` before Rust 1.78) with crate-type "cdylib", clang `--target=wasm32-wasi -mexec-model=reactor`, AssemblyScript with the Conductor SDK\'s asconfig.json';

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** Findings about the file itself: format, validity, target, imports, ABI, size, name section, metadata source. */
export function analysePluginFile(bytes: Uint8Array): { findings: Finding[]; info: ModuleInfo | null } {
  const findings: Finding[] = [];
  if (bytes.byteLength < 8 || WASM_MAGIC.some((b, i) => bytes[i] !== b)) {
    const what = bytes.byteLength < 8 ? `the file is ${bytes.byteLength} bytes long` : 'the file does not start with the WebAssembly magic bytes 00 61 73 6D';
    findings.push({ severity: 'error', what: `not a WebAssembly module: ${what}`, fix: 'point at the .wasm your build wrote (e.g. target/wasm32-wasip1/release/NAME.wasm, build/NAME.wasm)' });
    return { findings, info: null };
  }
  if (bytes[4] === 0x0d && bytes[6] === 0x01) {
    findings.push({
      severity: 'error',
      what: 'this is a WebAssembly component (WASI preview 2), not a core module',
      fix: `Conductor runs core modules with WASI preview1 imports: ${TARGET_FIX} (not wasm32-wasip2)`,
    });
    return { findings, info: null };
  }
  let info: ModuleInfo;
  try {
    info = inspectModule(bytes);
    validateModule(bytes);
  } catch (err) {
    findings.push({ severity: 'error', what: `the module is not valid WebAssembly: ${errorMessage(err)}`, fix: 'rebuild it; if it persists, the toolchain emitted features the host does not run (see docs/plugin-authors.md)' });
    return { findings, info: null };
  }
  findings.push(...importFindings(info));
  try {
    const abi = checkAbi(info);
    if (!abi.hasAlloc) {
      const named = stackPointerGlobal(readModule(bytes)) !== null;
      findings.push(
        named
          ? { severity: 'info', what: 'no "alloc" export: the input goes on the plugin\'s stack, at most 16 KiB', fix: 'export alloc(size) -> ptr (the SDKs do) to take larger inputs' }
          : { severity: 'error', what: 'no "alloc" export and no name section naming "__stack_pointer", so the host has nowhere safe to put the input', fix: 'export alloc(size) -> ptr, or keep the name section when linking (do not strip all symbols)' },
      );
    }
    if (abi.initForm !== 'metadata' && !info.customSections.some((s) => s.name === METADATA_SECTION)) {
      findings.push({
        severity: 'warning',
        what: 'no metadata inside the module (init() returns none and there is no "conductor.plugin" section)',
        fix: 'return the metadata JSON from init() -> i64 (the SDKs do), or ship a plugin.toml next to the .wasm; without it the app knows no name, actions or parameters',
      });
    }
  } catch (err) {
    if (!(err instanceof AbiError)) throw err;
    for (const problem of err.problems) {
      if (/unknown host import/.test(problem)) continue; // said above, with its cause
      findings.push({ severity: 'error', what: problem, fix: abiFix(problem) });
    }
  }
  const debug = info.customSections.filter((s) => s.name.startsWith('.debug')).reduce((n, s) => n + s.data.byteLength, 0);
  if (debug > DEBUG_ADVICE_BYTES) findings.push({ severity: 'warning', what: `${mib(debug)} of the file is debug info (.debug_* sections)`, fix: STRIP_FIX });
  if (bytes.byteLength > SIZE_ADVICE_BYTES) {
    findings.push({
      severity: 'warning',
      what: `the module is ${mib(bytes.byteLength)}; the spec advises under 1 MB (larger modules load and compile more slowly)`,
      fix: 'build with size optimisation (Rust opt-level = "s", lto = true; clang -Oz; asc -Oz) and strip debug info; wasm-opt -Oz shrinks further',
    });
  }
  if (!info.customSections.some((s) => s.name === 'name')) {
    findings.push({ severity: 'info', what: 'no name section: a trap will name functions by number only', fix: 'keep the name section (it costs little) to see function names in errors' });
  }
  return { findings, info };
}

function importFindings(info: ModuleInfo): Finding[] {
  const findings: Finding[] = [];
  const byModule = new Map<string, string[]>();
  for (const imp of info.imports) {
    if (imp.module === WASI_MODULE || imp.module === CONDUCTOR_MODULE) continue;
    byModule.set(imp.module, [...(byModule.get(imp.module) ?? []), imp.name]);
  }
  for (const [module, names] of byModule) {
    const list = names.slice(0, 5).map((n) => `${module}.${n}`).join(', ') + (names.length > 5 ? `, … (${names.length} in all)` : '');
    let fix = `${TARGET_FIX}; a plugin may import only "${WASI_MODULE}" and "${CONDUCTOR_MODULE}"`;
    if (module === 'env' && names.includes('abort')) {
      fix = `AssemblyScript: build with the Conductor SDK (its asconfig.json routes abort to conductor.log with \`--use abort=…\`); other languages: ${TARGET_FIX}`;
    } else if (module === 'env') {
      fix = `"env" imports come from building for wasm32-unknown-unknown or emscripten, or from an undefined symbol the linker left open (check for missing functions): ${TARGET_FIX}`;
    } else if (module === 'wasi_unstable') {
      fix = `"wasi_unstable" is WASI's old snapshot 0: rebuild with a current toolchain — ${TARGET_FIX}`;
    } else if (module.startsWith('wasi:')) {
      fix = `"${module}" is WASI preview 2: ${TARGET_FIX}`;
    } else if (module.startsWith('__wbindgen') || module === 'wbg') {
      fix = `wasm-bindgen output is for JavaScript hosts: build without wasm-bindgen — ${TARGET_FIX}`;
    }
    findings.push({ severity: 'error', what: `imports from "${module}": ${list}`, fix });
  }
  if (!info.imports.some((i) => i.module === WASI_MODULE) && info.imports.length === 0) {
    findings.push({ severity: 'info', what: 'no imports at all (no WASI, no host functions)', fix: 'fine for pure computation; printing and clocks need WASI (wasm32-wasi target)' });
  }
  return findings;
}

function abiFix(problem: string): string {
  if (/missing export "execute"/.test(problem)) {
    return 'export execute(ptr: i32, len: i32) -> i32 — Rust `#[no_mangle] pub extern "C" fn execute(ptr: *const u8, len: usize) -> i32` in a cdylib, C `CONDUCTOR_EXPORT(execute)`, AssemblyScript `export function execute` (the SDKs write it for you)';
  }
  if (/missing export "memory"/.test(problem)) return 'export the linear memory as "memory" (every wasm32-wasi toolchain does by default; do not import it)';
  if (/WASI command/.test(problem)) return 'build a library, not a program: Rust crate-type = ["cdylib"], clang -mexec-model=reactor (no main)';
  if (/has type/.test(problem)) return 'match the signature in docs/plugin-authors.md (i32 pointers and lengths; wasm32, not wasm64)';
  return 'see "The ABI" in docs/plugin-authors.md';
}


/** Findings from running the plugin in a real sandbox: load failure, and with an action, the call's fuel and memory. */
export function callFindings(result: CallResult, limits: { fuelPerCall: number; memoryBytes: number }, pluginId: string): Finding[] {
  const table = `[wasm.limits.${pluginId}]`;
  if (result.errorKind === 'out-of-fuel') {
    return [{ severity: 'error', what: `the call ran out of fuel (${result.fuelConsumed} of ${limits.fuelPerCall})`, fix: `do less per call, or raise the limit in config.toml: ${table} max_fuel = ${limits.fuelPerCall * 2} (the CLI: --fuel N)` }];
  }
  if (result.errorKind === 'memory') {
    return [{ severity: 'error', what: `the call hit the memory limit (${mib(limits.memoryBytes)}): ${result.error ?? ''}`, fix: `allocate less, or raise it: ${table} max_memory_mb = ${Math.ceil((limits.memoryBytes * 2) / 1048576)} (the CLI: --memory-mb N)` }];
  }
  const findings: Finding[] = [];
  if (!result.ok) findings.push({ severity: 'error', what: `the call failed (${result.errorKind}): ${result.error ?? ''}`, fix: 'see the log lines above it; `conductor plugin run … --json` shows the full result' });
  else if (result.fuelConsumed > limits.fuelPerCall / 2) {
    findings.push({ severity: 'warning', what: `the call used ${Math.round((result.fuelConsumed / limits.fuelPerCall) * 100)}% of its fuel (${result.fuelConsumed} of ${limits.fuelPerCall})`, fix: `heavier inputs may run out: do less per call or raise ${table} max_fuel` });
  } else {
    findings.push({ severity: 'info', what: `the call succeeded: ${result.fuelConsumed} fuel, ${result.durationMs.toFixed(2)} ms, ${mib(result.memoryBytes)} of memory`, fix: '' });
  }
  return findings;
}

export interface CheckFlags extends RunFlags {
  json?: boolean;
}

export async function checkPluginCommand(file: string, flags: CheckFlags): Promise<number> {
  const path = resolve(file);
  const bytes = new Uint8Array(await readFile(path));
  const { findings, info } = analysePluginFile(bytes);
  let metadata: PluginMetadata | null = null;
  let log: string[] = [];
  if (info && !findings.some((f) => f.severity === 'error')) {
    const run = flags.action !== undefined || flags.params !== undefined ? parseRunFlags(flags) : null;
    const limits = { ...DEFAULT_LIMITS, ...(run?.limits ?? {}) };
    const plugin = createPlugin({ wasmPath: path, limits, grants: run?.grants ?? [], settings: run?.settings ?? {} });
    try {
      const snap = (await plugin.loaded).snapshot();
      metadata = snap.metadata;
      if (snap.state !== 'ready') {
        findings.push({ severity: 'error', what: `the plugin does not load: ${snap.reason ?? 'unknown reason'}`, fix: 'a trap or exit in _initialize/init fails the load: check what init does; the message names the function' });
      } else if (run) {
        const result = await plugin.call(run.params, { trigger: 'cli', mode: 'Default', timestamp: Date.now() });
        log = result.log;
        findings.push(...callFindings(result, limits, basename(path, '.wasm')));
      }
    } finally {
      await plugin.close();
    }
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  if (flags.json) {
    process.stdout.write(`${terminalJson({ file: path, bytes: bytes.byteLength, ok: errors === 0, errors, warnings, findings, metadata, log })}\n`);
    return errors === 0 ? 0 : 1;
  }
  const lines = [`${path} (${bytes.byteLength} bytes)`];
  if (metadata) lines.push(`plugin ${metadata.name} ${metadata.version}: ${metadata.actions.map((a) => a.name).join(', ') || 'no actions'} (metadata from ${metadata.source})`);
  for (const f of findings) {
    lines.push(`${f.severity.toUpperCase()}: ${f.what}`);
    if (f.fix) lines.push(`  fix: ${f.fix}`);
  }
  if (log.length > 0) lines.push(`log (${log.length} lines):`, ...log.map((l) => `  ${l}`));
  lines.push(errors === 0 ? `OK: ${warnings} warning${warnings === 1 ? '' : 's'}` : `${errors} problem${errors === 1 ? '' : 's'} to fix, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  process.stdout.write(`${terminalLines(lines)}\n`);
  return errors === 0 ? 0 : 1;
}
