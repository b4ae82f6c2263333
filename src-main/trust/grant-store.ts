// The capability-grant store: what the user decided for each plugin's capabilities (granted, denied, pending),
// kept in plugin_grants.toml and keyed by plugin identity (name + SHA-256 + signer). Never runs plugins. Writes
// edit the file's own text, so comments the user added survive (fs/toml-patch.ts).
import TOML from '@iarna/toml';
import { CAPABILITY_INFO, type GrantDecision, type GrantStatus } from '../../src-shared/capabilities';
import { errorMessage } from '../../src-shared/errors';
import { CAPABILITIES, isCapability, type Capability } from '../../src-shared/plugin';
import { writeFileAtomically } from '../fs/atomic-write';
import { readTomlFileText, tomlTextFor } from '../fs/toml-file';

/** Who a plugin is, for grant purposes. `signer` is the lowercase public key hex of a valid signature, or null. */
export interface PluginIdentity {
  name: string;
  sha256: string;
  signer: string | null;
}

export interface GrantRecord extends PluginIdentity {
  /** Capabilities the plugin requested when the record was last reconciled. */
  requested: Capability[];
  capabilities: Partial<Record<Capability, GrantStatus>>;
  /** RFC 3339. */
  updatedAt: string;
}


export class GrantStoreError extends Error {
  override readonly name = 'GrantStoreError';
}

/** Splits a record into its decision, in catalogue order. */
export function decisionOf(record: Pick<GrantRecord, 'requested' | 'capabilities'>): GrantDecision {
  const out: GrantDecision = { granted: [], pending: [], denied: [] };
  for (const cap of CAPABILITIES) {
    if (!record.requested.includes(cap)) continue;
    out[record.capabilities[cap] ?? 'pending'].push(cap);
  }
  return out;
}

/**
 * Works out the statuses for a plugin that requests `requested` now, given what was stored for its name before.
 * Low-risk capabilities are granted automatically (unless the user denied one for this very binary). Decisions
 * belong to one identity — name + SHA-256 + signer — so they carry over only while the binary and its signer stay
 * the same; a new binary (an update, signed or not) or a new signer is asked again, and so is a newly requested
 * capability.
 */
export function reconcileRecord(previous: GrantRecord | null, identity: PluginIdentity, requested: readonly Capability[], now: Date): GrantRecord {
  const carryOver = previous !== null && previous.sha256 === identity.sha256 && previous.signer === identity.signer;
  const capabilities: Partial<Record<Capability, GrantStatus>> = {};
  const wanted = CAPABILITIES.filter((c) => requested.includes(c));
  for (const cap of wanted) {
    const before = carryOver && previous ? previous.capabilities[cap] : undefined;
    const askedBefore = carryOver && previous !== null && previous.requested.includes(cap);
    if (CAPABILITY_INFO[cap].grant === 'automatic') capabilities[cap] = before === 'denied' && askedBefore ? 'denied' : 'granted';
    else capabilities[cap] = askedBefore && before !== undefined ? before : 'pending';
  }
  return { ...identity, requested: wanted, capabilities, updatedAt: now.toISOString() };
}

function sameRecord(a: GrantRecord, b: GrantRecord): boolean {
  return (
    a.name === b.name &&
    a.sha256 === b.sha256 &&
    a.signer === b.signer &&
    a.requested.join() === b.requested.join() &&
    CAPABILITIES.every((c) => a.capabilities[c] === b.capabilities[c])
  );
}

const STATUSES: readonly GrantStatus[] = ['granted', 'denied', 'pending'];

/** plugin_grants.toml: `[[plugins]]` with name, sha256, signer ("" = unsigned), requested, updated_at, [plugins.capabilities]. */
export class GrantStore {
  /** Serialises read-modify-write cycles so concurrent decisions never lose one another. */
  private chain: Promise<unknown> = Promise.resolve();

  /** `log` gets a line when a save cannot keep the file's comments and writes it in full (default console.warn). */
  constructor(
    readonly path: string,
    private readonly log: (message: string) => void = (message) => console.warn(`[grants] ${message}`),
  ) {}

  async list(): Promise<GrantRecord[]> {
    return (await this.read()).records;
  }

  async get(name: string): Promise<GrantRecord | null> {
    return (await this.list()).find((r) => r.name === name) ?? null;
  }

  /** Brings the stored record in line with what the plugin is and requests now; returns the resulting record. */
  reconcile(identity: PluginIdentity, requested: readonly Capability[], now = new Date()): Promise<GrantRecord> {
    return this.modify((records) => {
      const index = records.findIndex((r) => r.name === identity.name);
      const previous = index >= 0 ? (records[index] ?? null) : null;
      const next = reconcileRecord(previous, identity, requested, now);
      if (previous && sameRecord(previous, next)) return { records: null, result: previous };
      if (index >= 0) records[index] = next;
      else records.push(next);
      return { records, result: next };
    });
  }

  /** The user's decision on one capability the plugin requested. `pending` = revoke and ask again. */
  decide(name: string, capability: Capability, status: GrantStatus, now = new Date()): Promise<GrantRecord> {
    return this.modify((records) => {
      const record = records.find((r) => r.name === name);
      if (!record) throw new GrantStoreError(`no capability record for plugin "${name}" (is it installed and loaded?)`);
      if (!record.requested.includes(capability)) {
        throw new GrantStoreError(`plugin "${name}" does not request the "${capability}" capability (it requests: ${record.requested.join(', ') || 'none'})`);
      }
      if (record.capabilities[capability] === status) return { records: null, result: record };
      record.capabilities[capability] = status;
      record.updatedAt = now.toISOString();
      return { records, result: record };
    });
  }

  /** Removes every decision about a plugin (uninstall). Returns whether there was one. */
  forget(name: string): Promise<boolean> {
    return this.modify((records) => {
      const kept = records.filter((r) => r.name !== name);
      return kept.length === records.length ? { records: null, result: false } : { records: kept, result: true };
    });
  }

  private modify<T>(change: (records: GrantRecord[]) => { records: GrantRecord[] | null; result: T }): Promise<T> {
    const run = this.chain.then(async () => {
      const file = await this.read();
      const { records, result } = change(file.records);
      if (records) await this.write(file.text, records);
      return result;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** The records and the file's text (null when there is no file). */
  private async read(): Promise<{ text: string | null; records: GrantRecord[] }> {
    let file: { text: string; doc: TOML.JsonMap } | null;
    try {
      file = await readTomlFileText(this.path);
    } catch (err) {
      throw new GrantStoreError(errorMessage(err));
    }
    if (file === null) return { text: null, records: [] };
    const plugins = file.doc.plugins ?? [];
    if (!Array.isArray(plugins)) throw new GrantStoreError(`${this.path}: "plugins" must be an array of tables ([[plugins]])`);
    return { text: file.text, records: plugins.map((entry, i) => parseRecord(entry, `${this.path}: plugins[${i}]`)) };
  }

  /** Writes `records`: the file's text `previous` edited (comments kept), else the whole file. */
  private async write(previous: string | null, records: GrantRecord[]): Promise<void> {
    const doc = {
      plugins: records.map((r) => ({
        name: r.name,
        sha256: r.sha256,
        signer: r.signer ?? '',
        requested: r.requested,
        updated_at: r.updatedAt,
        capabilities: Object.fromEntries(CAPABILITIES.flatMap((c) => (r.capabilities[c] ? [[c, r.capabilities[c]]] : []))),
      })),
    };
    const header = '# Capability decisions for Conductor plugins, written by Conductor. Revoke grants in the app or with\n# `conductor plugin revoke NAME CAPABILITY`; a changed plugin binary is asked again.\n\n';
    const { text, fallback } = tomlTextFor(previous, doc, () => header + TOML.stringify(doc as unknown as TOML.JsonMap));
    if (fallback !== null) this.log(`${this.path}: comments and layout not kept (${fallback}); wrote the whole file`);
    await writeFileAtomically(this.path, text, { mode: 0o600 });
  }
}

function parseRecord(entry: unknown, where: string): GrantRecord {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw new GrantStoreError(`${where}: expected a table`);
  const e = entry as Record<string, unknown>;
  const str = (key: string): string => {
    const v = e[key];
    if (typeof v !== 'string') throw new GrantStoreError(`${where}.${key}: expected a string`);
    return v;
  };
  const requestedRaw = e.requested ?? [];
  if (!Array.isArray(requestedRaw)) throw new GrantStoreError(`${where}.requested: expected an array of capability names`);
  const requested: Capability[] = [];
  for (const r of requestedRaw) {
    if (typeof r !== 'string' || !isCapability(r)) throw new GrantStoreError(`${where}.requested: unknown capability ${JSON.stringify(r)}`);
    requested.push(r);
  }
  const capsRaw = e.capabilities ?? {};
  if (capsRaw === null || typeof capsRaw !== 'object' || Array.isArray(capsRaw)) throw new GrantStoreError(`${where}.capabilities: expected a table`);
  const capabilities: Partial<Record<Capability, GrantStatus>> = {};
  for (const [cap, status] of Object.entries(capsRaw)) {
    if (!isCapability(cap)) throw new GrantStoreError(`${where}.capabilities.${cap}: unknown capability`);
    if (typeof status !== 'string' || !(STATUSES as readonly string[]).includes(status)) {
      throw new GrantStoreError(`${where}.capabilities.${cap}: expected "granted", "denied" or "pending", got ${JSON.stringify(status)}`);
    }
    capabilities[cap] = status as GrantStatus;
  }
  const signer = str('signer');
  return { name: str('name'), sha256: str('sha256'), signer: signer === '' ? null : signer.toLowerCase(), requested, capabilities, updatedAt: str('updated_at') };
}
