// Which application is in front and which are running — the source behind the `AppFrontmost` / `AppRunning`
// conditions and per-app profiles (docs/per-app.md). Only reads; never focuses, starts or signals any application.
import { Emitter, type Event } from '../../src-shared/emitter';
import { errorMessage } from '../../src-shared/errors';
import type { Timer, TimerId } from '../common/clock';

/** One application (process) as the platform reports it. Fields the platform does not know are null. */
export interface AppInfo {
  /**
   * The name to show, and to write in `app_name`: the X11 WM_CLASS class ("Firefox", "Code") or the executable's name
   * on Linux; the application's name on macOS ("Safari", "Logic Pro X"); the process name on Windows ("firefox").
   */
  name: string;
  /** The executable's file name, extension included where it has one ("firefox", "firefox.exe"). */
  executable: string | null;
  /** The executable's full path. */
  path: string | null;
  pid: number | null;
  /** The front window's title. */
  title: string | null;
  /** X11 WM_CLASS: instance ("Navigator") and class ("Firefox"). */
  windowClass: { instance: string; className: string } | null;
  /** macOS bundle identifier ("com.apple.Safari"). */
  bundleId: string | null;
}

/** An AppInfo from the fields given; the rest null. */
export function appInfo(fields: Pick<AppInfo, 'name'> & Partial<AppInfo>): AppInfo {
  return { executable: null, path: null, pid: null, title: null, windowClass: null, bundleId: null, ...fields };
}

/** Why the source cannot answer. */
export type AppSourceErrorReason =
  /** A Wayland session without X: Wayland gives no client a way to see other clients' windows. */
  | 'wayland'
  /** Linux/BSD without DISPLAY nor WAYLAND_DISPLAY (a console or a service without a desktop). */
  | 'no-display'
  /** The platform's tool is not installed (xprop/xdotool, osascript, PowerShell). */
  | 'no-tool'
  | 'unsupported-platform'
  /** The tool ran and failed (not permitted, timed out, unreadable output). */
  | 'failed';

export class AppSourceError extends Error {
  constructor(
    readonly reason: AppSourceErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'AppSourceError';
  }
}

export const WAYLAND_MESSAGE = 'frontmost app unavailable on Wayland without X (Wayland lets no program see which window has focus)';

export type AppSourceStatus = { available: true; via: string } | { available: false; reason: AppSourceErrorReason; message: string };

/** What a platform reader answers: one reading each time, no state. */
export interface AppReader {
  /** The application in front, null when none (no window has focus); throws AppSourceError when it cannot tell. */
  frontmost(): Promise<AppInfo | null>;
  /** Every running process (application), in no particular order; throws AppSourceError when it cannot tell. */
  running(): Promise<AppInfo[]>;
  /** Whether `frontmost()` can work here and through what; never throws. */
  status(): Promise<AppSourceStatus>;
}

/** The source the engine and per-app profiles use: readings plus change events. Injectable (FakeAppSource in tests). */
export interface AppSource extends AppReader {
  /**
   * Calls `listener` with the frontmost app whenever it changes to another application (a new window title of the same
   * application is no change), starting with the first reading after subscribing. Returns the unsubscribe function.
   */
  onChange(listener: (app: AppInfo | null) => void): () => void;
  /** Reading errors while watching, once per distinct message (a persistent failure is not repeated every poll). */
  onError: Event<AppSourceError>;
  /** Stops watching and drops every listener. */
  dispose(): void;
}

/** Lower case, trimmed, with a trailing ".exe"/".app" removed. */
function bare(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/\.(exe|app)$/, '');
}

/** The last path segment, for "/" and "\" alike. */
function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/**
 * Whether `appName` (as written in a condition or profile) names `info`. Case-insensitive and whole-name (no substring
 * matches): the shown name, the process / executable name with or without its extension (".exe", ".app"), the X11
 * WM_CLASS instance or class, the macOS bundle identifier. A path in `appName` is compared by its last segment.
 */
export function matchesApp(appName: string, info: AppInfo): boolean {
  const wanted = bare(/[\\/]/.test(appName.trim()) ? baseName(appName.trim()) : appName);
  if (wanted === '') return false;
  const names = [info.name, info.executable, info.path === null ? null : baseName(info.path), info.windowClass?.instance, info.windowClass?.className, info.bundleId];
  return names.some((n) => typeof n === 'string' && n !== '' && bare(n) === wanted);
}

/** Whether any of `apps` is named by `appName` (the AppRunning condition). */
export function anyMatches(appName: string, apps: readonly AppInfo[]): boolean {
  return apps.some((app) => matchesApp(appName, app));
}

/**
 * The questions a Conditional's AppRunning / AppFrontmost ask, answered from `reader` (the actions' AppQuery shape):
 * a reading that fails rejects with the reader's own error (Wayland, no display, no tool…), never answers false.
 */
export function appQueryOf(reader: Pick<AppReader, 'frontmost' | 'running'>): { isRunning(appName: string): Promise<boolean>; isFrontmost(appName: string): Promise<boolean> } {
  return {
    isRunning: async (appName) => anyMatches(appName, await reader.running()),
    isFrontmost: async (appName) => {
      const app = await reader.frontmost();
      return app !== null && matchesApp(appName, app);
    },
  };
}

/** What identifies an application for change detection: not its window title. */
function identity(app: AppInfo | null): string {
  if (app === null) return 'none';
  return JSON.stringify([app.pid, app.name, app.executable, app.path, app.windowClass?.instance ?? null, app.windowClass?.className ?? null, app.bundleId]);
}

export interface PollingOptions {
  timer: Timer;
  /** Time between the end of one reading and the start of the next. Default 1000 ms. */
  intervalMs?: number;
}

export const DEFAULT_POLL_INTERVAL_MS = 1000;

/**
 * An AppSource over a platform reader: readings pass through; `onChange` polls the reader on the injected timer while
 * anyone listens (one reading at a time, never overlapping) and fires only when the frontmost application changes.
 */
export class PollingAppSource implements AppSource {
  private readonly changes = new Emitter<AppInfo | null>();
  private readonly errors = new Emitter<AppSourceError>();
  private readonly intervalMs: number;
  private pending: TimerId | null = null;
  private polling = false;
  /** The last reading fired, while watching. */
  private last: { app: AppInfo | null; identity: string } | null = null;
  private lastError: string | null = null;
  private disposed = false;

  constructor(
    private readonly reader: AppReader,
    private readonly options: PollingOptions,
  ) {
    this.intervalMs = options.intervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  }

  readonly onError: Event<AppSourceError> = (listener) => this.errors.event(listener);

  frontmost(): Promise<AppInfo | null> {
    return this.reader.frontmost();
  }

  running(): Promise<AppInfo[]> {
    return this.reader.running();
  }

  status(): Promise<AppSourceStatus> {
    return this.reader.status();
  }

  onChange(listener: (app: AppInfo | null) => void): () => void {
    if (this.disposed) return () => {};
    let subscribed = true;
    const unsubscribe = this.changes.event(listener);
    // A listener joining while others watch learns the app already known (the others hear nothing new).
    const known = this.last;
    if (known !== null) {
      queueMicrotask(() => {
        if (!subscribed || this.disposed) return;
        try {
          listener(known.app);
        } catch (err) {
          console.error('listener failed:', err); // as Emitter does: never reaches the source
        }
      });
    }
    this.start();
    return () => {
      subscribed = false;
      unsubscribe();
      if (this.changes.listenerCount === 0) this.stop();
    };
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
    this.changes.dispose();
    this.errors.dispose();
  }

  private start(): void {
    if (this.polling || this.pending !== null) return;
    this.schedule(0);
  }

  private stop(): void {
    if (this.pending !== null) this.options.timer.clearTimeout(this.pending);
    this.pending = null;
    this.last = null;
  }

  private schedule(delayMs: number): void {
    this.pending = this.options.timer.setTimeout(() => {
      this.pending = null;
      void this.poll();
    }, delayMs);
  }

  private async poll(): Promise<void> {
    this.polling = true;
    try {
      const app = await this.reader.frontmost();
      this.lastError = null;
      if (this.disposed || this.changes.listenerCount === 0) return;
      const id = identity(app);
      if (id !== this.last?.identity) {
        this.last = { app, identity: id };
        this.changes.fire(app);
      }
    } catch (err) {
      const error = err instanceof AppSourceError ? err : new AppSourceError('failed', errorMessage(err));
      if (error.message !== this.lastError) {
        this.lastError = error.message;
        this.errors.fire(error);
      }
    } finally {
      this.polling = false;
      if (!this.disposed && this.changes.listenerCount > 0 && this.pending === null) this.schedule(this.intervalMs);
    }
  }
}
