// Conductor's conditions on an injected clock, local time and app source: every type, time ranges across midnight,
// And / Or stopping at the deciding answer, and a missing or failing source failing with why (never guessed false).
import { describe, expect, it } from 'vitest';
import type { Condition } from '../../src-shared/config';
import { ConditionError, evaluateCondition, inTimeRange, type AppQuery, type ConditionSources, type LocalTime } from './conditions';

/** An app source over fixed sets; records each question asked. */
function apps(running: string[], frontmost: string | null): AppQuery & { asked: string[] } {
  const asked: string[] = [];
  const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  return {
    asked,
    isRunning: async (name) => (asked.push(`running ${name}`), running.some((r) => same(r, name))),
    isFrontmost: async (name) => (asked.push(`front ${name}`), frontmost !== null && same(frontmost, name)),
  };
}

function at(minutes: number, isoDay = 3, query: AppQuery | null = null): ConditionSources {
  const local: LocalTime = { minutes, isoDay };
  return { now: () => 0, localTime: () => local, apps: query };
}

const hm = (h: number, m = 0): number => h * 60 + m;
const check = (c: Condition, sources: ConditionSources, mode = 'Default'): Promise<boolean> => evaluateCondition(c, mode, sources);

describe('conditions', () => {
  it('Always and Never', async () => {
    expect(await check({ type: 'Always' }, at(0))).toBe(true);
    expect(await check({ type: 'Never' }, at(0))).toBe(false);
  });

  it('TimeRange: start inclusive, end exclusive, and across midnight when start is after end', async () => {
    const work: Condition = { type: 'TimeRange', start: '09:00', end: '17:30' };
    expect(await check(work, at(hm(8, 59)))).toBe(false);
    expect(await check(work, at(hm(9)))).toBe(true);
    expect(await check(work, at(hm(17, 29)))).toBe(true);
    expect(await check(work, at(hm(17, 30)))).toBe(false);
    const night: Condition = { type: 'TimeRange', start: '22:00', end: '06:00' };
    expect(await check(night, at(hm(23, 59)))).toBe(true);
    expect(await check(night, at(hm(0)))).toBe(true);
    expect(await check(night, at(hm(5, 59)))).toBe(true);
    expect(await check(night, at(hm(6)))).toBe(false);
    expect(await check(night, at(hm(21, 59)))).toBe(false);
    expect(() => inTimeRange(0, '25:00', '01:00')).toThrow(ConditionError);
  });

  it('DayOfWeek: ISO days, 1 = Monday … 7 = Sunday', async () => {
    const weekend: Condition = { type: 'DayOfWeek', days: [6, 7] };
    expect(await check(weekend, at(0, 5))).toBe(false);
    expect(await check(weekend, at(0, 6))).toBe(true);
    expect(await check(weekend, at(0, 7))).toBe(true);
  });

  it('reads local time from the injected clock through the default local-time function', async () => {
    // 2026-12-06 is a Sunday; noon local time.
    const noon = new Date(2026, 11, 6, 12, 0).getTime();
    const sources: ConditionSources = { now: () => noon, apps: null };
    expect(await check({ type: 'DayOfWeek', days: [7] }, sources)).toBe(true);
    expect(await check({ type: 'TimeRange', start: '11:59', end: '12:01' }, sources)).toBe(true);
  });

  it('ModeIs compares with the mode of the press', async () => {
    expect(await check({ type: 'ModeIs', mode: 'Edit' }, at(0), 'Edit')).toBe(true);
    expect(await check({ type: 'ModeIs', mode: 'Edit' }, at(0), 'Default')).toBe(false);
  });

  it('AppRunning and AppFrontmost ask the app source by the configured name', async () => {
    const query = apps(['firefox', 'Code'], 'Code');
    expect(await check({ type: 'AppRunning', appName: 'Firefox' }, at(0, 3, query))).toBe(true);
    expect(await check({ type: 'AppRunning', appName: 'gimp' }, at(0, 3, query))).toBe(false);
    expect(await check({ type: 'AppFrontmost', appName: 'code' }, at(0, 3, query))).toBe(true);
    expect(await check({ type: 'AppFrontmost', appName: 'firefox' }, at(0, 3, query))).toBe(false);
    expect(query.asked).toEqual(['running Firefox', 'running gimp', 'front code', 'front firefox']);
  });

  it('And / Or / Not nest, and stop at the deciding answer (no app question after a false ModeIs under And)', async () => {
    const query = apps(['firefox'], 'firefox');
    const c: Condition = { type: 'And', conditions: [{ type: 'ModeIs', mode: 'Browse' }, { type: 'AppFrontmost', appName: 'firefox' }] };
    expect(await check(c, at(0, 3, query), 'Default')).toBe(false);
    expect(query.asked).toEqual([]);
    expect(await check(c, at(0, 3, query), 'Browse')).toBe(true);
    const either: Condition = { type: 'Or', conditions: [{ type: 'Always' }, { type: 'AppRunning', appName: 'x' }] };
    expect(await check(either, at(0, 3, query))).toBe(true);
    expect(query.asked).toEqual(['front firefox']);
    const notWeekend: Condition = { type: 'Not', condition: { type: 'Or', conditions: [{ type: 'DayOfWeek', days: [6] }, { type: 'DayOfWeek', days: [7] }] } };
    expect(await check(notWeekend, at(0, 1))).toBe(true);
    expect(await check(notWeekend, at(0, 7))).toBe(false);
  });

  it('fails with why when there is no app source, or the source fails: never a silent false', async () => {
    await expect(check({ type: 'AppRunning', appName: 'x' }, { ...at(0), appsUnavailable: 'no frontmost-app source on Wayland' })).rejects.toThrow(
      'AppRunning: no frontmost-app source on Wayland',
    );
    await expect(check({ type: 'AppFrontmost', appName: 'x' }, at(0))).rejects.toThrow('AppFrontmost: no way to list applications on this machine');
    const broken: AppQuery = { isRunning: () => Promise.reject(new Error('xprop: cannot open display')), isFrontmost: () => Promise.reject(new Error('xprop: cannot open display')) };
    await expect(check({ type: 'Not', condition: { type: 'AppFrontmost', appName: 'x' } }, at(0, 3, broken))).rejects.toThrow('AppFrontmost: xprop: cannot open display');
  });
});
