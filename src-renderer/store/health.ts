// Config health: every problem the user should know about in one list — the file on disk (a broken hand edit), the
// last refused save, and what holds the draft's Save back — each with where it belongs (mapping and field, by the
// structured issue segments). Pure; never validates the config itself (main does) and never parses message text.
import type { ConfigIssue } from '../../src-shared/config';
import type { ConfigState } from '../../src-shared/contract';
import type { RequiredProblem } from '../editors/plugin-params';
import { issueTarget, type IssueTarget } from './issues';

export interface ConfigProblem {
  /** Unique within one list (React key). */
  id: string;
  /** 'file': config.toml as it is on disk (the app runs the last good config); 'save': the last Save was refused; 'draft': Save is held back. */
  source: 'file' | 'save' | 'draft';
  message: string;
  /** Where in the file, when known: "config.toml line 12, column 5". */
  place: string | null;
  /** The config path as written (`modes[0].mappings[2].trigger`), when there is one. */
  path: string | null;
  target: IssueTarget;
}

function baseName(path: string): string {
  return path.replace(/^.*[\\/]/, '');
}

function fromIssue(issue: ConfigIssue, source: 'file' | 'save', i: number, file: string | null): ConfigProblem {
  const at = issue.line !== null ? `line ${issue.line}${issue.column !== null ? `, column ${issue.column}` : ''}` : null;
  return {
    id: `${source}:${i}`,
    source,
    message: issue.message,
    place: file && at ? `${baseName(file)} ${at}` : at,
    path: issue.path || null,
    target: issueTarget(issue.segments ?? []),
  };
}

/** The problems of the config, file first (it is what runs), then the refused save, then what holds Save back. */
export function configProblems(configState: ConfigState | null, saveIssues: readonly ConfigIssue[], required: readonly RequiredProblem[]): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  (configState?.issues ?? []).forEach((issue, i) => out.push(fromIssue(issue, 'file', i, configState?.path ?? null)));
  saveIssues.forEach((issue, i) => out.push(fromIssue(issue, 'save', i, null)));
  required.forEach((p, i) => out.push({ id: `draft:${i}`, source: 'draft', message: p.message, place: null, path: null, target: { kind: 'mapping', key: p.key, field: p.field } }));
  return out;
}

/** "Config OK", "1 problem", "3 problems". */
export function healthText(problems: readonly ConfigProblem[]): string {
  if (problems.length === 0) return 'Config OK';
  return `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
}
