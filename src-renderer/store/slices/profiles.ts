// Per-app profiles slice: the core's ProfilesState (profiles.state, then the profiles.didChange event through bridge.ts),
// the "Follow the frontmost app" switch and "Use the current app". Never edits the config itself (the editor does).
import { appToUse, type ProfilesState } from '../../../src-shared/app-profiles';
import type { ConductorApi } from '../../../src-shared/contract';
import { errorMessage } from '../../format';
import { guarded } from '../guard';
import type { SliceCreator } from '../types';

export interface ProfilesSlice {
  /** Null until loaded (or when the core could not say). */
  profiles: ProfilesState | null;
  /** Why profiles.state could not be read, shown where the state would be. */
  profilesProblem: string | null;
  /** A setFollow call is in flight. */
  settingFollow: boolean;
  loadProfiles(): Promise<void>;
  /** Follow the frontmost app (true: also ends a mode chosen by hand) or not; the core's answer becomes the state. */
  setFollowApp(follow: boolean): Promise<void>;
  /** The app "Use the current app" fills in: the one in front, or the one before Conductor's own window; null (with a toast) when none. */
  currentApp(): Promise<string | null>;
}

export const createProfilesSlice =
  (api: ConductorApi): SliceCreator<ProfilesSlice> =>
  (set, get) => ({
    profiles: null,
    profilesProblem: null,
    settingFollow: false,
    async loadProfiles() {
      try {
        set({ profiles: await api.profiles.state(), profilesProblem: null });
      } catch (err) {
        set({ profilesProblem: errorMessage(err) });
      }
    },
    async setFollowApp(follow) {
      const before = get().profiles;
      // The switch shows the choice at once (a checkbox snapping back until the reply reads as a refusal); a failure restores it.
      set({ settingFollow: true, ...(before ? { profiles: { ...before, follow } } : {}) });
      try {
        const reply = await guarded(get, follow ? 'Follow the frontmost app' : 'Stop following the frontmost app', () => api.profiles.setFollow(follow));
        if (reply) set({ profiles: reply, profilesProblem: null });
        else if (before) set((s) => (s.profiles?.follow === follow ? { profiles: { ...s.profiles, follow: before.follow } } : {}));
      } finally {
        set({ settingFollow: false });
      }
    },
    async currentApp() {
      const what = 'Use the current app';
      const reply = await guarded(get, what, () => api.profiles.frontmost());
      if (!reply) return null;
      if (!reply.ok) {
        get().toast('error', `${what}: ${reply.error}`, what);
        return null;
      }
      const app = appToUse(reply);
      if (app === null && reply.app?.self) get().toast('info', `${what}: Conductor itself is in front and the app before it is not known yet — type the app's name`, what);
      else if (app === null) get().toast('info', `${what}: no application is in front (bring it to the front, then press again)`, what);
      return app?.name ?? null;
    },
  });
