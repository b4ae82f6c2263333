// The installed-apps slice: loads system.apps once (no argument: an `undefined` would reach main as null and be
// refused), again only on refresh, and keeps a failure as text for the picker.
import { describe, expect, it } from 'vitest';
import type { InstalledApps } from '../../../src-shared/contract';
import { FakeApi } from '../../test-support/fake-api';
import { createAppStore } from '../index';

const LIST: InstalledApps = { supported: true, apps: [{ name: 'Firefox', launch: 'firefox', args: [], icon: 'firefox' }] };

describe('apps slice', () => {
  it('loads once, sends no argument unless refreshing, and refreshes on request', async () => {
    const fake = new FakeApi({ 'system.apps': () => LIST });
    const store = createAppStore(fake.api);
    await store.getState().loadInstalledApps();
    await store.getState().loadInstalledApps();
    expect(fake.callsOf('system.apps')).toEqual([[]]);
    expect(store.getState().installedApps).toEqual(LIST);
    await store.getState().loadInstalledApps(true);
    expect(fake.callsOf('system.apps')).toEqual([[], [{ refresh: true }]]);
    expect(store.getState().installedAppsLoading).toBe(false);
  });

  it('keeps the error for the picker to show', async () => {
    const fake = new FakeApi({
      'system.apps': () => {
        throw new Error('boom');
      },
    });
    const store = createAppStore(fake.api);
    await store.getState().loadInstalledApps();
    expect(store.getState().installedAppsError).toContain('boom');
    expect(store.getState().installedApps).toBeNull();
  });
});
