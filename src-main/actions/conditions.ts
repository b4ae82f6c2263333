// Evaluates a Conditional action's condition (Conductor's conditions) at the moment of the press: local time and
// weekday from an injectable clock, running and frontmost apps from an injectable source, the press's mode.
// Never guesses: a condition that needs a source this machine lacks fails with why, instead of being false.
import { minutesOfDay, type Condition } from '../../src-shared/config';

/** Local wall time: minutes after midnight and ISO weekday (1 = Monday … 7 = Sunday). */
export interface LocalTime {
  minutes: number;
  isoDay: number;
}

/** The machine's local time of `epochMs` (the default; tests inject their own). */
export function systemLocalTime(epochMs: number): LocalTime {
  const d = new Date(epochMs);
  const day = d.getDay();
  return { minutes: d.getHours() * 60 + d.getMinutes(), isoDay: day === 0 ? 7 : day };
}

/**
 * Which applications run and which is in front, asked by name as a config writes it (`app_name`); the app layer
 * answers from the platform's frontmost-app source. Rejects (with a reason worth showing) where it cannot tell.
 */
export interface AppQuery {
  isRunning(appName: string): Promise<boolean>;
  isFrontmost(appName: string): Promise<boolean>;
}

export interface ConditionSources {
  /** Epoch ms now. */
  now(): number;
  /** Local time of an instant (default systemLocalTime). */
  localTime?: (epochMs: number) => LocalTime;
  /** null: no source on this machine (AppRunning / AppFrontmost then fail with that reason). */
  apps: AppQuery | null;
  /** Why `apps` is null, for the error (e.g. "no frontmost-app source on Wayland"). */
  appsUnavailable?: string;
}

/** A condition that could not be evaluated (missing source, a source error): the Conditional action fails with it. */
export class ConditionError extends Error {
  override readonly name = 'ConditionError';
}

/** start ≤ now < end; a range whose start is after its end crosses midnight. */
export function inTimeRange(minutes: number, start: string, end: string): boolean {
  const from = minutesOfDay(start);
  const to = minutesOfDay(end);
  if (from === null || to === null) throw new ConditionError(`TimeRange: not a 24-hour "HH:MM" time: ${from === null ? start : end}`);
  return from <= to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
}

/**
 * Whether `condition` holds for a press in `mode`. And / Or stop at the first answer that decides (so an app query
 * after a false ModeIs under And is never made). Rejects with a ConditionError when a needed source is missing.
 */
export async function evaluateCondition(condition: Condition, mode: string, sources: ConditionSources): Promise<boolean> {
  switch (condition.type) {
    case 'Always':
      return true;
    case 'Never':
      return false;
    case 'TimeRange':
      return inTimeRange((sources.localTime ?? systemLocalTime)(sources.now()).minutes, condition.start, condition.end);
    case 'DayOfWeek':
      return condition.days.includes((sources.localTime ?? systemLocalTime)(sources.now()).isoDay);
    case 'ModeIs':
      return condition.mode === mode;
    case 'AppRunning':
    case 'AppFrontmost': {
      const apps = sources.apps;
      if (!apps) throw new ConditionError(`${condition.type}: ${sources.appsUnavailable ?? 'no way to list applications on this machine'}`);
      try {
        return await (condition.type === 'AppRunning' ? apps.isRunning(condition.appName) : apps.isFrontmost(condition.appName));
      } catch (err) {
        throw new ConditionError(`${condition.type}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    case 'And':
      for (const c of condition.conditions) if (!(await evaluateCondition(c, mode, sources))) return false;
      return true;
    case 'Or':
      for (const c of condition.conditions) if (await evaluateCondition(c, mode, sources)) return true;
      return false;
    case 'Not':
      return !(await evaluateCondition(condition.condition, mode, sources));
  }
}
