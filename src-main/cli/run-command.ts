// `conductor run`: the core without a window — devices, engine and plugins — logging every engine event; stdin lines
// drive the virtual controller. Never prints plugin, device or config text unescaped (one event line can't forge another).
import { createInterface } from 'node:readline';
import type { EngineEvent } from '../../src-shared/engine';
import { errorMessage } from '../../src-shared/errors';
import { describeMidi, describeMidiBytes } from '../../src-shared/wording';
import { describeGamepadInput } from '../../src-shared/gamepad';
import { Core } from '../app/core';
import { terminalJson, terminalLines } from '../../src-shared/terminal-text';

export interface RunFlags {
  config?: string;
  'plugins-dir'?: string;
  json?: boolean;
}

const HELP = `commands: press NOTE [VELOCITY] | release NOTE | knob CC VALUE | mode NAME | devices | quit\n`;

/** One human-readable line (or a few) per engine event, escaped for the terminal: each plugin log entry is one line. */
export function formatEngineEvent(e: EngineEvent): string {
  return terminalLines(eventLines(e));
}

/** The event's line, then the plugin's log entries, indented (not yet escaped). */
function eventLines(e: EngineEvent): string[] {
  const log = (e.kind === 'action-finish' || e.kind === 'action-error' ? (e.plugin?.log ?? []) : []).map((l) => `           ${l}`);
  switch (e.kind) {
    case 'midi':
      return [`midi     ${e.event.deviceId}: ${describeMidi(e.event.message)}`];
    case 'gamepad':
      return [`gamepad  ${e.event.deviceId}: ${describeGamepadInput(e.event.input)}`];
    case 'trigger':
      return [`trigger  ${e.trigger} → ${e.mapping.scope === 'global' ? 'global' : e.mapping.mode}[${e.mapping.index}] "${e.mapping.description}"`];
    case 'action-start':
      return [`start    ${e.summary}`];
    case 'action-finish': {
      const p = e.plugin ? `, fuel ${e.plugin.fuelConsumed}, code ${e.plugin.code}` : '';
      return [`ok       ${e.summary} (${e.durationMs.toFixed(1)} ms${p})`, ...log];
    }
    case 'action-error':
      return [`ERROR    ${e.summary}: ${e.error} (${e.durationMs.toFixed(1)} ms)`, ...log];
    case 'run-dropped':
      return [`dropped  "${e.mapping.description}": ${e.reason} (${e.dropped} dropped so far)`];
    case 'mode-change':
      return [`mode     ${e.from ?? '-'} → ${e.to} (${e.reason})`];
    case 'config':
      return [`config   ${e.modes.length} modes, ${e.mappingCount} mappings`];
    case 'config-error':
      return e.issues.map((i) => `config   ${e.path}${i.line === null ? '' : `:${i.line}${i.column === null ? '' : `:${i.column}`}`}: ${i.path ? `${i.path}: ` : ''}${i.message} (the last good config keeps running)`);
    case 'plugin-midi-error':
      return [`ERROR    plugin ${e.pluginId}: MIDI ${describeMidiBytes(e.bytes, e.byteCount)} to "${e.port}" not sent: ${e.error}`];
  }
}

export async function runCommand(flags: RunFlags): Promise<number> {
  const core = await Core.start({
    ...(flags.config ? { configPath: flags.config } : {}),
    ...(flags['plugins-dir'] ? { pluginsDir: flags['plugins-dir'] } : {}),
  });
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  // Every line is escaped here: plugin, device and config text can neither inject controls nor add a line.
  const emit = (record: object, human: readonly string[]): void => out(flags.json ? terminalJson(record) : terminalLines(human));

  const devices = core.devices.devices();
  const plugins = await core.plugins.list();
  emit(
    { kind: 'ready', config: core.config.path, configIssues: core.configIssues, midi: core.devices.status, devices, mode: core.engine.currentMode, plugins: plugins.map((p) => ({ id: p.id, state: p.snapshot.state, reason: p.snapshot.reason })) },
    [
      `conductor run — config ${core.config.path}, mode ${core.engine.currentMode ?? '(none)'}`,
      ...core.configIssues.map((i) => `config problem: ${i.path ? `${i.path}: ` : ''}${i.message}${i.line ? ` (line ${i.line})` : ''}`),
      core.devices.status.available ? 'MIDI: available' : `MIDI: ${core.devices.status.reason ?? 'unavailable'}`,
      ...devices.map((d) => `device   ${d.id} [${d.state}]${d.detail ? ` — ${d.detail}` : ''}`),
      ...plugins.map((p) => `plugin   ${p.id} [${p.snapshot.state}]${p.snapshot.reason ? ` — ${p.snapshot.reason}` : ''}`),
      `type "help" for commands; Ctrl+C stops`,
    ],
  );

  core.engine.onDidEngineEvent((e) => emit(e, eventLines(e)));
  core.onDidRequestNotification((n) => emit({ kind: 'notification', ...n }, [`notify   ${n.pluginId}: ${n.title} — ${n.body}`]));
  // A broken edit of the config file arrives as the engine's `config-error` event (printed with the others).
  core.plugins.events.onDidRequestApproval((r) =>
    emit({ kind: 'approval-request', ...r }, [`approve  ${r.name} wants ${r.pending.join(', ')} — run: conductor plugin grant ${r.name} <capability>`]),
  );

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (code: number): void => {
      if (stopping) return;
      stopping = true;
      rl.close();
      process.stdin.destroy(); // readline leaves stdin open, which would keep the process alive
      void core.stop().then(() => resolve(code));
    };
    process.once('SIGINT', () => stop(0));
    process.once('SIGTERM', () => stop(0));
    // Stdin drives the virtual controller. End of input (e.g. </dev/null under a service manager) is not a stop.
    const rl = createInterface({ input: process.stdin, terminal: false });
    const pad = core.devices.virtualDevice;
    rl.on('line', (line) => {
      const [cmd, a, b] = line.trim().split(/\s+/);
      const num = (s: string | undefined, fallback?: number): number => {
        const n = s === undefined ? fallback : Number(s);
        if (n === undefined || !Number.isInteger(n) || n < 0 || n > 127) throw new Error(`expected a number 0–127, got "${s ?? ''}"`);
        return n;
      };
      try {
        if (!cmd) return;
        if (cmd === 'quit' || cmd === 'exit') stop(0);
        else if (cmd === 'press') pad.pressPad(num(a), num(b, 100));
        else if (cmd === 'release') pad.releasePad(num(a));
        else if (cmd === 'knob') pad.turnKnob(num(a), num(b));
        else if (cmd === 'mode') {
          const r = core.engine.setMode(a ?? '');
          if (!r.ok) emit({ kind: 'command-error', error: r.error }, [`error: ${r.error}`]);
        } else if (cmd === 'devices') for (const d of core.devices.devices()) emit({ kind: 'device', device: d }, [`device   ${d.id} [${d.state}]`]);
        else emit({ kind: 'help', text: HELP }, [HELP.trimEnd()]);
      } catch (err) {
        const error = errorMessage(err);
        emit({ kind: 'command-error', error }, [`error: ${error}`]);
      }
    });
  });
}
