// `conductor plugin install|uninstall|list|grant|deny|revoke`: installed plugins and their capability decisions,
// through the PluginManager the app uses (formats: docs/cli.md). Never runs plugin code here; never prints plugin text unescaped.
import { CAPABILITY_INFO, type GrantStatus } from '../../src-shared/capabilities';
import { isCapability, type Capability } from '../../src-shared/plugin';
import { PluginManager, type InstalledPlugin } from '../plugins/host/manager';
import { describePolicy } from '../trust/policy';
import { UsageError } from './plugin-commands';
import { terminalJson, terminalLines, terminalText } from '../../src-shared/terminal-text';

export interface InstallFlags {
  'plugins-dir'?: string;
  update?: boolean;
  json?: boolean;
}

async function withManager<T>(flags: InstallFlags, work: (m: PluginManager) => Promise<T>): Promise<T> {
  const manager = await PluginManager.open({ ...(flags['plugins-dir'] ? { pluginsDir: flags['plugins-dir'] } : {}), host: { spareSandboxes: 0 } });
  try {
    return await work(manager);
  } finally {
    await manager.shutdown();
  }
}

/** The JSON shape of one plugin in `list --json` / `install --json`. */
export function pluginJson(p: InstalledPlugin): Record<string, unknown> {
  const s = p.snapshot;
  const v = s.verification;
  return {
    id: p.id,
    name: s.metadata?.name ?? null,
    version: s.metadata?.version ?? null,
    file: p.wasmPath,
    sha256: s.sha256,
    state: s.state,
    reason: s.reason,
    signature: {
      tier: v?.tier ?? null,
      ok: v?.ok ?? null,
      detail: v?.detail ?? null,
      failedCheck: v?.failedCheck ?? null,
      developer: v?.signer ? { name: v.signer.name, email: v.signer.email } : null,
      publicKey: v?.signer?.publicKey ?? null,
      signedAt: v?.signer?.signedAt ?? null,
      trustedKeyName: v?.trustedKeyName ?? null,
    },
    capabilities: {
      requested: s.metadata?.capabilities ?? [],
      granted: s.grants,
      pending: s.pendingCapabilities,
      denied: s.deniedCapabilities,
    },
    /** Where it runs (docs/isolation.md): `{mode, reason, override}`, null before its sandbox started. */
    isolation: s.isolation,
  };
}

function capabilityLines(p: InstalledPlugin): string[] {
  const s = p.snapshot;
  return (s.metadata?.capabilities ?? []).map((c) => {
    const info = CAPABILITY_INFO[c];
    const status = s.grants.includes(c) ? 'granted' : s.deniedCapabilities.includes(c) ? 'denied' : 'pending';
    return `    ${info.riskIcon} ${c.padEnd(13)} ${info.risk.padEnd(6)} ${status.padEnd(8)} ${info.description}`;
  });
}

/**
 * Prints one plugin, `prefix` before its first line. Its name, version, reason, file name and the signature's developer
 * come from the plugin's files: every line is escaped (terminal-text.ts).
 */
function printPlugin(p: InstalledPlugin, prefix = ''): void {
  const s = p.snapshot;
  const v = s.verification;
  const title = s.metadata ? `${s.metadata.name} ${s.metadata.version}` : p.id;
  const lines = [`${prefix}${title}  [${s.state}]${s.reason ? ` — ${s.reason}` : ''}`, `    file:      ${p.wasmPath}`];
  if (v) {
    const who = v.signer ? ` — ${v.signer.name}${v.signer.email ? ` <${v.signer.email}>` : ''}, key ${v.signer.publicKey}` : '';
    lines.push(`    signature: ${v.ok ? v.tier : `BLOCKED (${v.failedCheck ?? v.tier})`}${who}`);
    if (!v.ok) lines.push(`               ${v.detail}`);
  }
  if (s.isolation) lines.push(`    runs in:   ${s.isolation.mode === 'shared' ? 'the shared sandbox process' : 'a sandbox process of its own'} (${s.isolation.reason})`);
  const caps = capabilityLines(p);
  if (caps.length > 0) lines.push('    capabilities:', ...caps);
  process.stdout.write(`${terminalLines(lines)}\n`);
}

export async function installCommand(file: string, flags: InstallFlags): Promise<number> {
  return withManager(flags, async (m) => {
    const result = await m.install(file, { update: flags.update === true });
    const s = result.plugin.snapshot;
    if (flags.json) {
      process.stdout.write(`${terminalJson({ action: result.action, previousVersion: result.previousVersion, plugin: pluginJson(result.plugin) })}\n`);
      return 0;
    }
    const verb = result.action === 'updated' ? `updated (was ${result.previousVersion ?? '?'})` : 'installed';
    printPlugin(result.plugin, `${verb}: `);
    if (s.pendingCapabilities.length > 0) {
      const lines = [
        '',
        `It will not run until you decide on: ${s.pendingCapabilities.join(', ')}.`,
        `Approve in the app (Plugins), or: conductor plugin grant ${s.metadata?.name ?? result.plugin.id} <capability>`,
      ];
      process.stdout.write(`${terminalLines(lines)}\n`);
    }
    return 0;
  });
}

export async function uninstallCommand(name: string, flags: InstallFlags): Promise<number> {
  return withManager(flags, async (m) => {
    await m.discover();
    const removed = await m.uninstall(name);
    const s = removed.snapshot;
    if (flags.json) process.stdout.write(`${terminalJson({ uninstalled: pluginJson(removed) })}\n`);
    else {
      const name = s.metadata?.name ?? removed.id;
      process.stdout.write(`${terminalText(`uninstalled ${name} (${removed.wasmPath}); its capability decisions were removed, its data folder was kept`)}\n`);
    }
    return 0;
  });
}

export async function listCommand(flags: InstallFlags): Promise<number> {
  return withManager(flags, async (m) => {
    const plugins = await m.discover();
    if (flags.json) {
      process.stdout.write(`${terminalJson({ pluginsDir: m.pluginsDir, policy: m.policy, plugins: plugins.map(pluginJson) })}\n`);
      return 0;
    }
    process.stdout.write(`${terminalText(`plugins in ${m.pluginsDir} (${describePolicy(m.policy)}):`)}\n`);
    if (plugins.length === 0) process.stdout.write('  (none; install one with `conductor plugin install FILE.wasm`)\n');
    for (const p of plugins) printPlugin(p);
    return 0;
  });
}

const DECISIONS: Record<string, GrantStatus> = { grant: 'granted', deny: 'denied', revoke: 'pending' };

export async function decideCommand(verb: string, name: string, capability: string, flags: InstallFlags): Promise<number> {
  const status = DECISIONS[verb];
  if (!status) throw new UsageError(`unknown plugin command "${verb}"`);
  const cap = capability.toLowerCase();
  if (!isCapability(cap)) throw new UsageError(`unknown capability "${capability}"`);
  return withManager(flags, async (m) => {
    await m.discover();
    const p = await m.decide(name, cap as Capability, status);
    if (flags.json) process.stdout.write(`${terminalJson({ plugin: pluginJson(p) })}\n`);
    else printPlugin(p);
    return 0;
  });
}
