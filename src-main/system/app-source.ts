// Builds the AppSource for this platform: X11 + /proc on Linux, System Events on macOS, PowerShell on Windows, with
// polling on the injected timer. Only picks and wires readers; never reads anything itself.
import type { Timer } from '../common/clock';
import { AppSourceError, PollingAppSource, type AppInfo, type AppReader, type AppSource, type AppSourceStatus } from './frontmost-app';
import { LinuxAppReader } from './linux';
import { MacAppReader } from './macos';
import { systemRunTool, type RunTool } from './run-tool';
import { WindowsAppReader } from './windows';

export interface AppSourceOptions {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  timer: Timer;
  /** Polling interval while someone listens for changes. Default 1000 ms. */
  intervalMs?: number;
  /** Default: the real tools. */
  runTool?: RunTool;
  /** Linux: where /proc is. */
  procRoot?: string;
}

/** A platform without a reader: every reading fails with 'unsupported-platform'. */
class UnsupportedReader implements AppReader {
  private readonly error: AppSourceError;
  constructor(platform: string) {
    this.error = new AppSourceError('unsupported-platform', `frontmost and running apps are not available on ${platform}`);
  }
  frontmost(): Promise<AppInfo | null> {
    return Promise.reject(this.error);
  }
  running(): Promise<AppInfo[]> {
    return Promise.reject(this.error);
  }
  status(): Promise<AppSourceStatus> {
    return Promise.resolve({ available: false, reason: this.error.reason, message: this.error.message });
  }
}

/** The platform's reader (no polling). */
export function createAppReader(options: Omit<AppSourceOptions, 'timer' | 'intervalMs'>): AppReader {
  // A UTF-8 locale, so xprop prints window titles as text rather than escapes (both are understood).
  const runTool = options.runTool ?? systemRunTool({ env: { ...options.env, LC_ALL: 'C.UTF-8' } });
  switch (options.platform) {
    case 'linux':
      return new LinuxAppReader({ env: options.env, runTool, procRoot: options.procRoot });
    case 'darwin':
      return new MacAppReader(runTool);
    case 'win32':
      return new WindowsAppReader(runTool);
    default:
      return new UnsupportedReader(options.platform);
  }
}

/** The AppSource for `options.platform`. */
export function createAppSource(options: AppSourceOptions): AppSource {
  return new PollingAppSource(createAppReader(options), { timer: options.timer, intervalMs: options.intervalMs });
}
