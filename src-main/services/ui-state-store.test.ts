import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidRequestError, parseCall } from '../../src-shared/contract';
import { initialUiState } from '../../src-shared/ui-state';
import { UiStateStore, uiStatePath } from './ui-state-store';

let dir: string;
let logged: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-ui-state-'));
  logged = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const store = (firstRun: boolean, path = join(dir, 'ui_state.json')) => new UiStateStore(path, { firstRun: () => firstRun, log: (m) => logged.push(m) });
const onDisk = () => JSON.parse(readFileSync(join(dir, 'ui_state.json'), 'utf8')) as unknown;

describe('UiStateStore', () => {
  it('lives beside config.toml', () => {
    expect(uiStatePath(join(dir, 'config.toml'))).toBe(join(dir, 'ui_state.json'));
  });

  it('a first run starts the guide and writes it at once (a restart before it is done still shows it)', async () => {
    expect(await store(true).get()).toEqual(initialUiState(true));
    expect(onDisk()).toEqual(initialUiState(true));
    // The next start: config.toml exists now (not a first run), but the file says the guide is active.
    expect((await store(false).get()).guide.status).toBe('active');
  });

  it('an existing config dir without the file never offers the guide', async () => {
    expect((await store(false).get()).guide.status).toBe('off');
    expect(existsSync(join(dir, 'ui_state.json'))).toBe(true);
  });

  it('set() changes only the given parts, writes them and keeps them across a restart', async () => {
    const s = store(true);
    const guide = { status: 'done' as const, presses: [{ key: 'note:40', mappings: '' }], consoleSeen: true, mapped: true };
    expect(await s.set({ guide })).toEqual({ guide, midiNoticeDismissed: null });
    const both = await s.set({ midiNoticeDismissed: 'MIDI unavailable: no ALSA sequencer' });
    expect(both).toEqual({ guide, midiNoticeDismissed: 'MIDI unavailable: no ALSA sequencer' });
    expect(onDisk()).toEqual(both);
    expect(await store(false).get()).toEqual(both);
    expect((await s.set({ midiNoticeDismissed: null })).midiNoticeDismissed).toBeNull();
  });

  it('writes one after another: concurrent sets all land, the last wins', async () => {
    const s = store(true);
    await Promise.all([s.set({ midiNoticeDismissed: 'a' }), s.set({ midiNoticeDismissed: 'b' }), s.set({ midiNoticeDismissed: 'c' })]);
    expect((onDisk() as { midiNoticeDismissed: string }).midiNoticeDismissed).toBe('c');
  });

  it('a broken or foreign file is reported, read as defaults (no guide) and replaced by the next set', async () => {
    writeFileSync(join(dir, 'ui_state.json'), '{ not json');
    const s = store(true);
    expect(await s.get()).toEqual(initialUiState(false));
    expect(logged.join('\n')).toMatch(/not valid JSON/);
    expect(readFileSync(join(dir, 'ui_state.json'), 'utf8')).toBe('{ not json'); // kept until the user changes something
    await s.set({ midiNoticeDismissed: 'x' });
    expect(onDisk()).toEqual({ ...initialUiState(false), midiNoticeDismissed: 'x' });

    writeFileSync(join(dir, 'ui_state.json'), JSON.stringify({ guide: { status: 'maybe' }, midiNoticeDismissed: 3 }));
    expect(await store(true).get()).toEqual(initialUiState(false));
    expect(logged.join('\n')).toMatch(/not a valid UI state/);
  });

  it('refuses a patch of the wrong shape (and the contract refuses it before any handler)', async () => {
    const s = store(true);
    await expect(s.set({ guide: { status: 'bogus' } } as never)).rejects.toThrow();
    expect(() => parseCall('app.setUiState', [{ guide: { status: 'bogus', presses: [], consoleSeen: false, mapped: false } }])).toThrow(InvalidRequestError);
    expect(() => parseCall('app.setUiState', [{ other: 1 }])).toThrow(InvalidRequestError);
    expect(parseCall('app.setUiState', [{ midiNoticeDismissed: null }]).args).toEqual([{ midiNoticeDismissed: null }]);
  });
});
