// The pure `apps` edits of a mode on the draft: add (trimmed, no twins, no match-everything), remove, which other mode lists a name.
import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../src-shared/config';
import { sampleConfig } from '../test-support/fake-api';
import { addModeApp, appNameProblem, otherModeListing, removeModeApp } from './mode-apps';

/** Modes Default (no apps) and Editing (apps = ["code"]). */
function config(): AppConfig {
  const c = sampleConfig();
  return { ...c, modes: [{ name: 'Default', color: null, mappings: [] }, { name: 'Editing', color: null, mappings: [], apps: ['code'] }] };
}

describe('mode apps on the draft', () => {
  it('adds a trimmed name; refuses empty, match-everything and case-insensitive twins', () => {
    const c = config();
    const added = addModeApp(c, 0, '  firefox ');
    expect(added.modes[0]?.apps).toEqual(['firefox']);
    expect(added.modes[1]).toBe(c.modes[1]);
    expect(addModeApp(added, 0, 'Firefox')).toBe(added);
    expect(appNameProblem(added, 0, 'FIREFOX')).toBe('FIREFOX is already in the list');
    expect(appNameProblem(c, 0, '   ')).toBe('Type an app name');
    expect(appNameProblem(c, 0, '**')).toMatch(/every app/);
    expect(addModeApp(c, 0, '*')).toBe(c);
    expect(addModeApp(c, 9, 'x')).toBe(c);
  });

  it('removes by index and drops the key with the last one', () => {
    const c = addModeApp(config(), 1, '*Adobe*');
    expect(removeModeApp(c, 1, 0).modes[1]?.apps).toEqual(['*Adobe*']);
    const none = removeModeApp(removeModeApp(c, 1, 0), 1, 0);
    expect(none.modes[1]).toEqual({ name: 'Editing', color: null, mappings: [] });
    expect(removeModeApp(c, 1, 5)).toBe(c);
  });

  it('names the other mode that lists an app', () => {
    expect(otherModeListing(config(), 0, 'CODE')).toBe(1);
    expect(otherModeListing(config(), 1, 'code')).toBeNull();
  });
});
