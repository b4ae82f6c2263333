// The condition schemas of config.toml (a Conditional action's `condition`, Conductor's conditions): each type's
// fields, "HH:MM" times, ISO weekdays, nesting under And / Or / Not to a bounded depth. Pure — never evaluates one.
import { CONDITION_FIELDS, CONDITION_TYPES, minutesOfDay, type Condition } from '../../src-shared/config';
import type { ModeRefs } from './schema-actions';
import { describeValue, didYouMean, quoteList, untag, type Fields, type Reader } from './schema-fields';
import type { ConfigPath } from './source-map';

/** A Conditional's own condition is depth 1; each And / Or / Not goes one deeper. */
export const MAX_CONDITION_DEPTH = 8;
export const MAX_CONDITIONS = 64;

function readTime(r: Reader, f: Fields, key: string): string | undefined {
  const v = f.str(key, true);
  if (v === undefined) return undefined;
  if (minutesOfDay(v) === null) {
    r.fail(f.at(key), `expected a 24-hour time "HH:MM" (e.g. "09:30"), got ${describeValue(v)}`);
    return undefined;
  }
  return v;
}

function readDays(r: Reader, f: Fields): number[] | undefined {
  const v = f.raw('days');
  const at = f.at('days');
  if (v === undefined) return void r.fail(at, 'missing required field (weekdays, 1 = Monday … 7 = Sunday, e.g. days = [1, 2, 3, 4, 5])');
  if (!Array.isArray(v) || v.length === 0) return void r.fail(at, `expected a non-empty array of weekdays 1–7 (1 = Monday), got ${describeValue(v)}`);
  const days: number[] = [];
  let ok = true;
  v.forEach((item: unknown, i) => {
    if (typeof item !== 'number' || !Number.isInteger(item) || item < 1 || item > 7) {
      r.fail([...at, i], `expected a weekday 1–7 (1 = Monday … 7 = Sunday), got ${describeValue(item)}`);
      ok = false;
    } else if (days.includes(item)) {
      r.fail([...at, i], `day ${item} is listed twice`);
      ok = false;
    } else {
      days.push(item);
    }
  });
  return ok ? days : undefined;
}

function readList(r: Reader, f: Fields, depth: number, modes: ModeRefs | null): Condition[] | undefined {
  const v = f.raw('conditions');
  const at = f.at('conditions');
  if (v === undefined) return void r.fail(at, 'missing required field (an array of conditions)');
  if (!Array.isArray(v) || v.length === 0) return void r.fail(at, `expected a non-empty array of conditions, got ${describeValue(v)}`);
  if (v.length > MAX_CONDITIONS) return void r.fail(at, `expected at most ${MAX_CONDITIONS} conditions, got ${v.length}`);
  const list = v.map((item: unknown, i) => readCondition(r, item, [...at, i], depth + 1, modes));
  return list.every((c): c is Condition => c !== null) ? list : undefined;
}

/**
 * One condition at `path`: `{ type = "TimeRange", start = "09:00", end = "17:00" }` (Conductor's form),
 * `{ TimeRange = { … } }`, or for the ones without fields a bare `"Always"` / `"Never"`; null when it has any issue.
 */
export function readCondition(r: Reader, value: unknown, path: ConfigPath, depth = 1, modes: ModeRefs | null = null): Condition | null {
  return r.clean(() => {
    if (depth > MAX_CONDITION_DEPTH) {
      r.fail(path, `nested too deep: conditions inside And, Or and Not may nest at most ${MAX_CONDITION_DEPTH} levels`);
      return null;
    }
    if (value === 'Always' || value === 'Never') return { type: value };
    const tag = untag(r, value, path, 'condition', CONDITION_TYPES);
    if (!tag) return null;
    const { fields: f, type } = tag;
    let condition: Condition | null = null;
    switch (type) {
      case 'Always':
      case 'Never':
        condition = { type };
        break;
      case 'TimeRange': {
        const start = readTime(r, f, 'start');
        const end = readTime(r, f, 'end');
        if (start !== undefined && end !== undefined && start === end) r.fail(f.at('end'), `start and end are both ${start}: the range would be empty (or give the whole day as Always)`);
        else if (start !== undefined && end !== undefined) condition = { type, start, end };
        break;
      }
      case 'DayOfWeek': {
        const days = readDays(r, f);
        if (days) condition = { type, days };
        break;
      }
      case 'AppRunning':
      case 'AppFrontmost': {
        const appName = f.str('app_name', true);
        if (appName !== undefined) condition = { type, appName };
        break;
      }
      case 'ModeIs': {
        const mode = f.str('mode', true);
        const known = modes?.names.filter((n): n is string => n !== null) ?? null;
        if (mode !== undefined && known !== null && !known.includes(mode)) {
          r.fail(f.at('mode'), `no mode named "${mode}" (modes: ${known.length > 0 ? quoteList(known) : 'none'})${didYouMean(mode, known)}`);
        } else if (mode !== undefined) {
          condition = { type, mode };
        }
        break;
      }
      case 'And':
      case 'Or': {
        const conditions = readList(r, f, depth, modes);
        if (conditions) condition = { type, conditions };
        break;
      }
      case 'Not': {
        const inner = f.raw('condition');
        const negated = inner === undefined ? (r.fail(f.at('condition'), 'missing required field (the condition to negate)'), null) : readCondition(r, inner, f.at('condition'), depth + 1, modes);
        if (negated) condition = { type, condition: negated };
        break;
      }
    }
    f.rejectRest(`a ${type} condition`, CONDITION_FIELDS[type]);
    return condition;
  });
}
