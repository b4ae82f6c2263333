// `conductor plugin run|inspect`: load a plugin into a real sandbox process, call it, print what happened.
// Never runs plugin code in the CLI process itself, never prints the plugin's text unescaped; formats in docs/cli.md.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errorMessage } from '../../src-shared/errors';
import { DEFAULT_LIMITS, failedCall, isCapability, type ActionParams, type Capability, type CallResult, type PluginLimits } from '../../src-shared/plugin';
import { checkAbi } from '../plugins/common/abi-check';
import { HOST_FUNCTIONS } from '../plugins/common/import-catalogue';
import { createPlugin } from '../plugins/host/create-plugin';
import { inspectModule } from '../plugins/common/wasm/inspect';
import { validateModule } from '../plugins/common/wasm/validate';
import { mib } from '../../src-shared/units';
import { terminalJson, terminalLines } from '../../src-shared/terminal-text';

export interface RunFlags {
  action?: string;
  params?: string;
  fuel?: string;
  'memory-mb'?: string;
  'timeout-ms'?: string;
  grant?: string;
  /** `KEY=VALUE`, repeatable: the plugin's settings (typed by its metadata when the call runs). */
  setting?: string[];
  'data-dir'?: string;
  json?: boolean;
}

/** A mistake in the command line: printed with the usage text, exit status 2. */
export class UsageError extends Error {}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`--${flag} must be a positive integer, got "${value}"`);
  return n;
}

/** The flags of `plugin run` (and `plugin check --action`): params with the action, limits, grants. */
export function parseRunFlags(flags: RunFlags): { params: ActionParams; limits: Partial<PluginLimits>; grants: Capability[]; settings: Record<string, string> } {
  let params: ActionParams = {};
  if (flags.params !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(flags.params);
    } catch (err) {
      throw new UsageError(`--params is not valid JSON: ${errorMessage(err)}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError('--params must be a JSON object');
    params = parsed as ActionParams;
  }
  if (flags.action !== undefined) params = { ...params, action: flags.action };
  if (params.action === undefined) throw new UsageError('--action NAME is required (or an "action" member in --params)');
  const grants = (flags.grant ?? '').split(',').map((g) => g.trim().toLowerCase()).filter(Boolean);
  for (const g of grants) if (!isCapability(g)) throw new UsageError(`--grant: unknown capability "${g}"`);
  const limits: Partial<PluginLimits> = {};
  const fuel = positiveInt(flags.fuel, 'fuel');
  const memoryMb = positiveInt(flags['memory-mb'], 'memory-mb');
  const timeoutMs = positiveInt(flags['timeout-ms'], 'timeout-ms');
  if (fuel !== undefined) limits.fuelPerCall = fuel;
  if (memoryMb !== undefined) limits.memoryBytes = memoryMb * 1024 * 1024;
  if (timeoutMs !== undefined) limits.callTimeoutMs = timeoutMs;
  const settings: Record<string, string> = {};
  for (const pair of flags.setting ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--setting takes KEY=VALUE, got "${pair.split('=')[0]}"`);
    settings[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { params, limits, grants: grants as Capability[], settings };
}

/** The JSON shape of `plugin run --json` (exactly these keys). */
function toJson(r: Pick<CallResult, 'ok' | 'code' | 'error' | 'fuelConsumed' | 'durationMs' | 'memoryBytes' | 'log'>): string {
  const { ok, code, error, fuelConsumed, durationMs, memoryBytes, log } = r;
  return terminalJson({ ok, code, error, fuelConsumed, durationMs: Math.round(durationMs * 1000) / 1000, memoryBytes, log });
}

/** One printed line per entry: a log entry or error that contains a newline shows it as `\n` (it cannot forge a line). */
function printHuman(result: CallResult): void {
  const lines = [
    `${result.ok ? 'ok' : 'FAILED'}${result.code === null ? '' : `: code ${result.code}`}${result.error ? ` — ${result.error}` : ''}`,
    `fuel consumed: ${result.fuelConsumed}`,
    `duration:      ${result.durationMs.toFixed(3)} ms`,
    `memory:        ${result.memoryBytes} bytes (${mib(result.memoryBytes)})`,
    `log (${result.log.length} lines):`,
    ...result.log.map((line) => `  ${line}`),
  ];
  process.stdout.write(`${terminalLines(lines)}\n`);
}

export async function runPluginCommand(file: string, flags: RunFlags): Promise<number> {
  const parsed = parseRunFlags(flags);
  const plugin = createPlugin({
    wasmPath: resolve(file),
    limits: parsed.limits,
    grants: parsed.grants,
    settings: parsed.settings,
    ...(flags['data-dir'] ? { dataDir: resolve(flags['data-dir']) } : {}),
  });
  try {
    const snap = (await plugin.loaded).snapshot();
    const result =
      snap.state === 'ready'
        ? await plugin.call(parsed.params, { trigger: 'cli', mode: 'Default', timestamp: Date.now() })
        : failedCall('load', snap.reason ?? 'plugin failed to load');
    if (flags.json) process.stdout.write(`${toJson(result)}\n`);
    else printHuman(result);
    return result.ok ? 0 : 1;
  } finally {
    await plugin.close();
  }
}

export async function inspectPluginCommand(file: string, json: boolean): Promise<number> {
  const path = resolve(file);
  const bytes = new Uint8Array(await readFile(path));
  const info = inspectModule(bytes);
  let abiError: string | null = null;
  try {
    validateModule(bytes); // an invalid module is reported as such, before any ABI complaint
    checkAbi(info);
  } catch (err) {
    abiError = errorMessage(err);
  }
  let metadata = null;
  let loadError: string | null = null;
  if (!abiError) {
    // Metadata may come from init() -> i64, so it is read by loading the plugin in a real sandbox (no grants).
    const plugin = createPlugin({ wasmPath: path, limits: DEFAULT_LIMITS });
    try {
      const snap = (await plugin.loaded).snapshot();
      metadata = snap.metadata;
      loadError = snap.state === 'ready' ? null : snap.reason;
    } finally {
      await plugin.close();
    }
  }
  const hostImports = info.imports
    .filter((i) => i.module === 'conductor')
    .map((i) => ({ name: i.name, capability: HOST_FUNCTIONS.get(i.name)?.capability ?? null }));
  const report = {
    file: path,
    bytes: info.byteLength,
    valid: !abiError && !loadError,
    error: abiError ?? loadError,
    exports: info.exports.map((e) => ({ name: e.name, kind: e.kind, ...(e.type ? { type: e.type } : {}) })),
    imports: info.imports.map((i) => ({ module: i.module, name: i.name, kind: i.kind, ...(i.type ? { type: i.type } : {}) })),
    memories: info.memories,
    tables: info.tables,
    customSections: info.customSections.map((s) => ({ name: s.name, bytes: s.data.byteLength })),
    hostImports,
    metadata,
    capabilities: metadata?.capabilities ?? [],
  };
  if (json) {
    process.stdout.write(`${terminalJson(report)}\n`);
    return report.valid ? 0 : 1;
  }
  // Names, error texts and metadata come from the .wasm: every line is escaped (terminal-text.ts).
  const sig = (t?: { params: string[]; results: string[] }): string => (t ? ` (${t.params.join(', ')}) -> (${t.results.join(', ')})` : '');
  const lines = [
    `${path} (${info.byteLength} bytes)`,
    report.valid ? 'valid Conductor plugin (ABI v1)' : `NOT LOADABLE: ${report.error}`,
    'exports:',
    ...report.exports.map((e) => `  ${e.name} [${e.kind}]${sig(e.type)}`),
    'imports:',
    ...(report.imports.length > 0 ? report.imports.map((i) => `  ${i.module}.${i.name} [${i.kind}]${sig(i.type)}`) : ['  (none)']),
    ...info.memories.map((m) => `memory: initial ${m.initial} pages, maximum ${m.maximum ?? 'none'}`),
    ...info.tables.map((t) => `table: initial ${t.initial}, maximum ${t.maximum ?? 'none'}`),
  ];
  if (metadata) {
    lines.push(
      `metadata (from ${metadata.source}): ${metadata.name} ${metadata.version} — ${metadata.description}`,
      `  author: ${metadata.author || '-'}, license: ${metadata.license || '-'}`,
      `capabilities: ${metadata.capabilities.join(', ') || '(none)'}`,
      `allowed hosts: ${metadata.allowedHosts.join(', ') || '(any public host)'}`,
    );
    for (const s of metadata.settings) {
      const dflt = s.default === null ? '' : `, default ${JSON.stringify(s.default)}`;
      lines.push(`  setting ${s.name}: ${s.type}${s.required ? ' (required)' : ''}${dflt} — ${s.description}`);
    }
    for (const a of metadata.actions) {
      lines.push(`  action ${a.name}: ${a.description}`);
      for (const p of a.parameters) lines.push(`    ${p.name}: ${p.type}${p.required ? ' (required)' : ''} — ${p.description}`);
    }
  }
  process.stdout.write(`${terminalLines(lines)}\n`);
  return report.valid ? 0 : 1;
}
