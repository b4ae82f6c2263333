// Pure edits of a mode's `apps` (per-app profiles) on the draft config, like store/draft.ts's: add one name (trimmed,
// no case-insensitive twin), remove one. Never touches other modes or fields; returns the same config when nothing changes.
import type { AppConfig, Mode } from '../../src-shared/config';

/** Why `name` cannot be added to mode `modeIndex`'s apps, or null when it can. */
export function appNameProblem(config: AppConfig, modeIndex: number, name: string): string | null {
  const wanted = name.trim();
  if (wanted === '') return 'Type an app name';
  if (wanted.replace(/\*/g, '').trim() === '') return `"${wanted}" would match every app: name one (wildcards like *Adobe* are fine)`;
  const apps = config.modes[modeIndex]?.apps ?? [];
  if (apps.some((a) => a.toLowerCase() === wanted.toLowerCase())) return `${wanted} is already in the list`;
  return null;
}

/** The config with `name` appended to the mode's apps (unchanged when appNameProblem objects). */
export function addModeApp(config: AppConfig, modeIndex: number, name: string): AppConfig {
  const mode = config.modes[modeIndex];
  if (!mode || appNameProblem(config, modeIndex, name) !== null) return config;
  const apps = [...(mode.apps ?? []), name.trim()];
  return { ...config, modes: config.modes.map((m, i) => (i === modeIndex ? { ...m, apps } : m)) };
}

/** The config without the mode's app at `appIndex` (the key is dropped when the list becomes empty). */
export function removeModeApp(config: AppConfig, modeIndex: number, appIndex: number): AppConfig {
  const mode = config.modes[modeIndex];
  if (!mode?.apps || appIndex < 0 || appIndex >= mode.apps.length) return config;
  const apps = mode.apps.filter((_, i) => i !== appIndex);
  return {
    ...config,
    modes: config.modes.map((m, i) => {
      if (i !== modeIndex) return m;
      const next: Mode = { ...m, apps };
      if (apps.length === 0) delete next.apps;
      return next;
    }),
  };
}

/** Which mode (by index, file order) lists `appName` first, other than `modeIndex` — the one that would win. */
export function otherModeListing(config: AppConfig, modeIndex: number, appName: string): number | null {
  const wanted = appName.trim().toLowerCase();
  const i = config.modes.findIndex((m, index) => index !== modeIndex && (m.apps ?? []).some((a) => a.toLowerCase() === wanted));
  return i >= 0 ? i : null;
}
