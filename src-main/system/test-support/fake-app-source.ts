// Test support: an AppSource whose frontmost app and running set the test sets, firing onChange at once when the
// frontmost app changes — the stand-in for other modules' tests (conditions, per-app profiles). Never used by the app.
import { Emitter } from '../../../src-shared/emitter';
import { AppSourceError, appInfo, type AppInfo, type AppSource, type AppSourceErrorReason, type AppSourceStatus } from '../frontmost-app';

/** An app by name, or with whatever other fields the test needs. */
export type FakeApp = string | (Pick<AppInfo, 'name'> & Partial<AppInfo>);

function toInfo(app: FakeApp): AppInfo {
  return typeof app === 'string' ? appInfo({ name: app, executable: app }) : appInfo(app);
}

export class FakeAppSource implements AppSource {
  private front: AppInfo | null = null;
  private apps: AppInfo[] = [];
  private failure: AppSourceError | null = null;
  private readonly changes = new Emitter<AppInfo | null>();
  private readonly errors = new Emitter<AppSourceError>();
  readonly onError = this.errors.event;
  /** How often each reading was asked for. */
  readonly calls = { frontmost: 0, running: 0 };

  constructor(initial: { frontmost?: FakeApp | null; running?: readonly FakeApp[] } = {}) {
    if (initial.frontmost) this.front = toInfo(initial.frontmost);
    this.apps = (initial.running ?? []).map(toInfo);
    // The frontmost app is running.
    if (this.front && !this.apps.some((a) => a.name === this.front?.name)) this.apps.push(this.front);
  }

  /** Brings `app` (or nothing) to the front; it joins the running set; listeners hear it if it is another app. */
  setFrontmost(app: FakeApp | null): AppInfo | null {
    const next = app === null ? null : toInfo(app);
    if (next && !this.apps.some((a) => a.name === next.name)) this.apps.push(next);
    const changed = (next?.name ?? null) !== (this.front?.name ?? null) || (next?.pid ?? null) !== (this.front?.pid ?? null);
    this.front = next;
    if (changed) this.changes.fire(next);
    return next;
  }

  /** Replaces the running set (the frontmost app is left as it is). */
  setRunning(apps: readonly FakeApp[]): void {
    this.apps = apps.map(toInfo);
  }

  /** From now on every reading fails with this reason (null: works again); listeners of onError hear it. */
  setUnavailable(reason: AppSourceErrorReason | null, message = `unavailable: ${reason ?? ''}`): void {
    this.failure = reason === null ? null : new AppSourceError(reason, message);
    if (this.failure) this.errors.fire(this.failure);
  }

  frontmost(): Promise<AppInfo | null> {
    this.calls.frontmost++;
    return this.failure ? Promise.reject(this.failure) : Promise.resolve(this.front);
  }

  running(): Promise<AppInfo[]> {
    this.calls.running++;
    return this.failure ? Promise.reject(this.failure) : Promise.resolve([...this.apps]);
  }

  status(): Promise<AppSourceStatus> {
    return Promise.resolve(this.failure ? { available: false, reason: this.failure.reason, message: this.failure.message } : { available: true, via: 'fake' });
  }

  /** Like the real source: the listener first hears the current app (on a microtask), then every change. */
  onChange(listener: (app: AppInfo | null) => void): () => void {
    let subscribed = true;
    const unsubscribe = this.changes.event(listener);
    const current = this.front;
    queueMicrotask(() => {
      if (subscribed && !this.failure) listener(current);
    });
    return () => {
      subscribed = false;
      unsubscribe();
    };
  }

  get listenerCount(): number {
    return this.changes.listenerCount;
  }

  dispose(): void {
    this.changes.dispose();
    this.errors.dispose();
  }
}
