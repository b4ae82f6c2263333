// `conductor config check FILE [--json]`: validates a config.toml the way the app reads it and lists every problem
// (FILE:LINE:COL: path: message) or summarises it. Reads the file only; never writes or runs it, never prints its text unescaped.
import { readFile } from 'node:fs/promises';
import type { ConfigIssue } from '../../src-shared/config';
import { errorCode, errorMessage } from '../../src-shared/errors';
import { summarizeConfig, type ConfigSummary, type MappingSummary } from '../config/config-summary';
import { parseConfigText } from '../config/schema';
import { describePolicy } from '../trust/policy';
import { terminalJson, terminalText } from '../../src-shared/terminal-text';

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
