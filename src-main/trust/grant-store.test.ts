// The grant store on real files: automatic low-risk grants, pending medium/high, carry-over rules, atomic writes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decisionOf, GrantStore, GrantStoreError, reconcileRecord, type PluginIdentity } from './grant-store';

let dir: string;
let store: GrantStore;
const id: PluginIdentity = { name: 'caps', sha256: 'a'.repeat(64), signer: null };
const t0 = new Date('2026-11-25T10:00:00Z');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-grants-'));
  store = new GrantStore(join(dir, 'plugin_grants.toml'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('reconcileRecord', () => {
  it('grants low risk automatically and leaves medium and high pending', () => {
    const r = reconcileRecord(null, id, ['subprocess', 'network', 'filesystem', 'midi'], t0);
    expect(decisionOf(r)).toEqual({ granted: ['network', 'midi'], pending: ['filesystem', 'subprocess'], denied: [] });
    expect(r.requested).toEqual(['network', 'midi', 'filesystem', 'subprocess']);
  });

  it('keeps decisions for the same binary and asks for a newly requested capability', () => {
    let r = reconcileRecord(null, id, ['filesystem'], t0);
    r = { ...r, capabilities: { filesystem: 'granted' } };
    const same = reconcileRecord(r, id, ['filesystem', 'systemcontrol'], t0);
    expect(decisionOf(same)).toEqual({ granted: ['filesystem'], pending: ['systemcontrol'], denied: [] });
  });

  it('asks again for everything when an unsigned binary changes', () => {
    const r = { ...reconcileRecord(null, id, ['filesystem', 'subprocess'], t0), capabilities: { filesystem: 'granted', subprocess: 'denied' } as const };
    const next = reconcileRecord(r, { ...id, sha256: 'b'.repeat(64) }, ['filesystem', 'subprocess'], t0);
    expect(decisionOf(next)).toEqual({ granted: [], pending: ['filesystem', 'subprocess'], denied: [] });
  });

  it('asks again for a new binary even from the same signer, and for the same binary from another signer', () => {
    const signed = { ...id, signer: 'c'.repeat(64) };
    const r = { ...reconcileRecord(null, signed, ['filesystem', 'subprocess'], t0), capabilities: { filesystem: 'granted', subprocess: 'denied' } as const };
    expect(decisionOf(reconcileRecord(r, signed, ['filesystem', 'subprocess'], t0))).toEqual({ granted: ['filesystem'], pending: [], denied: ['subprocess'] });
    const update = reconcileRecord(r, { ...signed, sha256: 'b'.repeat(64) }, ['filesystem', 'subprocess'], t0);
    expect(decisionOf(update)).toEqual({ granted: [], pending: ['filesystem', 'subprocess'], denied: [] });
    const otherKey = reconcileRecord(r, { ...signed, signer: 'd'.repeat(64) }, ['filesystem', 'subprocess'], t0);
    expect(decisionOf(otherKey).pending).toEqual(['filesystem', 'subprocess']);
  });

  it('keeps a user-denied low-risk capability denied, and drops capabilities no longer requested', () => {
    const r = { ...reconcileRecord(null, id, ['network', 'filesystem'], t0), capabilities: { network: 'denied', filesystem: 'granted' } as const };
    const next = reconcileRecord(r, id, ['network'], t0);
    expect(decisionOf(next)).toEqual({ granted: [], pending: [], denied: ['network'] });
    expect(next.capabilities.filesystem).toBeUndefined();
  });
});

describe('GrantStore', () => {
  it('writes, reads back and decides', async () => {
    await store.reconcile(id, ['filesystem', 'network'], t0);
    expect(decisionOf((await store.get('caps'))!)).toEqual({ granted: ['network'], pending: ['filesystem'], denied: [] });
    await store.decide('caps', 'filesystem', 'granted');
    const reopened = new GrantStore(store.path);
    expect(decisionOf((await reopened.get('caps'))!)).toEqual({ granted: ['network', 'filesystem'], pending: [], denied: [] });
    await reopened.decide('caps', 'filesystem', 'pending');
    expect(decisionOf((await store.get('caps'))!).pending).toEqual(['filesystem']);
    const text = readFileSync(store.path, 'utf8');
    expect(text).toContain('[[plugins]]');
    expect(text).toContain('filesystem = "pending"');
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['plugin_grants.toml']);
  });

  it('keeps other plugins intact and serialises concurrent decisions', async () => {
    await store.reconcile(id, ['filesystem', 'subprocess', 'systemcontrol'], t0);
    await store.reconcile({ name: 'other', sha256: 'e'.repeat(64), signer: 'f'.repeat(64) }, ['subprocess'], t0);
    await Promise.all([
      store.decide('caps', 'filesystem', 'granted'),
      store.decide('caps', 'subprocess', 'denied'),
      store.decide('caps', 'systemcontrol', 'granted'),
      store.decide('other', 'subprocess', 'granted'),
    ]);
    expect(decisionOf((await store.get('caps'))!)).toEqual({ granted: ['filesystem', 'systemcontrol'], pending: [], denied: ['subprocess'] });
    expect(await store.get('other')).toMatchObject({ signer: 'f'.repeat(64), capabilities: { subprocess: 'granted' } });
    expect(await store.forget('caps')).toBe(true);
    expect(await store.forget('caps')).toBe(false);
    expect((await store.list()).map((r) => r.name)).toEqual(['other']);
  });

  it('grant, revoke and forget keep the comments the user added', async () => {
    const logged: string[] = [];
    const grants = new GrantStore(store.path, (m) => logged.push(m));
    await grants.reconcile(id, ['filesystem', 'network'], t0);
    await grants.reconcile({ name: 'other', sha256: 'e'.repeat(64), signer: 'f'.repeat(64) }, ['subprocess'], t0);
    const annotated = readFileSync(store.path, 'utf8')
      .replace('[[plugins]]\nname = "caps"', '# Mine: watch what it reads.\n[[plugins]]\nname = "caps"   # from the workshop')
      .concat('\n# (notes end here)\n');
    writeFileSync(store.path, annotated);

    const t1 = new Date('2026-11-26T10:00:00Z');
    await grants.decide('caps', 'filesystem', 'granted', t1);
    const granted = readFileSync(store.path, 'utf8');
    expect(granted).toBe(
      annotated.replace('filesystem = "pending"', 'filesystem = "granted"').replace('updated_at = "2026-11-25T10:00:00.000Z"', 'updated_at = "2026-11-26T10:00:00.000Z"'),
    );
    await grants.decide('caps', 'filesystem', 'pending', t0);
    expect(readFileSync(store.path, 'utf8')).toBe(annotated);

    // A capability the plugin newly requests is added beside the others; forgetting a plugin removes its entry only.
    await grants.reconcile(id, ['filesystem', 'network', 'subprocess'], t0);
    expect(readFileSync(store.path, 'utf8')).toContain('  filesystem = "pending"\n  subprocess = "pending"\n');
    await grants.forget('other');
    const text = readFileSync(store.path, 'utf8');
    expect(text).toContain('# Mine: watch what it reads.\n[[plugins]]\nname = "caps"   # from the workshop\n');
    expect(text.endsWith('subprocess = "pending"\n\n# (notes end here)\n')).toBe(true);
    expect(text).not.toContain('"other"');
    expect((await grants.list()).map((r) => r.name)).toEqual(['caps']);
    expect(logged).toEqual([]);
  });

  it('refuses decisions on capabilities the plugin does not request', async () => {
    await store.reconcile(id, ['filesystem'], t0);
    await expect(store.decide('caps', 'subprocess', 'granted')).rejects.toThrow(/does not request the "subprocess" capability/);
    await expect(store.decide('nobody', 'filesystem', 'granted')).rejects.toThrow(GrantStoreError);
  });

  it('reports a malformed file with line and column and never overwrites it', async () => {
    writeFileSync(store.path, '[[plugins]]\nname = "caps"\nsha256 = \n');
    await expect(store.list()).rejects.toThrow(/plugin_grants\.toml:3:\d+: /);
    await expect(store.reconcile(id, ['network'], t0)).rejects.toThrow(GrantStoreError);
    expect(readFileSync(store.path, 'utf8')).toBe('[[plugins]]\nname = "caps"\nsha256 = \n');
    writeFileSync(store.path, '[[plugins]]\nname = "caps"\nsha256 = "x"\nsigner = ""\nupdated_at = "t"\nrequested = ["root"]\n');
    await expect(store.list()).rejects.toThrow(/plugins\[0\]\.requested: unknown capability "root"/);
  });
});
