import { describe, expect, it } from 'vitest';
import { buildTrayMenu, menuLabel, TOOLTIP_MAX_CHARS, trayStatus, type TrayMenuItem, type TrayState } from './tray-menu';

const base: TrayState = { connectedInputs: ['Maschine Mikro MK3'], midiAvailable: true, mode: 'Default', modes: ['Default', 'Live'], paused: false, failingPlugins: [] };

function item(items: TrayMenuItem[], id: string): TrayMenuItem {
  const found = items.find((i) => i.id === id);
  if (!found) throw new Error(`no item ${id}`);
  return found;
}

function modeItems(items: TrayMenuItem[]): Extract<TrayMenuItem, { type: 'radio' }>[] {
  const sub = item(items, 'switch-mode');
  if (sub.type !== 'submenu') throw new Error('switch-mode is not a submenu');
  return sub.items.filter((i): i is Extract<TrayMenuItem, { type: 'radio' }> => i.type === 'radio');
}

describe('buildTrayMenu', () => {
  it('lists show, the mode as a header, switch mode, pause, open config, quit — in that order', () => {
    const menu = buildTrayMenu(base);
    expect(menu.items.map((i) => i.id)).toEqual([
      'status',
      'separator-status',
      'show-window',
      'mode-header',
      'switch-mode',
      'pause',
      'separator-config',
      'open-config-file',
      'open-config-folder',
      'separator-quit',
      'quit',
    ]);
    expect(item(menu.items, 'mode-header')).toMatchObject({ label: 'Mode: Default', enabled: false, command: null });
    expect(item(menu.items, 'show-window')).toMatchObject({ enabled: true, command: { kind: 'show-window' } });
    expect(item(menu.items, 'open-config-file')).toMatchObject({ command: { kind: 'open-config-file' } });
    expect(item(menu.items, 'open-config-folder')).toMatchObject({ command: { kind: 'open-config-folder' } });
    expect(item(menu.items, 'quit')).toMatchObject({ label: 'Quit Conductor', command: { kind: 'quit' } });
    expect(menu.status).toBe('Mode: Default · Maschine Mikro MK3');
    expect(menu.tooltip).toBe('Conductor\nMode: Default · Maschine Mikro MK3');
  });

  it('has one radio item per mode, the current one checked, each switching to its mode by name', () => {
    const menu = buildTrayMenu({ ...base, mode: 'Live', modes: ['Default', 'Live', 'Edit'] });
    expect(modeItems(menu.items).map((i) => [i.label, i.checked, i.command])).toEqual([
      ['Default', false, { kind: 'set-mode', mode: 'Default' }],
      ['Live', true, { kind: 'set-mode', mode: 'Live' }],
      ['Edit', false, { kind: 'set-mode', mode: 'Edit' }],
    ]);
    expect(item(menu.items, 'switch-mode')).toMatchObject({ enabled: true });
  });

  it('disables Switch mode with one mode or none, and says there is no mode', () => {
    expect(item(buildTrayMenu({ ...base, modes: ['Default'] }).items, 'switch-mode')).toMatchObject({ enabled: false });
    const none = buildTrayMenu({ ...base, mode: null, modes: [] });
    expect(item(none.items, 'switch-mode')).toMatchObject({ enabled: false, items: [] });
    expect(item(none.items, 'mode-header')).toMatchObject({ label: 'No mode' });
    expect(none.status).toMatch(/^No mode · /);
  });

  it('offers Pause while running and Resume while paused, and says so in the status', () => {
    expect(item(buildTrayMenu(base).items, 'pause')).toMatchObject({ label: 'Pause mappings', command: { kind: 'set-paused', paused: true } });
    const paused = buildTrayMenu({ ...base, paused: true });
    expect(item(paused.items, 'pause')).toMatchObject({ label: 'Resume mappings', command: { kind: 'set-paused', paused: false } });
    expect(paused.status).toBe('Mode: Default · Maschine Mikro MK3 · mappings paused');
    expect(paused.tooltip).toContain('mappings paused');
  });

  it('offers to stop or start following the frontmost app only when some mode lists apps', () => {
    expect(buildTrayMenu(base).items.some((i) => i.id === 'follow')).toBe(false);
    expect(buildTrayMenu({ ...base, following: null }).items.some((i) => i.id === 'follow')).toBe(false);
    expect(item(buildTrayMenu({ ...base, following: true }).items, 'follow')).toMatchObject({ label: 'Stop following the frontmost app', command: { kind: 'set-follow', follow: false } });
    expect(item(buildTrayMenu({ ...base, following: false }).items, 'follow')).toMatchObject({ label: 'Follow the frontmost app', command: { kind: 'set-follow', follow: true } });
  });

  it('says when no device is connected, or MIDI is unavailable', () => {
    expect(trayStatus({ ...base, connectedInputs: [] })).toBe('Mode: Default · no MIDI device connected');
    expect(trayStatus({ ...base, connectedInputs: [], midiAvailable: false })).toBe('Mode: Default · MIDI unavailable');
    expect(trayStatus({ ...base, connectedInputs: ['A', 'B'] })).toBe('Mode: Default · A, B');
  });

  it('names failing plugins in a disabled line and counts them in the status', () => {
    const menu = buildTrayMenu({ ...base, failingPlugins: ['spotify', 'obs'] });
    expect(menu.status).toBe('Mode: Default · Maschine Mikro MK3 · 2 plugins failed');
    expect(item(menu.items, 'failing-plugins')).toMatchObject({ label: 'Failed: spotify, obs', enabled: false, command: null });
    expect(buildTrayMenu({ ...base, failingPlugins: ['x'] }).status).toMatch(/1 plugin failed$/);
    expect(buildTrayMenu(base).items.some((i) => i.id === 'failing-plugins')).toBe(false);
  });

  it('shows a mode name with odd characters literally and still switches to its exact name', () => {
    const odd = 'Rock & Roll\n"live"\t<b>ü 🎹';
    const menu = buildTrayMenu({ ...base, mode: odd, modes: ['Default', odd, ''] });
    const [, rock, blank] = modeItems(menu.items);
    expect(rock).toMatchObject({ label: 'Rock && Roll "live" <b>ü 🎹', checked: true, command: { kind: 'set-mode', mode: odd } });
    expect(blank).toMatchObject({ label: '(unnamed)', checked: false, command: { kind: 'set-mode', mode: '' } });
    expect(item(menu.items, 'mode-header')).toMatchObject({ label: 'Mode: Rock && Roll "live" <b>ü 🎹' });
    expect(menu.status).toBe('Mode: Rock & Roll "live" <b>ü 🎹 · Maschine Mikro MK3');
    expect(menu.tooltip).not.toMatch(/[\t]/);
  });

  it('shortens long names in labels and keeps the tooltip within what Windows shows', () => {
    const long = 'M'.repeat(300);
    const menu = buildTrayMenu({ ...base, mode: long, modes: [long], connectedInputs: ['D'.repeat(200)] });
    expect([...(modeItems(menu.items)[0]?.label ?? '')]).toHaveLength(60);
    expect(modeItems(menu.items)[0]?.command).toEqual({ kind: 'set-mode', mode: long });
    expect([...menu.tooltip].length).toBeLessThanOrEqual(TOOLTIP_MAX_CHARS);
    expect(menu.tooltip.endsWith('…')).toBe(true);
  });

  it('gives every item a unique id', () => {
    const menu = buildTrayMenu({ ...base, modes: ['a', 'a', 'b'], failingPlugins: ['p'] });
    const ids = menu.items.flatMap((i) => [i.id, ...(i.type === 'submenu' ? i.items.map((s) => s.id) : [])]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('menuLabel', () => {
  it('doubles ampersands, flattens control characters and names a blank label', () => {
    expect(menuLabel('A&B')).toBe('A&&B');
    expect(menuLabel('a\r\nb')).toBe('a b');
    expect(menuLabel('  \n ')).toBe('(unnamed)');
    expect(menuLabel('abcdef', 4)).toBe('abc…');
  });
});
