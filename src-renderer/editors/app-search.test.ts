// The app picker's search: every word must match the name or the command, any case, accents ignored.
import { describe, expect, it } from 'vitest';
import { filterApps } from './app-search';

const apps = [
  { name: 'Firefox Web Browser', launch: 'firefox', args: [], icon: null },
  { name: 'Éditeur de texte', launch: 'gedit', args: [], icon: null },
  { name: 'OBS Studio', launch: 'obs', args: ['--minimize-to-tray'], icon: null },
];

describe('filterApps', () => {
  it('keeps everything for an empty query', () => {
    expect(filterApps(apps, '  ')).toEqual(apps);
  });
  it('matches every word against the name and the command', () => {
    expect(filterApps(apps, 'web fire').map((a) => a.launch)).toEqual(['firefox']);
    expect(filterApps(apps, 'GEDIT').map((a) => a.launch)).toEqual(['gedit']);
    expect(filterApps(apps, 'editeur').map((a) => a.launch)).toEqual(['gedit']);
    expect(filterApps(apps, 'studio chrome')).toEqual([]);
  });
});
