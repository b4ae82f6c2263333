// The tray / menu-bar icon's menu and tooltip as plain data, built from the core's state (device, mode, pause, failing
// plugins), and the one place a tray command is carried out. Never imports Electron: src-main/electron/tray.ts only draws it.
import { dirname } from 'node:path';
import type { DeviceInfo, MidiBackendStatus } from '../../src-shared/midi';
import type { PluginState } from '../../src-shared/plugin';
import type { Core } from './core';

/** What the tray shows; everything comes from the running core (trayStateOf). */
export interface TrayState {
  /** Names of the hardware MIDI inputs connected now (the virtual controller is not counted). */
  connectedInputs: readonly string[];
  /** The MIDI system could be opened (false: only the on-screen controller works). */
  midiAvailable: boolean;
  /** The current mode; null when the config has none. */
  mode: string | null;
  modes: readonly string[];
  /** Mappings are paused (Core.paused). */
  paused: boolean;
  /** Names of the installed plugins that failed to load or run (state `failed`). */
  failingPlugins: readonly string[];
  /** Per-app profiles: whether modes follow the frontmost app; null when no mode lists apps (no menu item then). */
  following?: boolean | null;
}

/** What a menu item does when clicked. */
export type TrayCommand =
  | { kind: 'show-window' }
  | { kind: 'set-mode'; mode: string }
  | { kind: 'set-paused'; paused: boolean }
  | { kind: 'set-follow'; follow: boolean }
  | { kind: 'open-config-file' }
  | { kind: 'open-config-folder' }
  | { kind: 'quit' };

interface ItemBase {
  /** Stable within a menu (tests and Electron's item ids). */
  id: string;
}
export type TrayMenuItem =
  | (ItemBase & { type: 'normal'; label: string; enabled: boolean; command: TrayCommand | null })
  | (ItemBase & { type: 'radio'; label: string; enabled: boolean; checked: boolean; command: TrayCommand })
  | (ItemBase & { type: 'submenu'; label: string; enabled: boolean; items: TrayMenuItem[] })
  | (ItemBase & { type: 'separator' });

export interface TrayMenu {
  /** The icon's tooltip (at most TOOLTIP_MAX_CHARS: Windows cuts longer ones). */
  tooltip: string;
  /** One line: device, mode, pause, plugin trouble (the menu's first item, and the tooltip's second line). */
  status: string;
  items: TrayMenuItem[];
}

/** Windows shows at most 127 characters of a tray tooltip. */
export const TOOLTIP_MAX_CHARS = 127;
/** A mode name longer than this is shortened in the menu (the whole name stays in the command). */
const LABEL_MAX_CHARS = 60;

/**
 * Text as a menu label shows it literally: control characters (a TOML string may hold a newline) become spaces, `&`
 * is doubled (Electron reads a single `&` as a mnemonic marker on Windows and Linux), long text is shortened.
 */
export function menuLabel(text: string, max = LABEL_MAX_CHARS): string {
  const flat = plainText(text);
  return shorten(flat === '' ? '(unnamed)' : flat, max).replace(/&/g, '&&');
}

function plainText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** The status line: "Mode: Live · Maschine Mikro MK3 · paused · 1 plugin failed". */
export function trayStatus(state: TrayState): string {
  const device = !state.midiAvailable
    ? 'MIDI unavailable'
    : state.connectedInputs.length === 0
      ? 'no MIDI device connected'
      : state.connectedInputs.map(plainText).join(', ');
  const parts = [state.mode === null ? 'No mode' : `Mode: ${plainText(state.mode) || '(unnamed)'}`, device];
  if (state.paused) parts.push('mappings paused');
  if (state.failingPlugins.length > 0) parts.push(`${state.failingPlugins.length} plugin${state.failingPlugins.length === 1 ? '' : 's'} failed`);
  return parts.join(' · ');
}

/** The tray's menu, tooltip and status for a state. Pure: the same state always gives the same menu. */
export function buildTrayMenu(state: TrayState): TrayMenu {
  const status = trayStatus(state);
  const items: TrayMenuItem[] = [
    { id: 'status', type: 'normal', label: menuLabel(status, 120), enabled: false, command: null },
  ];
  if (state.failingPlugins.length > 0) {
    items.push({ id: 'failing-plugins', type: 'normal', label: menuLabel(`Failed: ${state.failingPlugins.join(', ')}`, 120), enabled: false, command: null });
  }
  items.push(
    { id: 'separator-status', type: 'separator' },
    { id: 'show-window', type: 'normal', label: 'Show Conductor', enabled: true, command: { kind: 'show-window' } },
    { id: 'mode-header', type: 'normal', label: state.mode === null ? 'No mode' : `Mode: ${menuLabel(state.mode)}`, enabled: false, command: null },
    {
      id: 'switch-mode',
      type: 'submenu',
      label: 'Switch mode',
      enabled: state.modes.length > 1,
      items: state.modes.map((mode, index) => ({
        id: `mode-${index}`,
        type: 'radio',
        label: menuLabel(mode),
        enabled: true,
        checked: mode === state.mode,
        command: { kind: 'set-mode', mode },
      })),
    },
    state.paused
      ? { id: 'pause', type: 'normal', label: 'Resume mappings', enabled: true, command: { kind: 'set-paused', paused: false } }
      : { id: 'pause', type: 'normal', label: 'Pause mappings', enabled: true, command: { kind: 'set-paused', paused: true } },
    ...(state.following === undefined || state.following === null
      ? []
      : [
          state.following
            ? ({ id: 'follow', type: 'normal', label: 'Stop following the frontmost app', enabled: true, command: { kind: 'set-follow', follow: false } } as const)
            : ({ id: 'follow', type: 'normal', label: 'Follow the frontmost app', enabled: true, command: { kind: 'set-follow', follow: true } } as const),
        ]),
    { id: 'separator-config', type: 'separator' },
    { id: 'open-config-file', type: 'normal', label: 'Open config file', enabled: true, command: { kind: 'open-config-file' } },
    { id: 'open-config-folder', type: 'normal', label: 'Open config folder', enabled: true, command: { kind: 'open-config-folder' } },
    { id: 'separator-quit', type: 'separator' },
    { id: 'quit', type: 'normal', label: 'Quit Conductor', enabled: true, command: { kind: 'quit' } },
  );
  return { tooltip: shorten(`Conductor\n${plainText(status)}`, TOOLTIP_MAX_CHARS), status, items };
}

/** The tray state of a running core (plugins are listed, hence async). */
export async function trayStateOf(core: Core): Promise<TrayState> {
  const plugins = await core.plugins.list().catch(() => []);
  const profiles = core.profiles.state;
  return {
    ...stateFrom(core.devices.status, core.devices.devices(), core.engine.currentMode, core.engine.modeNames, core.paused, plugins.map((p) => ({ name: p.snapshot.metadata?.name ?? p.id, state: p.snapshot.state }))),
    following: profiles.used ? profiles.follow : null,
  };
}

function stateFrom(midi: MidiBackendStatus, devices: readonly DeviceInfo[], mode: string | null, modes: readonly string[], paused: boolean, plugins: ReadonlyArray<{ name: string; state: PluginState }>): TrayState {
  return {
    connectedInputs: devices.filter((d) => d.kind === 'hardware' && d.direction === 'input' && d.state === 'connected').map((d) => d.name),
    midiAvailable: midi.available,
    mode,
    modes: [...modes],
    paused,
    failingPlugins: plugins.filter((p) => p.state === 'failed').map((p) => p.name),
  };
}

/**
 * Calls `onChange` with the core's tray state now and after every change that can alter it (devices, mode, config,
 * pause, plugins), at most once per `debounceMs`. Returns the function that stops watching.
 */
export function watchTrayState(core: Core, onChange: (state: TrayState) => void, debounceMs = 50): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const refresh = (): void => {
    void trayStateOf(core).then((state) => {
      if (!stopped) onChange(state);
    });
  };
  const later = (): void => {
    if (stopped || timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      refresh();
    }, debounceMs);
  };
  const stops = [
    core.devices.onDidChangeDevices(later),
    core.engine.onDidEngineEvent((event) => {
      if (event.kind === 'mode-change' || event.kind === 'config') later();
    }),
    core.onDidChangePaused(later),
    core.profiles.onDidChange(later),
    core.onDidChangePlugins(later),
    core.plugins.events.onDidLifecycle((event) => {
      if (event.phase !== 'execute') later();
    }),
  ];
  refresh();
  return () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    for (const stop of stops) stop();
  };
}

/** What the tray's commands act on: the desktop app passes its window, shell and app. */
export interface TrayTarget {
  showWindow(): void;
  /** Opens a file or folder with the desktop's default application. */
  openPath(path: string): void;
  quit(): void;
}

/** Carries out one tray command on the core and the target; returns an error to show, or null. */
export function runTrayCommand(command: TrayCommand, core: Core, target: TrayTarget): string | null {
  switch (command.kind) {
    case 'show-window':
      target.showWindow();
      return null;
    case 'set-mode': {
      const result = core.engine.setMode(command.mode);
      return result.ok ? null : result.error;
    }
    case 'set-paused':
      core.setPaused(command.paused);
      return null;
    case 'set-follow':
      core.profiles.setFollow(command.follow);
      return null;
    case 'open-config-file':
      target.openPath(core.config.path);
      return null;
    case 'open-config-folder':
      target.openPath(dirname(core.config.path));
      return null;
    case 'quit':
      target.quit();
      return null;
  }
}
