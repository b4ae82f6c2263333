// The per-app profiles slice: loads profiles.state after connecting, follows profiles.didChange, sets following, and
// picks the app "Use the current app" fills in (not Conductor's own window).
import { afterEach, describe, expect, it } from 'vitest';
import type { FrontmostReply, ProfilesState } from '../../../src-shared/app-profiles';
import { connectStore, FakeApi, flush, loadHandlers } from '../../test-support/fake-api';

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

const STATE: ProfilesState = { follow: true, used: true, frontmost: { name: 'code', executable: 'code', title: 'x.ts', self: false }, reason: { kind: 'app', mode: 'Edit', app: 'code' } };

describe('profiles slice', () => {
  it('loads the state, follows its event and sets following', async () => {
    let follow = true;
    const { api, store, stop } = await connectStore({ ...loadHandlers(), 'profiles.state': () => STATE, 'profiles.setFollow': (f: boolean) => ({ ...STATE, follow: (follow = f), reason: { kind: 'off' } }) });
    stops.push(stop);
    await flush();
    expect(store.getState().profiles).toEqual(STATE);
    await store.getState().setFollowApp(false);
    expect(follow).toBe(false);
    expect(store.getState().profiles?.reason).toEqual({ kind: 'off' });
    api.emit('profiles.didChange', { ...STATE, reason: { kind: 'manual', mode: 'Default', app: 'code' } });
    await flush();
    expect(store.getState().profiles?.reason.kind).toBe('manual');
  });

  it('"Use the current app": the app in front, or the one before Conductor; a toast when none or unreadable', async () => {
    let reply: FrontmostReply = { ok: true, app: { name: 'firefox', executable: 'firefox', title: null, self: false }, lastOther: null };
    const { store, stop } = await connectStore({ ...loadHandlers(), 'profiles.frontmost': () => reply });
    stops.push(stop);
    expect(await store.getState().currentApp()).toBe('firefox');
    reply = { ok: true, app: { name: 'Conductor', executable: 'conductor', title: null, self: true }, lastOther: { name: 'code', executable: 'code', title: null, self: false } };
    expect(await store.getState().currentApp()).toBe('code');
    reply = { ok: true, app: null, lastOther: null };
    expect(await store.getState().currentApp()).toBeNull();
    expect(store.getState().toasts.at(-1)?.text).toMatch(/no application is in front/);
    reply = { ok: true, app: { name: 'Conductor', executable: 'conductor', title: null, self: true }, lastOther: null };
    expect(await store.getState().currentApp()).toBeNull();
    expect(store.getState().toasts.at(-1)?.text).toMatch(/Conductor itself is in front/);
    reply = { ok: false, error: 'frontmost app unavailable on Wayland without X' };
    expect(await store.getState().currentApp()).toBeNull();
    expect(store.getState().toasts.at(-1)?.text).toBe('Use the current app: frontmost app unavailable on Wayland without X');
  });

  it('a core without the call leaves a problem to show, not a toast', async () => {
    const handlers = loadHandlers();
    delete handlers['profiles.state'];
    const { store, stop } = await connectStore(new FakeApi(handlers));
    stops.push(stop);
    await flush();
    expect(store.getState().profiles).toBeNull();
    expect(store.getState().profilesProblem).toMatch(/no handler/);
    expect(store.getState().toasts).toEqual([]);
  });

  it('shows the switch at once, and puts it back when the call fails', async () => {
    let answer: (state: ProfilesState) => void = () => undefined;
    const { store, stop } = await connectStore({
      ...loadHandlers(),
      'profiles.state': () => STATE,
      'profiles.setFollow': () => new Promise<ProfilesState>((resolve) => (answer = resolve)),
    });
    stops.push(stop);
    await flush();
    const pending = store.getState().setFollowApp(false);
    expect(store.getState()).toMatchObject({ settingFollow: true, profiles: { follow: false } });
    answer({ ...STATE, follow: false, reason: { kind: 'off' } });
    await pending;
    expect(store.getState()).toMatchObject({ settingFollow: false, profiles: { follow: false, reason: { kind: 'off' } } });

    const failing = await connectStore({
      ...loadHandlers(),
      'profiles.state': () => STATE,
      'profiles.setFollow': () => {
        throw new Error('core gone');
      },
    });
    stops.push(failing.stop);
    await flush();
    await failing.store.getState().setFollowApp(false);
    expect(failing.store.getState().profiles?.follow).toBe(true);
    expect(failing.store.getState().toasts.map((t) => t.text)).toContain('Stop following the frontmost app: core gone');
  });
});
