// Test support for the UI services and transports: a real Core in throw-away directories with its setupServices, as
// the app wires them. Test support only — never imported by the app itself.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALL_NAMES, type CallHandlers, type CallName } from '../../../src-shared/contract';
import { Core, type CoreOptions } from '../../app/core';
import type { Learner } from '../../engine/learn';
import { dispatch } from '../dispatch';
import { setupServices, type ServiceEndpoint, type Services, type ServicesOptions } from '../setup';

export interface TestCore {
  core: Core;
  /** setupServices(core, …) — the app's wiring (default shell 'electron'). */
  services: Services;
  /** services.learner. */
  learner: Learner;
  root: string;
  configDir: string;
  pluginsDir: string;
  dataDir: string;
  configPath: string;
  /** Disposes the services, stops the core, restores the environment, removes the directories. */
  stop(): Promise<void>;
}

const ENV_KEYS = ['CONDUCTOR_CONFIG_DIR', 'CONDUCTOR_PLUGINS_DIR', 'CONDUCTOR_DATA_DIR'] as const;

/**
 * Starts a Core whose config, trusted keys, grants, plugins and plugin data all live under a new temp dir (the
 * CONDUCTOR_* variables point there until stop()). No hardware MIDI, no polling, no config watching unless asked.
 * `configText` is written as config.toml first; without it the first run writes the shipped default config.
 */
export async function startTestCore(options: { configText?: string; core?: CoreOptions; services?: Partial<ServicesOptions> } = {}): Promise<TestCore> {
  const root = mkdtempSync(join(tmpdir(), 'conductor-services-'));
  const configDir = join(root, 'config');
  const pluginsDir = join(root, 'plugins');
  const dataDir = join(root, 'data');
  mkdirSync(configDir, { recursive: true });
  const saved = ENV_KEYS.map((key) => [key, process.env[key]] as const);
  process.env.CONDUCTOR_CONFIG_DIR = configDir;
  process.env.CONDUCTOR_PLUGINS_DIR = pluginsDir;
  process.env.CONDUCTOR_DATA_DIR = dataDir;
  const configPath = join(configDir, 'config.toml');
  if (options.configText !== undefined) writeFileSync(configPath, options.configText);
  const restore = (): void => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  let core: Core;
  try {
    core = await Core.start({ watchConfig: false, devices: { backends: [], pollIntervalMs: 0, virtualPortName: null, log: () => undefined }, ...options.core });
  } catch (error) {
    restore();
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  const services = setupServices(core, { shell: 'electron', ...options.services });
  let stopped: Promise<void> | null = null;
  return {
    core,
    services,
    learner: services.learner,
    root,
    configDir,
    pluginsDir,
    dataDir,
    configPath,
    stop() {
      stopped ??= (async () => {
        services.dispose();
        await core.stop();
        restore();
        rmSync(root, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/** The real handlers, each reporting its name and arguments to `record` before it runs (to prove what reached a handler). */
export function countedHandlers(real: CallHandlers, record: (name: CallName, args: unknown[]) => void): CallHandlers {
  const out: Record<string, (...args: unknown[]) => unknown> = {};
  for (const name of CALL_NAMES) {
    const handler = real[name] as (...args: unknown[]) => unknown;
    out[name] = (...args: unknown[]) => {
      record(name, args);
      return handler(...args);
    };
  }
  return out as unknown as CallHandlers;
}

/** The services' endpoint with `countedHandlers` behind its dispatch (what a transport reaches, name by name). */
export function countedEndpoint(services: Services, record: (name: CallName, args: unknown[]) => void): ServiceEndpoint {
  const handlers = countedHandlers(services.handlers, record);
  return { dispatch: (name, args) => dispatch(handlers, name, args), onDidEmitEvent: services.onDidEmitEvent };
}
