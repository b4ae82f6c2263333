// `npm run serve` as a function (src-main/serve.ts is the process entry): starts the Core, its services and the
// browser-mode server, and stops them in order. Never prints the token anywhere but the URL line on stdout.
import { parseArgs } from 'node:util';
import { errorMessage } from '../../src-shared/errors';
import { Core, type CoreOptions } from '../app/core';
import { setupServices } from '../services/setup';
import { startBrowserServer, type BrowserServer } from './ws-server';
import { shippedResourcePath } from '../common/paths';
import { showDesktopNotifications } from '../app/desktop-notifications';

export const SERVE_USAGE = `Usage: npm run serve -- [--port N] [--config FILE] [--plugins-dir DIR] [--static-dir DIR]
  Runs Conductor without Electron and serves its UI on http://127.0.0.1:PORT (loopback only).
  --port N         listen on port N (default: any free port)
  --config FILE    config.toml to use (default: the config dir; env CONDUCTOR_CONFIG_DIR)
  --plugins-dir D  installed plugins (default: ~/.conductor/wasm-plugins; env CONDUCTOR_PLUGINS_DIR)
  --static-dir D   the built UI (default: dist/renderer)
`;

export class ServeUsageError extends Error {
  override readonly name = 'ServeUsageError';
}

export interface ServeFlags {
  port: number;
  config?: string;
  pluginsDir?: string;
  staticDir?: string;
  help: boolean;
}

export function parseServeArgs(argv: readonly string[]): ServeFlags {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        config: { type: 'string' },
        'plugins-dir': { type: 'string' },
        'static-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new ServeUsageError(errorMessage(error));
  }
  const portText = values.port ?? '0';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!Number.isInteger(port) || port > 65_535) throw new ServeUsageError(`--port must be a number from 0 to 65535, got "${portText}"`);
  return {
    port,
    help: values.help === true,
    ...(values.config ? { config: values.config } : {}),
    ...(values['plugins-dir'] ? { pluginsDir: values['plugins-dir'] } : {}),
    ...(values['static-dir'] ? { staticDir: values['static-dir'] } : {}),
  };
}

export interface BrowserModeOptions {
  /** Lines for the user (default: stdout). */
  out?: (line: string) => void;
  /** Warnings (config problems, MIDI unavailable; default: stderr). */
  warn?: (line: string) => void;
  /** Extra Core options (tests skip hardware MIDI with `devices: { backends: [], pollIntervalMs: 0 }`). */
  core?: Omit<CoreOptions, 'configPath' | 'pluginsDir'>;
}

export interface RunningBrowserMode {
  core: Core;
  server: BrowserServer;
  url: string;
  /** Stops the server, the services and the core (idempotent). */
  stop(): Promise<void>;
}

/** Starts everything and prints `Conductor is running in browser mode: <url>`. */
export async function startBrowserMode(flags: ServeFlags, options: BrowserModeOptions = {}): Promise<RunningBrowserMode> {
  const out = options.out ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const warn = options.warn ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const core = await Core.start({
    bundledPluginsDir: shippedResourcePath('plugins'),
    loadPluginsInBackground: true,
    ...options.core,
    ...(flags.config ? { configPath: flags.config } : {}),
    ...(flags.pluginsDir ? { pluginsDir: flags.pluginsDir } : {}),
  });
  const services = setupServices(core, { shell: 'browser' });
  // No Electron here: plugin notifications go to the desktop's notification service (and to the page, as events).
  const stopNotifications = showDesktopNotifications(core, undefined, warn);
  let server: BrowserServer;
  try {
    server = await startBrowserServer({ services, port: flags.port, ...(flags.staticDir ? { staticDir: flags.staticDir } : {}) });
  } catch (error) {
    stopNotifications();
    services.dispose();
    await core.stop();
    throw error;
  }
  for (const issue of core.configIssues) warn(`config problem: ${issue.path ? `${issue.path}: ` : ''}${issue.message}${issue.line ? ` (line ${issue.line})` : ''}`);
  if (!core.devices.status.available) warn(`MIDI: ${core.devices.status.reason ?? 'unavailable'} (the virtual controller still works)`);
  out(`Conductor is running in browser mode: ${server.url}`);
  out('Open that address in a browser on this computer (it works only here, and only with the token in it). Ctrl+C stops.');
  // The plugins load in the background (the page works meanwhile and shows them loading); say when they are done.
  void core.pluginsLoaded
    .then(() => core.plugins.list())
    .then((plugins) => {
      const count = (state: string): number => plugins.filter((p) => p.snapshot.state === state).length;
      out(`Plugins loaded: ${plugins.length} (${count('ready')} ready, ${count('waiting-approval')} waiting for approval, ${count('failed')} failed)`);
    })
    .catch(() => undefined);

  let stopping: Promise<void> | null = null;
  return {
    core,
    server,
    url: server.url,
    stop() {
      stopping ??= (async () => {
        await server.close();
        stopNotifications();
        services.dispose();
        await core.stop();
      })();
      return stopping;
    },
  };
}
