// `conductor config check FILE [--json]`: validates a config.toml the way the app reads it and lists every problem
// (FILE:LINE:COL: path: message) or summarises it; `config templates` lists the device templates and `config new`
// writes a config from one (or the default). Never runs a config, never overwrites a file without --force, never
// prints a file's text unescaped.
import { readFile } from 'node:fs/promises';
import type { ConfigIssue } from '../../src-shared/config';
import { errorCode, errorMessage } from '../../src-shared/errors';
import { summarizeConfig, type ConfigSummary, type MappingSummary } from '../config/config-summary';
import { parseConfigText } from '../config/schema';
import { describePolicy } from '../trust/policy';
import { terminalJson, terminalText } from '../../src-shared/terminal-text';
import { configPath } from '../common/paths';
import { readDefaultConfigText } from '../config/default-config';
import { createConfigFromTemplate, listTemplates, TemplateError, templatesDir, writeNewConfigFile } from '../config/templates';

/** Where a command writes (process.stdout/stderr by default; tests pass collectors). */
export interface CommandOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** The JSON printed by `config check --json`. */
export interface ConfigCheckJson {
  ok: boolean;
  file: string;
  issues: ConfigIssue[];
  summary: ConfigSummary | null;
}

/** `FILE:LINE:COL: path: message`, or `FILE: path: message` without a position (the path is left out when empty). */
export function formatIssue(file: string, issue: ConfigIssue): string {
  const where = issue.line === null ? file : `${file}:${issue.line}:${issue.column ?? 1}`;
  return `${where}: ${issue.path === '' ? '' : `${issue.path}: `}${issue.message}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// The summary's text comes from the file (names, descriptions, paths, plugin params): each value is escaped.
function mappingLines(mappings: MappingSummary[]): string[] {
  return mappings.map((m, i) => `  ${i + 1}. ${m.description ? `${terminalJson(m.description)}: ` : ''}${terminalText(m.trigger)} → ${terminalText(m.action)}`);
}

function summaryText(path: string, s: ConfigSummary): string {
  const file = terminalText(path);
  const d = s.device;
  const device = d.name === null ? 'the first hardware input, else the virtual controller' : `"${terminalText(d.name)}"${d.port === null ? '' : ` (port ${d.port})`}`;
  const lines = [
    `${file}: OK`,
    `device: ${device}; auto-connect ${d.autoConnect ? 'on' : 'off'}, auto-reconnect ${d.autoReconnect ? 'on' : 'off'}`,
    `signatures: ${describePolicy(s.wasm)}`,
    `timing: hold ${s.timing.holdThresholdMs} ms, double-tap ${s.timing.doubleTapTimeoutMs} ms, chord ${s.timing.chordTimeoutMs} ms`,
    `${plural(s.modes.length, 'mode')}, ${plural(s.mappingCount, 'mapping')} (${s.globalMappings.length} global)`,
  ];
  for (const mode of s.modes) {
    const color = mode.color === null ? '' : ` (${terminalText(mode.color)})`;
    lines.push('', `mode "${terminalText(mode.name)}"${color}: ${plural(mode.mappings.length, 'mapping')}`, ...mappingLines(mode.mappings));
  }
  if (s.globalMappings.length > 0) lines.push('', `global mappings (every mode): ${s.globalMappings.length}`, ...mappingLines(s.globalMappings));
  if (s.unknownKeys.length > 0) lines.push('', `not used by Conductor Desktop (kept when saving): ${terminalText(s.unknownKeys.join(', '))}`);
  return `${lines.join('\n')}\n`;
}

/** Exit status 0 when the file is valid, 1 when it has problems (or cannot be read). */
export async function configCheckCommand(file: string, json: boolean, out: CommandOutput = process): Promise<number> {
  let issues: ConfigIssue[];
  let summary: ConfigSummary | null = null;
  try {
    const result = parseConfigText(await readFile(file, 'utf8'), file);
    issues = result.issues;
    if (result.config) summary = summarizeConfig(result.config);
  } catch (err) {
    const code = errorCode(err);
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : errorMessage(err);
    issues = [{ path: '', segments: [], message: `cannot read: ${reason}`, line: null, column: null }];
  }
  const ok = issues.length === 0;
  if (json) {
    const body: ConfigCheckJson = { ok, file, issues, summary };
    out.stdout.write(`${terminalJson(body, 2)}\n`);
  } else if (summary) {
    out.stdout.write(summaryText(file, summary));
  } else {
    out.stdout.write(`${issues.map((i) => terminalText(formatIssue(file, i))).join('\n')}\n`);
    out.stderr.write(`${plural(issues.length, 'problem')} in ${terminalText(file)}\n`);
  }
  return ok ? 0 : 1;
}

/** `config templates [--json]`: the device templates this build ships, one a line (id, kind, title, device names). */
export async function configTemplatesCommand(json: boolean, out: CommandOutput = process, dir: string | null = templatesDir()): Promise<number> {
  const templates = await listTemplates(dir);
  if (json) {
    out.stdout.write(`${terminalJson(templates, 2)}\n`);
    return 0;
  }
  if (templates.length === 0) {
    out.stdout.write('No device templates in this build.\n');
    return 0;
  }
  const width = Math.max(...templates.map((t) => t.id.length));
  const lines = templates.map((t) => {
    const names = t.match.length === 0 ? 'any device (set [device] name yourself)' : t.match.map((m) => `"${m}"`).join(', ');
    return `${t.id.padEnd(width)}  ${t.kind === 'midi' ? 'MIDI   ' : 'gamepad'}  ${terminalText(t.title)} — ${names}`;
  });
  out.stdout.write(`${lines.join('\n')}\n\nconductor config new --template ID [PATH] writes a config from one.\n`);
  return 0;
}

export interface ConfigNewOptions {
  /** A template's id or title, or a device name that calls for one; absent: the commented default config. */
  template?: string;
  force?: boolean;
  /** Where to write (default: the app's config.toml). */
  path?: string;
  /** Where the templates are (tests); default the shipped folder. */
  templatesDir?: string | null;
}

function countMappings(modes: readonly { mappings: readonly unknown[] }[], global: readonly unknown[]): number {
  return modes.reduce((n, m) => n + m.mappings.length, global.length);
}

/**
 * `config new [--template NAME] [--force] [PATH]`: writes PATH (default the app's config.toml) atomically from the
 * template, or from the shipped default config without one. Exit 1 when PATH exists (without --force) or the template
 * is unknown (the known ones are listed).
 */
export async function configNewCommand(options: ConfigNewOptions, out: CommandOutput = process): Promise<number> {
  const path = options.path ?? configPath();
  const file = terminalText(path);
  try {
    if (options.template === undefined) {
      const text = await readDefaultConfigText();
      if (text === null) throw new TemplateError('this build has no default config (resources/default-config.toml)');
      const backup = await writeNewConfigFile(path, text, options.force === true);
      out.stdout.write(`${file}: written from the default config${backup ? ` (the old file is ${terminalText(backup)})` : ''}\n`);
      return 0;
    }
    const created = await createConfigFromTemplate(options.template, path, { force: options.force === true, dir: options.templatesDir === undefined ? templatesDir() : options.templatesDir });
    const c = created.config;
    out.stdout.write(
      `${file}: written from the template "${created.template.id}" (${terminalText(created.template.title)}): ${plural(c.modes.length, 'mode')}, ${plural(countMappings(c.modes, c.globalMappings), 'mapping')}` +
        `${created.backupPath ? `; the old file is ${terminalText(created.backupPath)}` : ''}\n` +
        `check it with: conductor config check ${file}\n`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    out.stderr.write(`conductor: ${terminalText(err.message)}\n`);
    return 1;
  }
}
