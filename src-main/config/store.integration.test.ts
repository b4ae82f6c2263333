// ConfigStore with real files in temp dirs: first run, last good config, atomic save with backup, external edits.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig, ConfigIssue } from '../../src-shared/config';
import { configCheckCommand } from '../cli/config-commands';
import { defaultConfigPath, emptyConfig } from './default-config';
import { parseConfigText } from './schema';
import { ConfigSaveError, ConfigStore } from './store';

let dir: string;
let path: string;
const stores: ConfigStore[] = [];

function store(options: ConstructorParameters<typeof ConfigStore>[0] = {}): ConfigStore {
  const s = new ConfigStore({ path, watchDebounceMs: 20, ...options });
  stores.push(s);
  return s;
}

const GOOD = `[[modes]]
name = "Default"

[[modes.mappings]]
description = "one"
trigger = { Note = { note = 36 } }
action = { Text = { text = "one" } }
`;
const GOOD_2 = GOOD.replace('"one"', '"two"').replace('note = 36', 'note = 37');
const BAD = GOOD.replace('note = 36', 'note = 360');

function once<T>(subscribe: (listener: (value: T) => void) => () => void): Promise<T> {
  return new Promise((resolve) => {
    const off = subscribe((value) => {
      off();
      resolve(value);
    });
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-config-'));
  path = join(dir, 'config.toml');
});
afterEach(() => {
  for (const s of stores.splice(0)) s.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('ConfigStore.load', () => {
  it('first run: writes the shipped, commented default config, which is valid and passes `config check`', async () => {
    expect(defaultConfigPath()).not.toBeNull();
    const nested = join(dir, 'a', 'b', 'config.toml');
    const s = store({ path: nested });
    const { config, issues, source } = await s.load();
    expect(issues).toEqual([]);
    expect(source).toBe('created-default');
    const text = readFileSync(nested, 'utf8');
    expect(text).toBe(readFileSync(defaultConfigPath() ?? '', 'utf8'));
    expect(text).toMatch(/^# Conductor Desktop configuration/);
    expect(statSync(nested).mode & 0o777).toBe(0o600);
    expect(config.modes.map((m) => m.name)).toEqual(['Default', 'Performance']);
    expect(config.wasm).toEqual({ requireSignature: false, allowSelfSigned: false });
    // The default maps the virtual controller's pads (36–51) and knobs (CC 1–4) only.
    const all = [...config.modes.flatMap((m) => m.mappings), ...config.globalMappings];
    expect(all.length).toBeGreaterThan(3);
    for (const { trigger } of all) {
      if ('note' in trigger && trigger.note !== undefined) expect(trigger.note >= 36 && trigger.note <= 51, JSON.stringify(trigger)).toBe(true);
      if ('cc' in trigger) expect(trigger.cc >= 1 && trigger.cc <= 4, JSON.stringify(trigger)).toBe(true);
    }
    // Harmless: nothing that runs programs, types or presses keys.
    const kinds = new Set<string>();
    const walk = (a: AppConfig['modes'][number]['mappings'][number]['action']): void => {
      kinds.add(a.type);
      if (a.type === 'Sequence') a.actions.forEach(walk);
      if (a.type === 'Repeat') walk(a.action);
    };
    all.forEach((m) => walk(m.action));
    expect([...kinds].sort()).toEqual(['Delay', 'ModeChange', 'SendMidi', 'Sequence']);
    // Second run reads it back as a normal file.
    expect((await store({ path: nested }).load()).source).toBe('file');
    const out: string[] = [];
    const code = await configCheckCommand(nested, false, { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => out.push(t) } });
    expect(code).toBe(0);
    expect(out.join('')).toContain(': OK');
  });

  it('without a shipped default, first run writes an empty canonical config', async () => {
    const { config, source } = await store({ defaultConfigFile: null }).load();
    expect(source).toBe('created-default');
    expect(config).toEqual(emptyConfig());
    expect(parseConfigText(readFileSync(path, 'utf8')).config).toEqual(emptyConfig());
  });

  it('a bad file at start-up gives an empty fallback config with the issues; a broken [wasm] fails closed', async () => {
    writeFileSync(path, `[wasm]\nrequire_signature = false\n${BAD}`);
    const bad = await store().load();
    expect(bad.source).toBe('fallback');
    expect(bad.issues.map((i) => i.path)).toEqual(['modes[0].mappings[0].trigger.Note.note']);
    expect(bad.config).toEqual(emptyConfig({ requireSignature: false, allowSelfSigned: false }));

    writeFileSync(path, '[wasm]\nrequire_signature = "no"\n');
    const broken = await store().load();
    expect(broken.source).toBe('fallback');
    expect(broken.config.wasm).toEqual({ requireSignature: true, allowSelfSigned: false });
    expect(broken.config.modes).toEqual([]);

    writeFileSync(path, 'this is not toml');
    const syntax = await store().load();
    expect(syntax.issues).toHaveLength(1);
    expect(syntax.issues[0]?.line).toBe(1);
    expect(syntax.config.wasm).toEqual({ requireSignature: true, allowSelfSigned: false });
  });

  it('a bad file never replaces the running config: load() keeps the last good one and exposes the issues', async () => {
    writeFileSync(path, GOOD);
    const s = store({ watch: false });
    const good = await s.load();
    expect(good.source).toBe('file');
    writeFileSync(path, BAD);
    const again = await s.load();
    expect(again.source).toBe('last-good');
    expect(again.config).toBe(good.config);
    expect(s.config).toBe(good.config);
    expect(s.issues).toEqual(again.issues);
    expect(again.issues[0]).toMatchObject({ path: 'modes[0].mappings[0].trigger.Note.note', message: 'expected 0–127, got 360', line: 6 });
  });
});

describe('ConfigStore.save', () => {
  it('writes the canonical shape atomically, keeps the previous good file as config.toml.bak, and announces the change', async () => {
    writeFileSync(path, GOOD);
    const s = store({ watch: false });
    const { config } = await s.load();
    const changed = once<AppConfig>((l) => s.onDidChange(l));
    const next: AppConfig = { ...config, device: { ...config.device, name: 'Pads' } };
    const saved = await s.save(next);
    expect(saved).toEqual(next);
    expect(await changed).toEqual(next);
    expect(s.config).toEqual(next);
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe(GOOD);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('[device]\nname = "Pads"\n');
    expect(text).toContain('trigger = { Note = { note = 36 } }');
    expect(parseConfigText(text).config).toEqual(next);

    // One backup: the file replaced by the latest save.
    const third = { ...next, device: { ...next.device, name: 'Other' } };
    await s.save(third);
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe(text);
    expect(readdirSync(dir).sort()).toEqual(['config.toml', 'config.toml.bak']);
  });

  it('refuses a config that would not read back, writing nothing', async () => {
    writeFileSync(path, GOOD);
    const s = store({ watch: false });
    const { config } = await s.load();
    const bad: AppConfig = { ...config, modes: [{ name: 'Default', color: null, mappings: [{ description: '', trigger: { type: 'Note', note: 300 }, action: { type: 'ModeChange', mode: 'Nope' } }] }] };
    const error = await s.save(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigSaveError);
    expect((error as ConfigSaveError).issues.map((i) => i.path)).toEqual(['modes[0].mappings[0].trigger.Note.note', 'modes[0].mappings[0].action.ModeChange.mode']);
    expect(readFileSync(path, 'utf8')).toBe(GOOD);
    expect(existsSync(`${path}.bak`)).toBe(false);
    expect(s.config).toBe(config);
  });

  it('backs up the last good text, not a bad file the user left on disk', async () => {
    writeFileSync(path, GOOD);
    const s = store({ watch: false });
    const { config } = await s.load();
    writeFileSync(path, BAD);
    await s.save({ ...config, device: { ...config.device, name: 'X' } });
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe(GOOD);
  });

  it('after dispose() listeners are gone and the store still saves', async () => {
    writeFileSync(path, GOOD);
    const s = store();
    const { config } = await s.load();
    const seen: AppConfig[] = [];
    s.onDidChange((c) => seen.push(c));
    s.dispose();
    await s.save({ ...config, device: { ...config.device, name: 'After' } });
    expect(seen).toEqual([]);
    expect(readFileSync(path, 'utf8')).toContain('name = "After"');
  });

  it('an unsubscribed listener is not called', async () => {
    writeFileSync(path, GOOD);
    const s = store({ watch: false });
    const { config } = await s.load();
    const seen: string[] = [];
    const off = s.onDidChange(() => seen.push('first'));
    s.onDidChange(() => seen.push('second'));
    off();
    await s.save({ ...config, device: { ...config.device, name: 'Y' } });
    expect(seen).toEqual(['second']);
  });
});

describe('ConfigStore watching', () => {
  it('applies a valid external edit and reports an invalid one, keeping the last good config', async () => {
    writeFileSync(path, GOOD);
    const s = store();
    await s.load();

    const changed = once<AppConfig>((l) => s.onDidChange(l));
    writeFileSync(path, GOOD_2);
    const config = await changed;
    expect(config.modes[0]?.mappings[0]).toMatchObject({ description: 'two', trigger: { type: 'Note', note: 37 } });
    expect(s.config).toBe(config);

    const failed = once<ConfigIssue[]>((l) => s.onDidFailToLoad(l));
    writeFileSync(path, BAD);
    const issues = await failed;
    expect(issues).toEqual([{ path: 'modes[0].mappings[0].trigger.Note.note', segments: ['modes', 0, 'mappings', 0, 'trigger', 'Note', 'note'], message: 'expected 0–127, got 360', line: 6, column: 22 }]);
    expect(s.config).toBe(config);
    expect(s.issues).toEqual(issues);

    // Fixed again: applied, issues cleared.
    const fixed = once<AppConfig>((l) => s.onDidChange(l));
    writeFileSync(path, GOOD);
    expect((await fixed).modes[0]?.mappings[0]?.description).toBe('one');
    expect(s.issues).toEqual([]);
  });

  it('picks up a file replaced by rename (how editors and atomic writers save)', async () => {
    writeFileSync(path, GOOD);
    const s = store();
    await s.load();
    const changed = once<AppConfig>((l) => s.onDidChange(l));
    const other = new ConfigStore({ path, watch: false });
    const { config } = await other.load();
    await other.save({ ...config, device: { ...config.device, name: 'From elsewhere' } });
    expect((await changed).device.name).toBe('From elsewhere');
  });

  it('reports a removed file and keeps running the last good config', async () => {
    writeFileSync(path, GOOD);
    const s = store();
    const { config } = await s.load();
    const failed = once<ConfigIssue[]>((l) => s.onDidFailToLoad(l));
    rmSync(path);
    const [issue] = await failed;
    expect(issue?.message).toMatch(/was removed; the running config is kept/);
    expect(s.config).toBe(config);
  });

  it('does not announce its own saves twice', async () => {
    writeFileSync(path, GOOD);
    const s = store();
    const { config } = await s.load();
    const seen: (string | null)[] = [];
    s.onDidChange((c) => seen.push(c.device.name));
    await s.save({ ...config, device: { ...config.device, name: 'Mine' } });
    // An external edit after our save: its event arrives; our own save produced exactly one event before it.
    const external = once<AppConfig>((l) => s.onDidChange(l));
    writeFileSync(path, GOOD_2);
    await external;
    expect(seen).toEqual(['Mine', null]);
  });
});
