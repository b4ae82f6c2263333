// WasmPlugin action editor: pick an installed plugin and one of its actions, fill a form generated from the
// action's parameters (required ones marked), and "Test" it once (plugins.test) showing result, fuel and time.
// Switching the action drops the params it does not declare behind an Undo; a Test result never outlives its params.
import { useCallback, useEffect, useId, useState, type ReactNode } from 'react';
import { describeCapabilities } from '../../src-shared/capabilities';
import type { Action } from '../../src-shared/config';
import type { ActionParams, ParamValue, PluginParameter } from '../../src-shared/plugin';
import { CheckboxField, FieldShell, NumberField, SelectField, Spinner, TextField, describedBy, useDraftText } from '../components/fields';
import { Icon } from '../components/Icon';
import { ERROR_KIND_WORDS, fileName, formatBytes, formatMs, formatNumber } from '../format';
import { useApp } from '../store/context';
import { deepEqual } from '../store/draft';
import { messagesFor, type FieldIssue } from '../store/issues';
import { findPlugin, isStaleTest, listNames, missingRequired, parseJsonParam, requiredMessage, switchPluginAction } from './plugin-params';

export { findPlugin } from './plugin-params';

type WasmAction = Extract<Action, { type: 'WasmPlugin' }>;

interface Props {
  action: WasmAction;
  onChange: (a: Action) => void;
  issues: readonly FieldIssue[] | undefined;
  /** Field path prefix of this action, e.g. "action" or "action.actions[1]". */
  prefix: string;
  testKey: string;
}

/** The validity key of the "Other parameters" field (a plugin parameter cannot be named so). */
const OTHER_PARAMS = ' other';

/** How long the "dropped parameters" notice offers its Undo. */
const UNDO_MS = 15_000;

/** An action switch that dropped params: what Undo puts back. */
interface DroppedParams {
  previous: WasmAction;
  dropped: string[];
  /** What the switch went to, for the words ("not parameters of fade"). */
  to: string;
}

function paramKind(type: string): 'number' | 'boolean' | 'string' | 'json' {
  const t = type.toLowerCase();
  if (['number', 'integer', 'int', 'float', 'i32', 'i64', 'f32', 'f64', 'u8', 'u16', 'u32'].includes(t)) return 'number';
  if (t === 'boolean' || t === 'bool') return 'boolean';
  if (t === 'string' || t === 'str' || t === 'text' || t === '') return 'string';
  return 'json';
}

/** Reports a JSON field's problem (null = valid) by the field's name, so Test can wait for valid JSON. */
type JsonValidity = (field: string, problem: string | null) => void;

function ParamInput({ param, value, onChange, issues, onValidity }: { param: PluginParameter; value: ParamValue | undefined; onChange: (v: ParamValue | undefined) => void; issues: string[]; onValidity: JsonValidity }) {
  const kind = paramKind(param.type);
  const label = (
    <>
      {param.name} <span className="muted small">({param.type || 'string'})</span>
    </>
  );
  const hint = param.description || undefined;
  if (kind === 'number') {
    return <NumberField label={label} hint={hint} required={param.required} optional={!param.required} value={typeof value === 'number' ? value : undefined} issues={issues} onChange={(v) => onChange(v)} testId={`param-${param.name}`} />;
  }
  if (kind === 'boolean') {
    return <CheckboxField label={label} hint={hint} checked={value === true} issues={issues} onChange={(v) => onChange(v)} testId={`param-${param.name}`} />;
  }
  if (kind === 'string') {
    return (
      <TextField
        label={label}
        hint={hint}
        required={param.required}
        value={typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value)}
        issues={issues}
        onChange={(v) => onChange(v === '' && !param.required ? undefined : v)}
        testId={`param-${param.name}`}
      />
    );
  }
  return <JsonParamField field={param.name} label={label} hint={hint ?? 'JSON value'} required={param.required} value={value} issues={issues} onChange={onChange} onValidity={onValidity} testId={`param-${param.name}`} />;
}

function TestResult({ testKey, action }: { testKey: string; action: WasmAction }) {
  const test = useApp((s) => s.pluginTests[testKey]);
  if (!test || test.running || isStaleTest(test.ranWith, action)) return null;
  if (test.error) {
    return (
      <div className="test-result test-error" role="alert" data-testid="plugin-test-result">
        Test failed: {test.error}
      </div>
    );
  }
  const r = test.result;
  if (!r) return null;
  return (
    <div className={`test-result ${r.ok ? 'test-ok' : 'test-error'}`} role="status" data-testid="plugin-test-result">
      <strong>{r.ok ? '✓ Succeeded' : `✗ ${r.errorKind ? ERROR_KIND_WORDS[r.errorKind] : 'Failed'}`}</strong>
      {r.error ? <span> — {r.error}</span> : null}
      <div className="muted small">
        {r.code !== null ? `code ${r.code} · ` : ''}fuel {formatNumber(r.fuelConsumed)} · {formatMs(r.durationMs)} · memory {formatBytes(r.memoryBytes)}
      </div>
      {r.log.length > 0 ? <pre className="test-log">{r.log.join('\n')}</pre> : null}
    </div>
  );
}

interface JsonParamProps {
  /** The name onValidity reports the problem under. */
  field: string;
  label: ReactNode;
  hint: string;
  required?: boolean;
  objectOnly?: boolean;
  value: ParamValue | undefined;
  issues: string[];
  onChange: (v: ParamValue | undefined) => void;
  onValidity: JsonValidity;
  testId: string;
}

/**
 * A JSON parameter (a json-typed one, or "Other parameters"). Like components' JsonField it sends only valid values;
 * it also reports while its text is not one (Test waits then), and starts over from the draft when that changes (Undo).
 */
function JsonParamField({ field, label, hint, required, objectOnly, value, issues, onChange, onValidity, testId }: JsonParamProps) {
  const id = useId();
  const { text, setText, local, setLocal, sent } = useDraftText(value === undefined ? '' : JSON.stringify(value));
  useEffect(() => {
    onValidity(field, local);
    return () => onValidity(field, null);
  }, [field, local, onValidity]);
  const change = (t: string) => {
    setText(t);
    const parsed = parseJsonParam(t, objectOnly);
    if (!parsed.ok) {
      setLocal(parsed.message);
      return;
    }
    sent(parsed.value === undefined ? '' : JSON.stringify(parsed.value));
    onChange(parsed.value);
  };
  const bad = issues.length > 0 || local !== null;
  return (
    <FieldShell id={id} label={label} hint={hint} issues={issues} local={local} required={required}>
      <textarea
        id={id}
        rows={2}
        value={text}
        aria-invalid={bad || undefined}
        aria-required={required || undefined}
        aria-describedby={describedBy(id, hint, bad)}
        data-testid={testId}
        onChange={(e) => change(e.target.value)}
      />
    </FieldShell>
  );
}

/** "Dropped volume and scene_name — not parameters of fade. Undo": the action switch, undoable for a while. */
function DroppedNotice({ notice, onUndo, onDismiss }: { notice: DroppedParams; onUndo: () => void; onDismiss: () => void }) {
  useEffect(() => {
    const t = setTimeout(onDismiss, UNDO_MS);
    return () => clearTimeout(t);
  }, [notice, onDismiss]);
  return (
    <div className="toast undo-toast" role="status" data-testid="plugin-params-dropped">
      <span>
        Dropped {listNames(notice.dropped)} — not {notice.dropped.length === 1 ? 'a parameter' : 'parameters'} of {notice.to}.
      </span>
      <span className="row">
        <button type="button" className="small-button" onClick={onUndo} data-testid="plugin-params-undo">
          Undo
        </button>
        <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
          <Icon name="close" />
        </button>
      </span>
    </div>
  );
}

export function WasmPluginEditor({ action, onChange, issues, prefix, testKey }: Props) {
  const plugins = useApp((s) => s.plugins);
  const pluginsLoaded = useApp((s) => s.pluginsLoaded);
  const testPlugin = useApp((s) => s.testPlugin);
  const clearTest = useApp((s) => s.clearPluginTest);
  const [droppedNotice, setDroppedNotice] = useState<DroppedParams | null>(null);
  const [jsonProblems, setJsonProblems] = useState<Record<string, string>>({});
  const onJsonValidity = useCallback<JsonValidity>(
    (field, problem) =>
      setJsonProblems((p) => {
        if ((p[field] ?? null) === problem) return p;
        const next = { ...p };
        if (problem === null) delete next[field];
        else next[field] = problem;
        return next;
      }),
    [],
  );
  const dismissDropped = useCallback(() => setDroppedNotice(null), []);
  const testing = useApp((s) => s.pluginTests[testKey]?.running === true);
  const connected = useApp((s) => s.connection.status === 'connected');
  const at = (f: string) => messagesFor(issues, `${prefix}.${f}`);
  const plugin = findPlugin(plugins, action);
  const meta = plugin?.snapshot.metadata ?? null;
  const actionName = typeof action.params.action === 'string' ? action.params.action : '';
  const pluginAction = meta?.actions.find((a) => a.name === actionName);
  const declared = new Set(['action', ...(pluginAction?.parameters.map((p) => p.name) ?? [])]);
  const otherParams = Object.fromEntries(Object.entries(action.params).filter(([k]) => !declared.has(k)));

  /** Every edit of this action goes through here: a Test result of other params is stale from now on. */
  const change = (next: WasmAction) => {
    if (next.path !== action.path || !deepEqual(next.params, action.params)) clearTest(testKey);
    onChange(next);
  };
  const setParams = (params: ActionParams) => change({ ...action, params });
  const setParam = (name: string, v: ParamValue | undefined) => {
    const params = { ...action.params };
    if (v === undefined) delete params[name];
    else params[name] = v;
    setParams(params);
  };
  /** Switches to another plugin and/or action, dropping the params it does not declare (offered back by Undo). */
  const switchTo = (next: WasmAction, dropped: string[], to: string) => {
    change(next);
    setDroppedNotice(dropped.length > 0 ? { previous: action, dropped, to } : null);
  };
  const pickPlugin = (path: string) => {
    if (path === '') return;
    const p = plugins.find((x) => x.wasmPath === path);
    const first = p?.snapshot.metadata?.actions[0];
    const { params, dropped } = first ? switchPluginAction(action.params, first) : { params: {}, dropped: Object.keys(action.params).filter((k) => k !== 'action') };
    switchTo({ type: 'WasmPlugin', path, params }, dropped, first ? `${p?.snapshot.metadata?.name ?? fileName(path)}: ${first.name}` : fileName(path));
  };
  const pickAction = (name: string) => {
    const next = meta?.actions.find((a) => a.name === name);
    if (!next || name === actionName) return;
    const { params, dropped } = switchPluginAction(action.params, next);
    switchTo({ ...action, params }, dropped, next.name);
  };
  const undoSwitch = () => {
    if (!droppedNotice) return;
    change(droppedNotice.previous);
    setDroppedNotice(null);
  };

  const options = [
    ...(plugin ? [] : [{ value: '', label: action.path ? `(not installed) ${fileName(action.path)}` : 'Choose a plugin…' }]),
    ...plugins.map((p) => ({ value: p.wasmPath, label: `${p.snapshot.metadata?.name ?? p.id} ${p.snapshot.metadata?.version ?? ''} — ${fileName(p.wasmPath)}` })),
  ];
  const missing = missingRequired(action.params, pluginAction);
  const badJson = Object.keys(jsonProblems).filter((f) => f === OTHER_PARAMS || pluginAction?.parameters.some((p) => p.name === f));
  const testBlocked = missing.length > 0 ? `Fill in ${listNames(missing.map((p) => p.name))} first` : badJson.length > 0 ? 'Test waits for valid JSON in the parameters' : null;

  return (
    <div className="wasm-editor">
      {pluginsLoaded && plugins.length === 0 ? (
        <p className="empty small">No plugins installed yet — install one in the Plugins view, or type the path of a .wasm file below.</p>
      ) : null}
      <div className="field-grid">
        <SelectField label="Plugin" value={plugin ? plugin.wasmPath : ''} options={options} onChange={pickPlugin} testId="plugin-select" />
        <TextField
          label="Path"
          required
          value={action.pathAsWritten ?? action.path}
          issues={at('path')}
          hint="The .wasm file; ~ means your home folder"
          onChange={(path) => {
            const next: WasmAction = { type: 'WasmPlugin', path, params: action.params };
            change(next);
          }}
          testId="plugin-path"
        />
        {meta && meta.actions.length > 0 ? (
          <SelectField
            label="Plugin action"
            required
            value={pluginAction ? actionName : ''}
            issues={at('params.action')}
            options={[...(pluginAction ? [] : [{ value: '', label: actionName ? `(unknown) ${actionName}` : 'Choose an action…' }]), ...meta.actions.map((a) => ({ value: a.name, label: a.description ? `${a.name} — ${a.description}` : a.name }))]}
            onChange={(v) => v && pickAction(v)}
            testId="plugin-action"
          />
        ) : (
          <TextField label="Plugin action" value={actionName} issues={at('params.action')} hint="The plugin receives it as params.action" onChange={(v) => setParam('action', v === '' ? undefined : v)} testId="plugin-action" />
        )}
      </div>
      {droppedNotice ? <DroppedNotice notice={droppedNotice} onUndo={undoSwitch} onDismiss={dismissDropped} /> : null}
      {plugin && plugin.snapshot.state !== 'ready' ? (
        <div className="banner banner-warn small" role="status">
          {plugin.snapshot.state === 'waiting-approval'
            ? `Waiting for approval of: ${describeCapabilities(plugin.snapshot.pendingCapabilities)} — it does not run until you decide.`
            : `Plugin is ${plugin.snapshot.state}${plugin.snapshot.reason ? `: ${plugin.snapshot.reason}` : ''}.`}
        </div>
      ) : null}
      {pluginAction && pluginAction.parameters.filter((p) => p.name !== 'action').length > 0 ? (
        <fieldset className="editor-group nested">
          <legend>Parameters of {pluginAction.name}</legend>
          <div className="field-grid">
            {pluginAction.parameters
              .filter((p) => p.name !== 'action')
              .map((p) => (
                <ParamInput key={p.name} param={p} value={action.params[p.name]} issues={at(`params.${p.name}`)} onChange={(v) => setParam(p.name, v)} onValidity={onJsonValidity} />
              ))}
          </div>
          <p className="muted small">
            <span aria-hidden="true">*</span> required
          </p>
        </fieldset>
      ) : null}
      <JsonParamField
        field={OTHER_PARAMS}
        label={pluginAction ? 'Other parameters' : 'Parameters'}
        hint='A JSON object sent to the plugin with the action, e.g. {"volume": 50}'
        objectOnly
        value={Object.keys(otherParams).length > 0 ? otherParams : undefined}
        issues={at('params')}
        onValidity={onJsonValidity}
        onChange={(v) => {
          const kept = Object.fromEntries(Object.entries(action.params).filter(([k]) => declared.has(k)));
          setParams({ ...kept, ...(v && typeof v === 'object' && !Array.isArray(v) ? v : {}) });
        }}
        testId="plugin-params-json"
      />
      <div className="row">
        <button
          type="button"
          disabled={!connected || testing || action.path === '' || testBlocked !== null}
          onClick={() => void testPlugin(testKey, action.path, action.params)}
          data-testid="plugin-test"
          title={testBlocked ?? 'Run this action once now'}
        >
          Test
        </button>
        {testing ? (
          <span>
            <Spinner label="Running the plugin" /> Running…
          </span>
        ) : null}
        {testBlocked !== null ? (
          <span className="muted small" data-testid="plugin-test-blocked">
            {missing.length > 0 ? missing.map((p) => requiredMessage(p.name, pluginAction?.name ?? '')).join('; ') : testBlocked}
          </span>
        ) : null}
      </div>
      <TestResult testKey={testKey} action={action} />
    </div>
  );
}
