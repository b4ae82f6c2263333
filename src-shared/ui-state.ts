// What the UI keeps between runs beside config.toml (main stores it as ui_state.json): the first-run guide's progress,
// the MIDI notice the user closed, the background settings. Pure types, schema and defaults — never imports Node, Electron or DOM APIs.
import { z } from 'zod';

/**
 * The first-run guide: `active` = shown; `done` = all three steps ticked; `skipped` = "Skip the guide"; `off` = never
 * offered (an existing user's config dir: config.toml was already there when this state was first read).
 */
export type GuideStatus = 'active' | 'done' | 'skipped' | 'off';

/** A control pressed while the guide was active: "note:36" / "cc:1", and a fingerprint of the mappings on it then. */
export interface GuidePress {
  key: string;
  /** Fingerprint of the running config's mappings on this control at its first press (step 3 waits for a change). */
  mappings: string;
}

export interface FirstRunGuideState {
  status: GuideStatus;
  /** Step 1 ("Press a pad"): the controls pressed while the guide was active, newest last (at most GUIDE_MAX_PRESSES). */
  presses: GuidePress[];
  /** Step 2 ("Watch it in the console"): the Console was opened after a press. */
  consoleSeen: boolean;
  /** Step 3 ("Map it"): the running config's mappings on a pressed control changed (a mapping was saved on it). */
  mapped: boolean;
}

/** How the desktop app runs in the background (Settings → Background; docs/background.md). */
export interface BackgroundSettings {
  /** Closing the window hides it and the mappings keep running (quit from the tray); false: closing quits. */
  keepRunningOnClose: boolean;
  /** Start Conductor (its window hidden) when the user logs in. */
  startAtLogin: boolean;
}

/** On for keep-running (Conductor is a background tool: mappings work with the window closed), off for start at login. */
export const DEFAULT_BACKGROUND: BackgroundSettings = { keepRunningOnClose: true, startAtLogin: false };

export interface UiState {
  guide: FirstRunGuideState;
  /** The reason of the MIDI notice the user closed (another reason shows it again); null = never closed. */
  midiNoticeDismissed: string | null;
  /** Absent until the user changes one (then DEFAULT_BACKGROUND applies): read it with backgroundSettings(). */
  background?: BackgroundSettings;
}

export const GUIDE_MAX_PRESSES = 8;
const MAX_TEXT = 2048;

export const guideStateSchema = z
  .object({
    status: z.enum(['active', 'done', 'skipped', 'off']),
    presses: z
      .array(z.object({ key: z.string().min(1).max(64), mappings: z.string().max(64) }).strict())
      .max(GUIDE_MAX_PRESSES),
    consoleSeen: z.boolean(),
    mapped: z.boolean(),
  })
  .strict();

const backgroundSchema = z.object({ keepRunningOnClose: z.boolean(), startAtLogin: z.boolean() }).strict();

export const uiStateSchema = z.object({ guide: guideStateSchema, midiNoticeDismissed: z.string().max(MAX_TEXT).nullable(), background: backgroundSchema.optional() }).strict();

/** What `app.setUiState` takes: only the parts to change (of `background`, only the settings to change). */
export const uiStatePatchSchema = z
  .object({ guide: guideStateSchema.optional(), midiNoticeDismissed: z.string().max(MAX_TEXT).nullable().optional(), background: backgroundSchema.partial().optional() })
  .strict();
export type UiStatePatch = z.input<typeof uiStatePatchSchema>;

/** The state of a config dir that has none yet: the guide is offered only on a first run. */
export function initialUiState(firstRun: boolean): UiState {
  return { guide: { status: firstRun ? 'active' : 'off', presses: [], consoleSeen: false, mapped: false }, midiNoticeDismissed: null };
}

/** The background settings of a state (the defaults where it has none). */
export function backgroundSettings(state: UiState | null): BackgroundSettings {
  return { ...DEFAULT_BACKGROUND, ...state?.background };
}

/** `current` with the parts `patch` names replaced (main saves this; the renderer shows it before main answers). */
export function applyUiStatePatch(current: UiState, patch: UiStatePatch): UiState {
  const next: UiState = {
    guide: patch.guide ?? current.guide,
    midiNoticeDismissed: patch.midiNoticeDismissed === undefined ? current.midiNoticeDismissed : patch.midiNoticeDismissed,
  };
  if (patch.background !== undefined) next.background = { ...backgroundSettings(current), ...definedOnly(patch.background) };
  else if (current.background !== undefined) next.background = current.background;
  return next;
}

function definedOnly(patch: Partial<BackgroundSettings>): Partial<BackgroundSettings> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
}
