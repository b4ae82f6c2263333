// Per-app profiles: the mode follows the frontmost application — the first mode (in file order) whose `apps` lists it
// — with a manual override and a way back (docs/per-app.md). Never imports Electron; never focuses or starts an app.
import type { AppConfig, Mode } from '../../src-shared/config';
import type { EngineEvent } from '../../src-shared/engine';
import { Emitter, type Event } from '../../src-shared/emitter';
import { errorMessage } from '../../src-shared/errors';
import type { FrontApp, FrontmostReply, ProfileReason, ProfilesState } from '../../src-shared/app-profiles';
import type { ModeSwitchResult } from '../engine/engine';
import { matchesApp, type AppInfo, type AppSource } from '../system/frontmost-app';

/** What profiles need of the engine: the current mode, a switch, and its mode-change events. */
export interface ProfileEngine {
  readonly currentMode: string | null;
  setMode(target: string): ModeSwitchResult;
  onDidEngineEvent(listener: (event: EngineEvent) => void): () => void;
}

export interface AppProfilesOptions {
  /** The frontmost-app source (the platform's, or FakeAppSource in tests); watched only while a mode lists apps and following is on. */
  source: AppSource;
  engine: ProfileEngine;
  config: Pick<AppConfig, 'modes'>;
  /** This process's id: a window of it is Conductor's own and never switches a mode (default process.pid; null: none). */
  selfPid?: number | null;
}

/** Lower case, trimmed, without a trailing ".exe" / ".app" — as matchesApp compares names. */
function bare(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/\.(exe|app)$/, '');
}

/** The names an app answers to, the ones matchesApp compares (shown name, executable, path's last part, WM_CLASS, bundle id). */
function namesOf(info: AppInfo): string[] {
  const names = [info.name, info.executable, info.path?.split(/[\\/]/).pop(), info.windowClass?.instance, info.windowClass?.className, info.bundleId];
  return names.filter((n): n is string => typeof n === 'string' && n !== '');
}

/**
 * Whether one entry of a mode's `apps` names `info`: without `*` exactly as AppFrontmost's `app_name` (matchesApp:
 * case-insensitive whole names); with `*` a wildcard for any run of characters ("*Adobe*", "jetbrains-*") over the same names.
 */
export function appPatternMatches(pattern: string, info: AppInfo): boolean {
  if (!pattern.includes('*')) return matchesApp(pattern, info);
  const wanted = pattern.trim().toLowerCase();
  if (wanted.replace(/\*/g, '') === '') return false; // "*" alone would follow every app: refused at read, never matches
  const source = wanted
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const re = new RegExp(`^${source}$`, 'i');
  return namesOf(info).some((n) => re.test(n.trim()) || re.test(bare(n)));
}

/** The first mode (in file order) whose `apps` names `info`. */
export function modeForApp(modes: readonly Mode[], info: AppInfo): Mode | null {
  return modes.find((m) => (m.apps ?? []).some((pattern) => appPatternMatches(pattern, info))) ?? null;
}

function sameApp(a: AppInfo | null, b: AppInfo | null): boolean {
  if (a === null || b === null) return a === b;
  return a.name === b.name && a.pid === b.pid && a.executable === b.executable;
}

export class AppProfiles {
  private readonly changes = new Emitter<ProfilesState>({ onListenerError: () => undefined });
  private readonly selfPid: number | null;
  private modes: readonly Mode[];
  private follow = true;
  /** The last reading while watching; `known` false before the first one. */
  private front: AppInfo | null = null;
  private known = false;
  /** The last app in front that was not Conductor's own window. */
  private lastOther: AppInfo | null = null;
  /** The mode to come back to when no mode lists the app in front: the one current before the automatic switch. */
  private base: string | null;
  /** The mode profiles switched to, while it is current (null: the current mode was not chosen by profiles). */
  private auto: string | null = null;
  /** A mode chosen by hand: it holds while `pinnedFor` (the app in front then) stays in front. */
  private manual: { mode: string | null; pinnedFor: AppInfo | null } | null = null;
  private reason: ProfileReason = { kind: 'waiting' };
  private switching = false;
  private unwatch: (() => void) | null = null;
  private readonly disposers: Array<() => void> = [];
  private lastFired = '';
  private disposed = false;

  /** The state changed (following, the app in front, the mode chosen or why). */
  readonly onDidChange: Event<ProfilesState> = this.changes.event;

  constructor(private readonly options: AppProfilesOptions) {
    this.selfPid = options.selfPid === undefined ? process.pid : options.selfPid;
    this.modes = options.config.modes;
    this.base = options.engine.currentMode;
    this.disposers.push(
      options.engine.onDidEngineEvent((event) => {
        if (event.kind === 'mode-change') this.onModeChange(event.reason, event.to);
      }),
      options.source.onError((error) => {
        if (this.unwatch === null) return;
        this.setReason({ kind: 'unavailable', message: error.message });
      }),
    );
    this.rewatch();
    this.fireIfChanged();
  }

  get state(): ProfilesState {
    const used = this.used;
    let reason = this.reason;
    if (!used) reason = { kind: 'unused' };
    else if (!this.follow) reason = { kind: 'off' };
    return { follow: this.follow, used, frontmost: this.unwatch !== null && this.known ? this.frontApp(this.front) : null, reason };
  }

  /** Whether any mode lists an app. */
  get used(): boolean {
    return this.modes.some((m) => (m.apps ?? []).length > 0);
  }

  /**
   * Turns following on or off. Turning it on (even when it was on) ends a manual choice and applies the profiles to the
   * app in front now; turning it off leaves the current mode as it is.
   */
  setFollow(follow: boolean): void {
    if (this.disposed) return;
    const was = this.follow;
    this.follow = follow;
    this.manual = null;
    if (!follow) {
      this.auto = null;
      this.base = this.options.engine.currentMode;
    }
    this.rewatch();
    // Already watching: apply to the app known now (a fresh subscription hears it from the source).
    if (follow && was && this.known && this.unwatch !== null) this.apply(this.front);
    this.fireIfChanged();
  }

  /** A new config: the modes' app lists (the engine has it already). Applied to the app in front now unless chosen by hand. */
  setConfig(config: Pick<AppConfig, 'modes'>): void {
    if (this.disposed) return;
    this.modes = config.modes;
    const names = new Set(config.modes.map((m) => m.name));
    if (this.auto !== null && !names.has(this.auto)) this.auto = null;
    if (this.base !== null && !names.has(this.base)) this.base = this.options.engine.currentMode;
    const wasWatching = this.unwatch !== null;
    this.rewatch();
    if (wasWatching && this.unwatch !== null && this.known && this.manual === null) this.apply(this.front);
    this.fireIfChanged();
  }

  /** The app in front now (one reading), and the last other app before Conductor's own window came to the front. */
  async frontmost(): Promise<FrontmostReply> {
    try {
      const app = await this.options.source.frontmost();
      if (app !== null && !this.isSelf(app)) this.lastOther = app;
      return { ok: true, app: this.frontApp(app), lastOther: this.frontApp(this.lastOther) };
    } catch (err) {
      return { ok: false, error: errorMessage(err) };
    }
  }

  dispose(): void {
    this.disposed = true;
    this.unwatch?.();
    this.unwatch = null;
    for (const d of this.disposers.splice(0)) d();
    this.changes.dispose();
  }

  private isSelf(app: AppInfo): boolean {
    return this.selfPid !== null && app.pid === this.selfPid;
  }

  private frontApp(app: AppInfo | null): FrontApp | null {
    return app === null ? null : { name: app.name, executable: app.executable, title: app.title, self: this.isSelf(app) };
  }

  /** Watches the source only while following and some mode lists apps (no polling otherwise). */
  private rewatch(): void {
    const want = this.follow && this.used && !this.disposed;
    if (want && this.unwatch === null) {
      this.known = false;
      this.reason = { kind: 'waiting' };
      const unwatch = this.options.source.onChange((app) => this.onApp(app));
      this.unwatch = unwatch;
      // A source that cannot read reports its error once (not again after a re-subscription): ask it why now.
      void this.options.source.status().then((status) => {
        if (!status.available && this.unwatch === unwatch && !this.known) this.setReason({ kind: 'unavailable', message: status.message });
      });
    } else if (!want && this.unwatch !== null) {
      this.unwatch();
      this.unwatch = null;
      this.known = false;
      this.front = null;
    }
  }

  private onApp(app: AppInfo | null): void {
    if (this.disposed || this.unwatch === null) return;
    this.front = app;
    this.known = true;
    if (app !== null && !this.isSelf(app)) this.lastOther = app;
    this.apply(app);
    this.fireIfChanged();
  }

  /** The rules, for the app now in front. */
  private apply(app: AppInfo | null): void {
    const engine = this.options.engine;
    if (app !== null && this.isSelf(app)) {
      // Conductor's own window (the user looks at or edits the config): nothing changes, a manual choice holds.
      if (this.manual === null) this.reason = { kind: 'self', mode: engine.currentMode };
      return;
    }
    if (this.manual !== null) {
      if (sameApp(app, this.manual.pinnedFor)) return;
      this.manual = null; // another app came to the front: the profiles apply again
    }
    const target = app === null ? null : modeForApp(this.modes, app);
    if (target !== null && app !== null) {
      if (this.auto === null) this.base = engine.currentMode;
      if (this.switchTo(target.name)) {
        this.auto = target.name;
        this.reason = { kind: 'app', mode: target.name, app: app.name };
        return;
      }
    }
    if (this.auto !== null) {
      // The app that chose the mode left the front: the mode from before comes back.
      this.auto = null;
      if (this.base !== null) this.switchTo(this.base);
    }
    this.reason = { kind: 'default', mode: engine.currentMode, app: app?.name ?? null };
  }

  private switchTo(mode: string): boolean {
    this.switching = true;
    try {
      return this.options.engine.setMode(mode).ok;
    } finally {
      this.switching = false;
    }
  }

  private onModeChange(reason: 'action' | 'api' | 'config', to: string | null): void {
    if (this.switching || this.disposed) return;
    if (reason === 'config') {
      // A reload removed the current mode: the engine fell back to the first one.
      if (this.auto !== null) this.auto = null;
      this.base = to;
    } else {
      // Chosen by hand (the UI, the tray, a ModeChange action): it holds while the app in front now stays there.
      this.base = to;
      this.auto = null;
      if (this.follow && this.used) {
        this.manual = { mode: to, pinnedFor: this.lastOther ?? this.front };
        this.reason = { kind: 'manual', mode: to, app: this.manual.pinnedFor?.name ?? null };
      }
    }
    this.fireIfChanged();
  }

  private setReason(reason: ProfileReason): void {
    this.reason = reason;
    this.fireIfChanged();
  }

  private fireIfChanged(): void {
    if (this.disposed) return;
    const state = this.state;
    const text = JSON.stringify(state);
    if (text === this.lastFired) return;
    this.lastFired = text;
    this.changes.fire(state);
  }
}
