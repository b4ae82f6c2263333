// The Launch app picker's search: which installed apps match what the user typed. Pure; never lists or starts apps.
import type { InstalledApp } from '../../src-shared/contract';

/** The apps whose name or command contains every word of `query` (any case, accents ignored), in list order. */
export function filterApps(apps: readonly InstalledApp[], query: string): InstalledApp[] {
  const fold = (t: string) => t.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...apps];
  return apps.filter((a) => {
    const text = fold(`${a.name} ${a.launch}`);
    return words.every((w) => text.includes(w));
  });
}
