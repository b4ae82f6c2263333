// A plugin's call statistics since it was loaded (calls, errors, the last fuel and duration, crashes, the last error):
// what the Plugins view and the troubleshooting help show. Bookkeeping only — never decides anything about the plugin.
import type { CallResult, PluginStats } from '../../../src-shared/plugin';

export class CallStats {
  private readonly stats: PluginStats = { calls: 0, errors: 0, lastFuelConsumed: null, lastDurationMs: null, crashes: 0, lastError: null };

  /** One finished call, any outcome; `at` (epoch ms) stamps a failure. */
  record(result: CallResult, at: number): void {
    this.stats.calls++;
    if (!result.ok) {
      this.stats.errors++;
      this.stats.lastError = { kind: result.errorKind ?? 'crash', message: result.error ?? 'failed', at };
    }
    this.stats.lastFuelConsumed = result.fuelConsumed;
    this.stats.lastDurationMs = result.durationMs;
  }

  /** The sandbox process crashed (during a call or while idle). */
  crashed(): void {
    this.stats.crashes++;
  }

  /** A copy, safe to hand out. */
  snapshot(): PluginStats {
    return { ...this.stats, lastError: this.stats.lastError ? { ...this.stats.lastError } : null };
  }
}
