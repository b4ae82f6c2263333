// Saving from the app keeps a hand-written config.toml's comments and layout: real files in temp dirs, edits made
// the way the UI makes them (a whole new AppConfig through ConfigStore.save), checked line by line.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppConfig } from '../../src-shared/config';
import { alignItems } from '../fs/align-items';
import { defaultConfigPath } from './default-config';
import { parseConfigText } from './schema';
import { ConfigStore } from './store';
import { CONFIG_HEADER, serializeConfig } from './write';

const HAND_WRITTEN = `# My Conductor setup.
# Hand-written: the app must keep these comments.

[device]
name   =  "Maschine Mikro MK3"   # the controller on my desk
auto_connect = true

[wasm]
require_signature = false
allow_self_signed = false

[[modes]]
name = "Default"   # where it starts
color = "blue"

# Play and pause the music.
[[modes.mappings]]
description = "Play"      # shown in the app
trigger = { Note = { note = 60 } }
# The plugin gets these params as JSON.
action = { WasmPlugin = { path = "~/.conductor/wasm-plugins/spotify.wasm", params = { action = "play", volume = 0.5 } } }

[[modes.mappings]]
description = "Next track"
trigger = {Note={note=61}}     # odd spacing, still valid
action = { WasmPlugin = { path = "~/.conductor/wasm-plugins/spotify.wasm", params = { action = "next" } } }

# Typing, for the demo.
[[modes.mappings]]
description = "Say hi"
trigger = { VelocityRange = { note = 36, level = "soft" } }
action = { Text = { text = "hi" } }


[[modes]]
name = "Performance"
# Nothing here yet.

[[global_mappings]]
description = "Back to default"   # from anywhere
trigger = { CC = { cc = 1, value_min = 64 } }
action = { ModeChange = { mode = "Default" } }
`;

let dir: string;
let path: string;
let logged: string[];
const stores: ConfigStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-preserve-'));
  path = join(dir, 'config.toml');
  logged = [];
});
afterEach(() => {
  for (const s of stores.splice(0)) s.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function open(text: string | null): Promise<{ store: ConfigStore; config: AppConfig }> {
  if (text !== null) writeFileSync(path, text);
  const store = new ConfigStore({ path, watch: false, defaultConfigFile: text === null ? defaultConfigPath() : null, log: (m) => logged.push(m) });
  stores.push(store);
  const { config, issues } = await store.load();
  expect(issues).toEqual([]);
  return { store, config };
}

/** What the UI sends back: the config as plain data (it crosses IPC as JSON). */
function editable(config: AppConfig): AppConfig {
  return JSON.parse(JSON.stringify(config)) as AppConfig;
}

/** How the file reads now, and that it reads as what was saved. */
function fileConfig(expected: AppConfig): AppConfig {
  const { config, issues } = parseConfigText(readFileSync(path, 'utf8'));
  expect(issues).toEqual([]);
  expect(config).toEqual(parseConfigText(serializeConfig(expected)).config);
  return config as AppConfig;
}

/** Lines only in `before` and lines only in `after` (in order), by a longest-common-subsequence line diff. */
function lineDiff(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  const removed: string[] = [];
  const added: string[] = [];
  for (const op of alignItems(a, b)) {
    if (op.kind === 'remove' || op.kind === 'change') removed.push(a[op.i] ?? '');
    if (op.kind === 'add' || op.kind === 'change') added.push(b[op.j] ?? '');
  }
  return { removed, added };
}

const comments = (text: string): string[] => text.split('\n').filter((l) => /(^|\s)#/.test(l));

function mapping(config: AppConfig, mode: number, index: number): AppConfig['modes'][number]['mappings'][number] {
  const m = config.modes[mode]?.mappings[index];
  if (!m) throw new Error(`no mapping ${mode}/${index}`);
  return m;
}

describe('saving keeps a hand-written config.toml', () => {
  it('a UI edit of a description and a plugin param changes those two lines and nothing else', async () => {
    const { store, config } = await open(HAND_WRITTEN);
    const next = editable(config);
    mapping(next, 0, 1).description = 'Skip';
    const play = mapping(next, 0, 0).action;
    if (play.type !== 'WasmPlugin') throw new Error('fixture changed');
    play.params = { ...play.params, volume: 0.8 };
    const saved = await store.save(next);

    const text = readFileSync(path, 'utf8');
    const before = HAND_WRITTEN.split('\n');
    const after = text.split('\n');
    expect(after).toHaveLength(before.length);
    const changed = after.flatMap((line, i) => (line === before[i] ? [] : [{ line: i + 1, before: before[i], after: line }]));
    expect(changed).toEqual([
      {
        line: 21,
        before: 'action = { WasmPlugin = { path = "~/.conductor/wasm-plugins/spotify.wasm", params = { action = "play", volume = 0.5 } } }',
        after: 'action = { WasmPlugin = { path = "~/.conductor/wasm-plugins/spotify.wasm", params = { action = "play", volume = 0.8 } } }',
      },
      { line: 24, before: 'description = "Next track"', after: 'description = "Skip"' },
    ]);
    expect(fileConfig(next)).toEqual(saved);
    expect(logged).toEqual([]);
    // The previous version is the backup, as before.
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe(HAND_WRITTEN);
  });

  it('keeps the spelling around a changed value: odd spacing, level names, ~ paths', async () => {
    const { store, config } = await open(HAND_WRITTEN);
    const next = editable(config);
    const t = mapping(next, 0, 1).trigger;
    if (t.type !== 'Note') throw new Error('fixture changed');
    t.note = 62;
    next.device = { ...next.device, name: 'Launchpad' };
    await store.save(next);
    expect(lineDiff(HAND_WRITTEN, readFileSync(path, 'utf8'))).toEqual({
      removed: ['name   =  "Maschine Mikro MK3"   # the controller on my desk', 'trigger = {Note={note=61}}     # odd spacing, still valid'],
      added: ['name   =  "Launchpad"   # the controller on my desk', 'trigger = {Note={note=62}}     # odd spacing, still valid'],
    });
    fileConfig(next);
  });

  it('adding a mapping adds its lines only', async () => {
    const { store, config } = await open(HAND_WRITTEN);
    const next = editable(config);
    next.modes[0]?.mappings.splice(1, 0, { description: 'Stop', trigger: { type: 'Note', note: 62, channel: 1 }, action: { type: 'Keystroke', keys: 'space' } });
    await store.save(next);
    const text = readFileSync(path, 'utf8');
    // In place: after the entry it follows, before the next one.
    const block = '[[modes.mappings]]\ndescription = "Stop"\ntrigger = { Note = { note = 62, channel = 1 } }\naction = { Keystroke = { keys = "space" } }\n';
    expect(text).toBe(HAND_WRITTEN.replace('volume = 0.5 } } }\n', `volume = 0.5 } } }\n\n${block}`));
    expect(fileConfig(next).modes[0]?.mappings.map((m) => m.description)).toEqual(['Play', 'Stop', 'Next track', 'Say hi']);
    expect(logged).toEqual([]);
  });

  it('removing a mapping removes its lines and the comment above it', async () => {
    const { store, config } = await open(HAND_WRITTEN);
    const next = editable(config);
    next.modes[0]?.mappings.splice(2, 1);
    await store.save(next);
    const text = readFileSync(path, 'utf8');
    const block = '\n# Typing, for the demo.\n[[modes.mappings]]\ndescription = "Say hi"\ntrigger = { VelocityRange = { note = 36, level = "soft" } }\naction = { Text = { text = "hi" } }\n';
    expect(text).toBe(HAND_WRITTEN.replace(block, ''));
    expect(comments(text)).toEqual(comments(HAND_WRITTEN).filter((c) => c !== '# Typing, for the demo.'));
    fileConfig(next);
    expect(logged).toEqual([]);
  });

  it('adding a mode (with a mapping) and a global mapping keeps every comment', async () => {
    const { store, config } = await open(HAND_WRITTEN);
    const next = editable(config);
    next.modes.splice(1, 0, { name: 'Live', color: '#FF0000', mappings: [{ description: 'Go live', trigger: { type: 'CC', cc: 7 }, action: { type: 'ModeChange', mode: 'Default' } }] });
    next.globalMappings.push({ description: 'Panic', trigger: { type: 'Note', note: 0 }, action: { type: 'ModeChange', mode: 0 } });
    await store.save(next);
    const text = readFileSync(path, 'utf8');
    const { removed, added } = lineDiff(HAND_WRITTEN, text);
    expect(removed).toEqual([]);
    expect(added.filter((l) => l !== '')).toEqual([
      '[[modes]]',
      'name = "Live"',
      'color = "#FF0000"',
      '[[modes.mappings]]',
      'description = "Go live"',
      'trigger = { CC = { cc = 7 } }',
      'action = { ModeChange = { mode = "Default" } }',
      '[[global_mappings]]',
      'description = "Panic"',
      'trigger = { Note = { note = 0 } }',
      'action = { ModeChange = { mode = 0 } }',
    ]);
    expect(comments(text)).toEqual(comments(HAND_WRITTEN));
    expect(text).toContain('action = { Text = { text = "hi" } }\n\n[[modes]]\nname = "Live"\n');
    expect(text.endsWith('# from anywhere\ntrigger = { CC = { cc = 1, value_min = 64 } }\naction = { ModeChange = { mode = "Default" } }\n\n[[global_mappings]]\ndescription = "Panic"\ntrigger = { Note = { note = 0 } }\naction = { ModeChange = { mode = 0 } }\n')).toBe(true);
    expect(fileConfig(next).modes.map((m) => m.name)).toEqual(['Default', 'Live', 'Performance']);
    expect(logged).toEqual([]);
  });

  it('several edits in a row stay surgical, and saving the same config again writes nothing', async () => {
    const { store, config } = await open(HAND_WRITTEN);
    let next = editable(config);
    next.timing = { ...next.timing, holdThresholdMs: 1500 };
    await store.save(next);
    next = editable(store.config);
    mapping(next, 0, 2).description = 'Say hello';
    next.modes[1] = { ...(next.modes[1] as AppConfig['modes'][number]), color: 'green' };
    await store.save(next);
    const text = readFileSync(path, 'utf8');
    expect(lineDiff(HAND_WRITTEN, text)).toEqual({
      removed: ['description = "Say hi"'],
      added: ['[advanced_settings]', 'hold_threshold_ms = 1500', '', 'description = "Say hello"', 'color = "green"'],
    });
    expect(text).toContain('name = "Performance"\ncolor = "green"\n# Nothing here yet.\n');
    rmSync(`${path}.bak`);
    await store.save(editable(store.config));
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(existsSync(`${path}.bak`)).toBe(false);
    fileConfig(next);
  });

  it('Settings edits (signature policy, per-plugin limits) change only their own lines', async () => {
    const { store, config } = await open(HAND_WRITTEN);
    let next = editable(config);
    next.wasm = { ...next.wasm, requireSignature: true, limits: { spotify: { memoryBytes: 64 * 1024 * 1024, callTimeoutMs: 500 } } };
    await store.save(next);
    let text = readFileSync(path, 'utf8');
    expect(text).toBe(
      HAND_WRITTEN.replace(
        'require_signature = false\nallow_self_signed = false\n',
        'require_signature = true\nallow_self_signed = false\n\n[wasm.limits.spotify]\nmax_memory_mb = 64\ntimeout_ms = 500\n',
      ),
    );
    next = editable(store.config);
    next.wasm = { ...next.wasm, limits: { spotify: { memoryBytes: 128 * 1024 * 1024 } } };
    await store.save(next);
    text = readFileSync(path, 'utf8');
    expect(text).toContain('[wasm.limits.spotify]\nmax_memory_mb = 128\n\n[[modes]]');
    next = editable(store.config);
    delete next.wasm.limits;
    next.wasm.requireSignature = false;
    await store.save(next);
    expect(readFileSync(path, 'utf8')).toBe(HAND_WRITTEN);
    expect(logged).toEqual([]);
  });

  it("keeps Conductor's tagged spelling when a value changes; new mappings are canonical", async () => {
    const tagged = readFileSync(fileURLToPath(new URL('./fixtures/tagged.toml', import.meta.url)), 'utf8');
    const { store, config } = await open(tagged);
    const next = editable(config);
    const chord = mapping(next, 0, 1);
    if (chord.trigger.type !== 'NoteChord' || chord.action.type !== 'Sequence') throw new Error('fixture changed');
    chord.trigger.notes = [60, 63, 67];
    chord.action.actions[1] = { type: 'Delay', ms: 250 };
    const repeat = mapping(next, 0, 2).action;
    if (repeat.type !== 'Repeat' || repeat.action.type !== 'Keystroke') throw new Error('fixture changed');
    repeat.count = 3;
    repeat.action.keys = 'b';
    next.modes[0]?.mappings.push({ description: 'New', trigger: { type: 'Note', note: 1 }, action: { type: 'Text', text: 'x' } });
    await store.save(next);
    const text = readFileSync(path, 'utf8');
    expect(lineDiff(tagged, text)).toEqual({
      removed: ['notes = [60, 64, 67]', 'actions = [{ type = "Text", text = "a" }, { Delay = { ms = 100 } }]', 'count = 2', 'keys = "a"'],
      added: [
        'notes = [60, 63, 67]',
        'actions = [{ type = "Text", text = "a" }, { Delay = { ms = 250 } }]',
        'count = 3',
        'keys = "b"',
        '',
        '[[modes.mappings]]',
        'description = "New"',
        'trigger = { Note = { note = 1 } }',
        'action = { Text = { text = "x" } }',
      ],
    });
    fileConfig(next);
    expect(logged).toEqual([]);
  });

  it('the shipped default config keeps all its comments through an edit', async () => {
    const { store, config } = await open(null);
    const shipped = readFileSync(path, 'utf8');
    const next = editable(config);
    next.device = { ...next.device, name: 'My pads' };
    mapping(next, 0, 0).description = 'Pad 1: performance mode';
    next.modes[1]?.mappings.pop();
    await store.save(next);
    const text = readFileSync(path, 'utf8');
    const { removed } = lineDiff(shipped, text);
    expect(comments(removed.join('\n'))).toEqual([]);
    expect(comments(text)).toEqual(comments(shipped));
    expect(text).toContain('\nname = "My pads"\n');
    fileConfig(next);
    expect(logged).toEqual([]);
  });

  it('follows dotted keys: a changed trigger type stays in the dotted spelling', async () => {
    const dotted = `# dotted keys
[[modes]]
name = "M"

[[modes.mappings]]
trigger.Note.note = 60   # a pad
action.Text.text = "a"   # typed
`;
    const { store, config } = await open(dotted);
    const next = editable(config);
    mapping(next, 0, 0).trigger = { type: 'CC', cc: 5 };
    const action = mapping(next, 0, 0).action;
    if (action.type !== 'Text') throw new Error('fixture changed');
    action.text = 'b';
    await store.save(next);
    // The new trigger takes the old one's place (its line and comment go: the type changed).
    expect(readFileSync(path, 'utf8')).toBe(dotted.replace('trigger.Note.note = 60   # a pad\naction.Text.text = "a"', 'trigger.CC = { cc = 5 }\naction.Text.text = "b"'));
    fileConfig(next);
    expect(logged).toEqual([]);
  });

  it('a file the patcher cannot read is saved in full, in the canonical shape, and the log says why', async () => {
    // @iarna/toml (the app's parser) reads 30 February as 2 March; the layout parser refuses it, so this file
    // cannot be edited in place.
    const odd = `# my notes
bought_on = 2024-02-30

[[modes]]
name = "M"   # only mode
`;
    const { store, config } = await open(odd);
    const next = structuredClone(config); // keeps the date a date (JSON would make it a string)
    next.modes[0] = { ...(next.modes[0] as AppConfig['modes'][number]), color: 'red' };
    const saved = await store.save(next);
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith(CONFIG_HEADER)).toBe(true);
    expect(text).not.toContain('# my notes');
    expect(text).toContain('bought_on = 2024-03-01');
    expect(text).toContain('[[modes]]\nname = "M"\ncolor = "red"\n');
    expect(parseConfigText(text).config).toEqual(saved);
    expect(saved.modes[0]?.color).toBe('red');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: comments and layout not kept \\(cannot read the file's layout: .+\\); wrote the whole file in the canonical shape$`));
  });

  it('a file the app wrote itself (canonical, no comments of the user) is written fresh', async () => {
    const { store, config } = await open(serializeConfig(parseConfigText(HAND_WRITTEN).config as AppConfig));
    const next = editable(config);
    mapping(next, 0, 0).description = 'Pause';
    await store.save(next);
    expect(readFileSync(path, 'utf8')).toBe(serializeConfig(next));
    expect(logged).toEqual([]);
  });
});
