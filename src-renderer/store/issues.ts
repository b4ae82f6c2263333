// Maps config issue segments (['modes', 0, 'mappings', 3, 'trigger', 'Note', 'note'], the file's names) to the field
// that shows them (mapping "m0:3", field "trigger.note"). Pure; never decides validity, never parses display text.
import { ACTION_FIELDS, ACTION_TYPES, TRIGGER_FIELDS, TRIGGER_TYPES, type Action, type ConfigIssue, type ConfigPathSegments, type Mapping } from '../../src-shared/config';
import { locationKey } from './draft';

type Segment = ConfigPathSegments[number];

/** `velocity_min` → `velocityMin` (issue paths name the file's keys; the form uses the app's names). */
export function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

const TRIGGER_TYPE_SET = new Set<string>(TRIGGER_TYPES);
const ACTION_TYPE_SET = new Set<string>(ACTION_TYPES);

function typedBody(segs: readonly Segment[], prefix: string, types: Set<string>, body: (rest: readonly Segment[], prefix: string) => string): string {
  const [first, ...rest] = segs;
  if (first === undefined) return prefix;
  if (first === 'type') return `${prefix}.type`;
  if (typeof first === 'string' && types.has(first)) return body(rest, prefix);
  // An unknown type name (canonical form: one PascalCase key naming the type).
  if (typeof first === 'string' && /^[A-Z]/.test(first)) return `${prefix}.type`;
  // Tagged form: the fields sit right under the trigger/action.
  return body(segs, prefix);
}

function plainField(segs: readonly Segment[], prefix: string): string {
  let out = prefix;
  for (const s of segs) out += typeof s === 'number' ? `[${s}]` : `.${camel(s)}`;
  return out;
}

function actionField(segs: readonly Segment[], prefix: string): string {
  return typedBody(segs, prefix, ACTION_TYPE_SET, (rest, p) => {
    const [field, ...more] = rest;
    if (field === undefined) return p;
    if (typeof field === 'number') return plainField(rest, p);
    const name = camel(field);
    if (name === 'actions' && typeof more[0] === 'number') return actionField(more.slice(1), `${p}.actions[${more[0]}]`);
    if (name === 'action') return actionField(more, `${p}.action`);
    if (name === 'params') return plainField(more, `${p}.params`);
    return `${p}.${name}`;
  });
}

function triggerField(segs: readonly Segment[]): string {
  return typedBody(segs, 'trigger', TRIGGER_TYPE_SET, (rest, p) => {
    const [field] = rest;
    if (field === undefined) return p;
    return typeof field === 'number' ? p : `${p}.${camel(field)}`;
  });
}

export type IssueTarget =
  | { kind: 'mapping'; key: string; field: string }
  | { kind: 'mode'; modeIndex: number; field: string }
  | { kind: 'other' };

/** Where an issue belongs in the form, by its segments (main sends them; [] = the whole file). */
export function issueTarget(segments: ConfigPathSegments): IssueTarget {
  if (segments.length === 0) return { kind: 'other' };
  const [head, idx, ...rest] = segments;
  let key: string;
  let mappingSegs: readonly Segment[];
  if (head === 'modes' && typeof idx === 'number') {
    const [sub, mi, ...after] = rest;
    if (sub === undefined) return { kind: 'mode', modeIndex: idx, field: '' };
    if (sub !== 'mappings' || typeof mi !== 'number') return { kind: 'mode', modeIndex: idx, field: typeof sub === 'string' ? camel(sub) : '' };
    key = locationKey({ scope: { kind: 'mode', modeIndex: idx }, index: mi });
    mappingSegs = after;
  } else if ((head === 'global_mappings' || head === 'globalMappings') && typeof idx === 'number') {
    key = locationKey({ scope: { kind: 'global' }, index: idx });
    mappingSegs = rest;
  } else {
    return { kind: 'other' };
  }
  const [part, ...inner] = mappingSegs;
  if (part === undefined) return { kind: 'mapping', key, field: '' };
  if (part === 'trigger') return { kind: 'mapping', key, field: triggerField(inner) };
  if (part === 'action') return { kind: 'mapping', key, field: actionField(inner, 'action') };
  return { kind: 'mapping', key, field: plainField(mappingSegs, '').slice(1) };
}

export interface FieldIssue {
  field: string;
  message: string;
  line: number | null;
}

export interface IssueIndex {
  /** By mapping location key ("m0:3", "g:1"). */
  byMapping: ReadonlyMap<string, readonly FieldIssue[]>;
  /** By mode index (its name, colour, or the mode table itself). */
  byMode: ReadonlyMap<number, readonly FieldIssue[]>;
  /** Whole-file and non-mapping issues (device, wasm, syntax errors…), listed at the top. */
  other: readonly ConfigIssue[];
}

export const EMPTY_ISSUE_INDEX: IssueIndex = { byMapping: new Map(), byMode: new Map(), other: [] };

export function indexIssues(issues: readonly ConfigIssue[]): IssueIndex {
  if (issues.length === 0) return EMPTY_ISSUE_INDEX;
  const byMapping = new Map<string, FieldIssue[]>();
  const byMode = new Map<number, FieldIssue[]>();
  const other: ConfigIssue[] = [];
  for (const issue of issues) {
    const t = issueTarget(issue.segments ?? []);
    const fi: FieldIssue = { field: t.kind === 'other' ? '' : t.field, message: issue.message, line: issue.line };
    if (t.kind === 'mapping') byMapping.set(t.key, [...(byMapping.get(t.key) ?? []), fi]);
    else if (t.kind === 'mode') byMode.set(t.modeIndex, [...(byMode.get(t.modeIndex) ?? []), fi]);
    else other.push(issue);
  }
  return { byMapping, byMode, other };
}

export function messagesFor(issues: readonly FieldIssue[] | undefined, field: string): string[] {
  return (issues ?? []).filter((i) => i.field === field).map((i) => i.message);
}

function actionFields(a: Action, prefix: string, out: Set<string>, paramNames: (a: Extract<Action, { type: 'WasmPlugin' }>) => readonly string[]): void {
  out.add(prefix);
  out.add(`${prefix}.type`);
  for (const f of ACTION_FIELDS[a.type]) out.add(`${prefix}.${camel(f)}`);
  if (a.type === 'Sequence') a.actions.forEach((inner, i) => actionFields(inner, `${prefix}.actions[${i}]`, out, paramNames));
  if (a.type === 'Repeat') actionFields(a.action, `${prefix}.action`, out, paramNames);
  if (a.type === 'WasmPlugin') for (const p of paramNames(a)) out.add(`${prefix}.params.${p}`);
}

/** The field paths the mapping editor shows an issue next to; anything else goes in the editor's general list. */
export function editorFields(m: Mapping, paramNames: (a: Extract<Action, { type: 'WasmPlugin' }>) => readonly string[] = () => []): Set<string> {
  const out = new Set<string>(['description', 'trigger', 'trigger.type']);
  for (const f of TRIGGER_FIELDS[m.trigger.type]) out.add(`trigger.${camel(f)}`);
  actionFields(m.action, 'action', out, paramNames);
  return out;
}
