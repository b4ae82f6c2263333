// Test doubles: a scripted main side (replies, recorded calls, emitted events) behind the real verb API (buildApi),
// and a ConductorClient whose connection state tests set. Used by *.test.ts only; no DOM needed.
import { buildApi, type ApiExtras } from '../../src-shared/api';
import type { CallArgs, CallName, CallReplies, ConductorApi, EventName, EventPayloads, PluginInfo } from '../../src-shared/contract';
import type { AppConfig } from '../../src-shared/config';
import { DEFAULT_VIRTUAL_LAYOUT } from '../../src-shared/midi';
import { DEFAULT_LIMITS, type PluginSnapshot } from '../../src-shared/plugin';
import { initialUiState } from '../../src-shared/ui-state';
import type { ConductorClient, ConnectionInfo } from '../ipc/client';
import { startBridge } from '../store/bridge';
import { createAppStore, type AppStore } from '../store/index';

export type Handlers = { [N in CallName]?: (...args: CallArgs<N>) => CallReplies[N] | Promise<CallReplies[N]> };

/** The main side as tests script it; `api` is what the store gets. */
export class FakeApi {
  readonly calls: { name: CallName; args: unknown[] }[] = [];
  /** The verb API over this fake (what the renderer calls). */
  readonly api: ConductorApi;
  private readonly listeners = new Map<string, Set<(p: unknown) => void>>();

  constructor(
    public handlers: Handlers = {},
    extras: ApiExtras = {},
  ) {
    this.api = buildApi({ call: (name, args) => this.call(name, args), subscribe: (event, listener) => this.subscribe(event, listener) }, extras);
  }

  private call(name: CallName, args: unknown[]): Promise<unknown> {
    this.calls.push({ name, args });
    const handler = this.handlers[name] as ((...a: unknown[]) => unknown) | undefined;
    if (!handler) return Promise.reject(new Error(`no handler for ${name}`));
    try {
      return Promise.resolve(handler(...args));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private subscribe(event: EventName, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const l = (payload: unknown): void => listener(payload);
    set.add(l);
    return () => void set.delete(l);
  }

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const l of this.listeners.get(event) ?? []) l(payload);
  }

  listenerCount(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }

  callsOf(name: CallName): unknown[][] {
    return this.calls.filter((c) => c.name === name).map((c) => c.args);
  }
}

export class FakeClient implements ConductorClient {
  readonly api: ConductorApi;
  private info: ConnectionInfo;
  private readonly listeners = new Set<(info: ConnectionInfo) => void>();

  constructor(fake: FakeApi, status: ConnectionInfo['status'] = 'connected') {
    this.api = fake.api;
    this.info = { status, transport: 'websocket', detail: null, retryInMs: null };
  }

  connection(): ConnectionInfo {
    return this.info;
  }

  onConnection(listener: (info: ConnectionInfo) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  setConnection(status: ConnectionInfo['status'], detail: string | null = null): void {
    this.info = { ...this.info, status, detail, retryInMs: status === 'disconnected' ? 500 : null };
    for (const l of this.listeners) l(this.info);
  }

  close(): void {}
}

export function sampleConfig(): AppConfig {
  return {
    device: { name: null, autoConnect: true, autoReconnect: true, port: null },
    wasm: { requireSignature: false, allowSelfSigned: false },
    timing: { holdThresholdMs: 2000, doubleTapTimeoutMs: 300, chordTimeoutMs: 100 },
    modes: [
      {
        name: 'Default',
        color: null,
        mappings: [
          { description: 'Hello', trigger: { type: 'Note', note: 36 }, action: { type: 'Text', text: 'hello' } },
          { description: 'To edit', trigger: { type: 'Note', note: 37 }, action: { type: 'ModeChange', mode: 'Edit' } },
        ],
      },
      { name: 'Edit', color: 'blue', mappings: [] },
    ],
    globalMappings: [{ description: '', trigger: { type: 'DoubleTap', note: 48 }, action: { type: 'ModeChange', mode: 0 } }],
    extra: { led: { brightness: 10n, updated: new Date('2024-01-01T00:00:00.000Z') } },
  };
}

/** Handlers answering every initial load call, with the given config. */
export function loadHandlers(config: AppConfig = sampleConfig()): Handlers {
  return {
    'app.info': () => ({ version: '0.1.0', shell: 'browser', platform: 'linux', configPath: '/tmp/c/config.toml', pluginsDir: '/tmp/p' }),
    'devices.list': () => ({
      status: { available: false, reason: 'MIDI unavailable: cannot open /dev/snd/seq' },
      devices: [{ id: 'virtual:Virtual Controller', name: 'Virtual Controller', kind: 'virtual', direction: 'input', state: 'connected', detail: null }],
      virtualLayout: DEFAULT_VIRTUAL_LAYOUT,
      lights: {},
    }),
    'config.get': () => ({ config, issues: [], path: '/tmp/c/config.toml' }),
    'engine.state': () => ({ mode: 'Default', modes: ['Default', 'Edit'] }),
    'plugins.list': () => [],
    'engine.recentEvents': () => [],
    'layouts.get': () => ({ state: { custom: [], choices: {} }, problem: null }),
    'app.uiState': () => initialUiState(false),
    'app.paused': () => ({ paused: false }),
    'profiles.state': () => ({ follow: true, used: false, frontmost: null, reason: { kind: 'unused' } }),
  };
}

/** An installed plugin as plugins.list reports it: ready, unsigned, no capabilities, unless `snapshot` says otherwise. */
export function samplePlugin(id: string, snapshot: Partial<PluginSnapshot> = {}): PluginInfo {
  const wasmPath = `/tmp/p/${id}.wasm`;
  return {
    id,
    wasmPath,
    signaturePath: null,
    snapshot: {
      id,
      wasmPath,
      sha256: '0'.repeat(64),
      state: 'ready',
      reason: null,
      metadata: null,
      verification: { ok: true, tier: 'unsigned', detail: 'not signed', signer: null, trustedKeyName: null, failedCheck: null },
      limits: { ...DEFAULT_LIMITS },
      grants: [],
      pendingCapabilities: [],
      deniedCapabilities: [],
      dataDir: null,
      stats: { calls: 0, errors: 0, lastFuelConsumed: null, lastDurationMs: null, crashes: 0, lastError: null },
      isolation: null,
      ...snapshot,
    },
  };
}

/** Lets pending promise callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
}

/** A promise the test settles by hand, to look at the store while a call is in flight. */
export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * The real store and bridge over a FakeApi (the load handlers plus `handlers`), connected and loaded. The caller stops
 * the bridge after the test (`stop`).
 */
export async function connectStore(handlers: Handlers | FakeApi = {}, now: () => number = () => 1000): Promise<{ api: FakeApi; client: FakeClient; store: AppStore; stop: () => void }> {
  const api = handlers instanceof FakeApi ? handlers : new FakeApi({ ...loadHandlers(), ...handlers });
  const client = new FakeClient(api);
  const store = createAppStore(api.api, { now });
  const stop = startBridge(store, client, { now });
  await flush();
  return { api, client, store, stop };
}
