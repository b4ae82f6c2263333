// The status bar's config health: "Config OK" or "N problems"; the button opens the list, and each problem links to
// the mapping and field it belongs to. Reads the store; never edits or saves the config.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useDraftChecks } from '../editors/MappingChecks';
import { useApp } from '../store/context';
import { configProblems, healthText, type ConfigProblem } from '../store/health';
import { Icon } from './Icon';
import './config-health.css';

const SOURCE_TEXT: Record<ConfigProblem['source'], string> = {
  file: 'In the file on disk (Conductor keeps running the last good config)',
  save: 'Why the last Save was refused',
  draft: 'Holding Save back',
};

/** Where a problem is, in words: "Mode Default, mapping 3 (Play)" or "Global mapping 2". */
function placeText(p: ConfigProblem, modeNames: readonly string[], describe: (key: string) => string | null): string | null {
  const t = p.target;
  if (t.kind === 'mode') return `Mode ${modeNames[t.modeIndex] ?? t.modeIndex + 1}${t.field ? `, ${t.field}` : ''}`;
  if (t.kind !== 'mapping') return null;
  const [scope, index] = t.key.split(':');
  const n = Number(index) + 1;
  const desc = describe(t.key);
  const where = scope === 'g' ? `Global mapping ${n}` : `Mode ${modeNames[Number(scope?.slice(1))] ?? '?'}, mapping ${n}`;
  return `${where}${desc ? ` (${desc})` : ''}${t.field ? ` — ${t.field}` : ''}`;
}

export function ConfigHealth() {
  const configState = useApp((s) => s.configState);
  const saveIssues = useApp((s) => s.saveIssues);
  const draft = useApp((s) => s.draft);
  const goTo = useApp((s) => s.goToMappingField);
  const selectScope = useApp((s) => s.selectScope);
  const setView = useApp((s) => s.setView);
  const checks = useDraftChecks();
  const problems = useMemo(() => configProblems(configState, saveIssues, checks.required), [configState, saveIssues, checks.required]);
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  // Escape or a click elsewhere closes the list.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    const onDown = (e: PointerEvent) => panel.current && !panel.current.parentElement?.contains(e.target as Node) && setOpen(false);
    window.addEventListener('keydown', onKey);
    window.addEventListener('pointerdown', onDown);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', onDown);
    };
  }, [open]);
  if (!configState) return null;
  const modeNames = draft?.modes.map((m) => m.name) ?? [];
  const describe = (key: string): string | null => {
    const [scope, index] = key.split(':');
    const list = scope === 'g' ? draft?.globalMappings : draft?.modes[Number(scope?.slice(1))]?.mappings;
    return list?.[Number(index)]?.description || null;
  };
  const show = (p: ConfigProblem) => {
    setOpen(false);
    if (p.target.kind === 'mapping') goTo(p.target.key, p.target.field);
    else if (p.target.kind === 'mode') {
      setView('mappings');
      selectScope(`m${p.target.modeIndex}`);
    } else setView('mappings');
  };
  const ok = problems.length === 0;
  return (
    <span className="status-item health">
      <button
        type="button"
        className={`health-button${ok ? '' : ' has-problems'}`}
        aria-expanded={ok ? undefined : open}
        aria-controls={ok ? undefined : 'health-panel'}
        disabled={ok}
        onClick={() => setOpen(!open)}
        data-testid="config-health"
        title={ok ? `${configState.path} is valid` : 'Show the problems'}
      >
        <Icon name={ok ? 'check' : 'warning'} />
        {healthText(problems)}
      </button>
      {open && !ok ? (
        <div className="health-panel" id="health-panel" ref={panel} role="dialog" aria-label="Config problems" data-testid="config-problems">
          <h2>{healthText(problems)}</h2>
          <ul>
            {problems.map((p) => {
              const where = placeText(p, modeNames, describe);
              return (
                <li key={p.id} data-testid="config-problem" data-source={p.source}>
                  <div>
                    <div>{p.message}</div>
                    <div className="health-where">
                      {[SOURCE_TEXT[p.source], p.place, where ?? p.path].filter(Boolean).join(' · ')}
                    </div>
                  </div>
                  <button type="button" className="small-button" onClick={() => show(p)} data-testid="config-problem-show">
                    Show
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
    </span>
  );
}
