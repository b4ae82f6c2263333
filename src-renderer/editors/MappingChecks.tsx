// What the mapping cards and the Save bar say about the draft before it is saved: missing required plugin parameters
// (Save waits for them) and trigger conflicts (a note only). Reads the store; never edits the draft or saves.
import { useMemo } from 'react';
import { useApp } from '../store/context';
import { findConflicts } from './mapping-conflicts';
import { requiredParamProblems, type RequiredProblem } from './plugin-params';

export interface DraftChecks {
  /** Missing required parameters, all of them (Save is blocked while there is one). */
  required: readonly RequiredProblem[];
  /** The same by mapping location key. */
  requiredByMapping: ReadonlyMap<string, readonly RequiredProblem[]>;
  /** Conflict notes by mapping location key. */
  conflicts: ReadonlyMap<string, readonly string[]>;
}

const NONE: DraftChecks = { required: [], requiredByMapping: new Map(), conflicts: new Map() };

/** The checks of the current draft against the installed plugins, recomputed only when either changes. */
export function useDraftChecks(): DraftChecks {
  const draft = useApp((s) => s.draft);
  const plugins = useApp((s) => s.plugins);
  return useMemo(() => {
    if (!draft) return NONE;
    const required = requiredParamProblems(draft, plugins);
    const requiredByMapping = new Map<string, RequiredProblem[]>();
    for (const p of required) requiredByMapping.set(p.key, [...(requiredByMapping.get(p.key) ?? []), p]);
    return { required, requiredByMapping, conflicts: findConflicts(draft) };
  }, [draft, plugins]);
}

/** Why Save is held back, in one line; null when it is not. */
export function saveBlockedReason(checks: DraftChecks): string | null {
  const first = checks.required[0];
  if (!first) return null;
  const more = checks.required.length - 1;
  return `Can't save yet: ${first.message}${more > 0 ? ` (and ${more} more)` : ''}`;
}

/** Under a mapping's summary: why it holds Save back, and which other mappings share its trigger. */
export function MappingCardNotes({ mkey, checks }: { mkey: string; checks: DraftChecks }) {
  const required = checks.requiredByMapping.get(mkey) ?? [];
  const conflicts = checks.conflicts.get(mkey) ?? [];
  if (required.length === 0 && conflicts.length === 0) return null;
  return (
    <>
      {required.length > 0 ? (
        <div className="row-issues" role="alert" data-testid="mapping-required">
          Not saved until filled in: {required.map((p) => p.message).join('; ')}
        </div>
      ) : null}
      {conflicts.map((c) => (
        <div key={c} className="row-conflict" data-testid="mapping-conflict">
          {c}
        </div>
      ))}
    </>
  );
}
