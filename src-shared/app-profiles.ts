// Per-app profiles as the UI sees them: the state main reports (frontmost app, following on/off, the mode chosen and
// why) and its wording ("Mode Editing because code is in front"). Pure data and text — no Node, Electron or DOM.

/** The application in front, as the UI shows it (a reduced src-main/system AppInfo). */
export interface FrontApp {
  /** What to write in a mode's `apps` (always matches this app). */
  name: string;
  executable: string | null;
  title: string | null;
  /** Conductor's own window (its process): it never switches a mode. */
  self: boolean;
}

/** Why the current mode is what it is, as far as per-app profiles are concerned. */
export type ProfileReason =
  /** No mode lists any app: nothing is switched automatically. */
  | { kind: 'unused' }
  /** The user turned "Follow the frontmost app" off. */
  | { kind: 'off' }
  /** The app in front could not be read (Wayland without X, no display, no tool…). */
  | { kind: 'unavailable'; message: string }
  /** Nothing read yet. */
  | { kind: 'waiting' }
  /** `mode` lists `app`, the app in front. */
  | { kind: 'app'; mode: string; app: string }
  /** No mode lists the app in front (or nothing is in front): the mode chosen before stays or came back. */
  | { kind: 'default'; mode: string | null; app: string | null }
  /** Conductor's own window is in front: the mode stays as it was. */
  | { kind: 'self'; mode: string | null }
  /** The user chose this mode by hand (the UI, the tray, a ModeChange action): it holds until another app comes to the front. */
  | { kind: 'manual'; mode: string | null; app: string | null };

/** profiles.state and profiles.didChange. */
export interface ProfilesState {
  /** Whether modes follow the frontmost app (not saved: every start follows). */
  follow: boolean;
  /** Whether any mode lists apps (otherwise nothing is watched). */
  used: boolean;
  /** The app in front at the last reading while watching (null: none, or not watching). */
  frontmost: FrontApp | null;
  reason: ProfileReason;
}

/** profiles.frontmost: the app in front now, and the last other app before Conductor's own window came to the front. */
export type FrontmostReply = { ok: true; app: FrontApp | null; lastOther: FrontApp | null } | { ok: false; error: string };

/** The app "Use the current app" should fill in: the one in front, unless it is Conductor itself (then the one before). */
export function appToUse(reply: FrontmostReply): FrontApp | null {
  if (!reply.ok) return null;
  if (reply.app && !reply.app.self) return reply.app;
  return reply.lastOther;
}

/** One line for the mode editor: "Mode Editing because code is in front". */
export function describeProfileReason(reason: ProfileReason): string {
  switch (reason.kind) {
    case 'unused':
      return 'No mode lists an app yet: modes change only by hand';
    case 'off':
      return 'Not following the frontmost app: modes change only by hand';
    case 'unavailable':
      return `The app in front cannot be read: ${reason.message}`;
    case 'waiting':
      return 'Waiting for the app in front…';
    case 'app':
      return `Mode ${reason.mode} because ${reason.app} is in front`;
    case 'default':
      return `${reason.mode === null ? 'No mode' : `Mode ${reason.mode}`}: ${reason.app === null ? 'no app is in front' : `no mode lists ${reason.app}`}`;
    case 'self':
      return `${reason.mode === null ? 'No mode' : `Mode ${reason.mode}`}: Conductor is in front, the mode stays`;
    case 'manual':
      return `Mode ${reason.mode ?? '(none)'} chosen by hand: it holds until another app comes to the front`;
  }
}
