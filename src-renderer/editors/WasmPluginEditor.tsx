// WasmPlugin action editor: pick an installed plugin and one of its actions, fill a form generated from the
// action's parameters (required ones marked), and "Test" it once (plugins.test) showing result, fuel and time.
import { describeCapabilities } from '../../src-shared/capabilities';
import type { Action } from '../../src-shared/config';
import type { PluginInfo } from '../../src-shared/contract';
import type { ActionParams, ParamValue, PluginParameter } from '../../src-shared/plugin';
import { CheckboxField, JsonField, NumberField, SelectField, Spinner, TextField } from '../components/fields';
import { ERROR_KIND_WORDS, fileName, formatBytes, formatMs, formatNumber } from '../format';
import { useApp } from '../store/context';
import { messagesFor, type FieldIssue } from '../store/issues';

type WasmAction = Extract<Action, { type: 'WasmPlugin' }>;

interface Props {
  action: WasmAction;
  onChange: (a: Action) => void;
  issues: readonly FieldIssue[] | undefined;
  /** Field path prefix of this action, e.g. "action" or "action.actions[1]". */
  prefix: string;
  testKey: string;
}

/** The installed plugin a mapping's path refers to (by expanded or as-written path). */
export function findPlugin(plugins: readonly PluginInfo[], a: WasmAction): PluginInfo | undefined {
  return plugins.find((p) => p.wasmPath === a.path || p.snapshot.wasmPath === a.path || (a.pathAsWritten !== undefined && p.wasmPath === a.pathAsWritten));
}

function paramKind(type: string): 'number' | 'boolean' | 'string' | 'json' {
  const t = type.toLowerCase();
  if (['number', 'integer', 'int', 'float', 'i32', 'i64', 'f32', 'f64', 'u8', 'u16', 'u32'].includes(t)) return 'number';
  if (t === 'boolean' || t === 'bool') return 'boolean';
  if (t === 'string' || t === 'str' || t === 'text' || t === '') return 'string';
  return 'json';
}

function ParamInput({ param, value, onChange, issues }: { param: PluginParameter; value: ParamValue | undefined; onChange: (v: ParamValue | undefined) => void; issues: string[] }) {
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
  return <JsonField label={label} hint={hint ?? 'JSON value'} required={param.required} value={value} issues={issues} onChange={onChange} testId={`param-${param.name}`} />;
}

function TestResult({ testKey }: { testKey: string }) {
  const test = useApp((s) => s.pluginTests[testKey]);
  if (!test || test.running) return null;
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

export function WasmPluginEditor({ action, onChange, issues, prefix, testKey }: Props) {
  const plugins = useApp((s) => s.plugins);
  const pluginsLoaded = useApp((s) => s.pluginsLoaded);
  const testPlugin = useApp((s) => s.testPlugin);
  const testing = useApp((s) => s.pluginTests[testKey]?.running === true);
  const connected = useApp((s) => s.connection.status === 'connected');
  const at = (f: string) => messagesFor(issues, `${prefix}.${f}`);
  const plugin = findPlugin(plugins, action);
  const meta = plugin?.snapshot.metadata ?? null;
  const actionName = typeof action.params.action === 'string' ? action.params.action : '';
  const pluginAction = meta?.actions.find((a) => a.name === actionName);
  const declared = new Set(['action', ...(pluginAction?.parameters.map((p) => p.name) ?? [])]);
  const otherParams = Object.fromEntries(Object.entries(action.params).filter(([k]) => !declared.has(k)));

  const setParams = (params: ActionParams) => onChange({ ...action, params });
  const setParam = (name: string, v: ParamValue | undefined) => {
    const params = { ...action.params };
    if (v === undefined) delete params[name];
    else params[name] = v;
    setParams(params);
  };
  const pickPlugin = (path: string) => {
    if (path === '') return;
    const p = plugins.find((x) => x.wasmPath === path);
    const first = p?.snapshot.metadata?.actions[0]?.name;
    const next: WasmAction = { type: 'WasmPlugin', path, params: first ? { action: first } : {} };
    onChange(next);
  };

  const options = [
    ...(plugin ? [] : [{ value: '', label: action.path ? `(not installed) ${fileName(action.path)}` : 'Choose a plugin…' }]),
    ...plugins.map((p) => ({ value: p.wasmPath, label: `${p.snapshot.metadata?.name ?? p.id} ${p.snapshot.metadata?.version ?? ''} — ${fileName(p.wasmPath)}` })),
  ];
  const missingRequired = pluginAction?.parameters.filter((p) => p.required && (action.params[p.name] === undefined || action.params[p.name] === '')) ?? [];

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
            onChange(next);
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
            onChange={(v) => v && setParam('action', v)}
            testId="plugin-action"
          />
        ) : (
          <TextField label="Plugin action" value={actionName} issues={at('params.action')} hint="The plugin receives it as params.action" onChange={(v) => setParam('action', v === '' ? undefined : v)} testId="plugin-action" />
        )}
      </div>
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
                <ParamInput key={p.name} param={p} value={action.params[p.name]} issues={at(`params.${p.name}`)} onChange={(v) => setParam(p.name, v)} />
              ))}
          </div>
          <p className="muted small">
            <span aria-hidden="true">*</span> required
          </p>
        </fieldset>
      ) : null}
      <JsonField
        label={pluginAction ? 'Other parameters' : 'Parameters'}
        hint='A JSON object sent to the plugin with the action, e.g. {"volume": 50}'
        objectOnly
        value={Object.keys(otherParams).length > 0 ? otherParams : undefined}
        issues={at('params')}
        onChange={(v) => {
          const kept = Object.fromEntries(Object.entries(action.params).filter(([k]) => declared.has(k)));
          setParams({ ...kept, ...(v && typeof v === 'object' && !Array.isArray(v) ? v : {}) });
        }}
        testId="plugin-params-json"
      />
      <div className="row">
        <button
          type="button"
          disabled={!connected || testing || action.path === '' || missingRequired.length > 0}
          onClick={() => void testPlugin(testKey, action.path, action.params)}
          data-testid="plugin-test"
          title={missingRequired.length > 0 ? `Fill in ${missingRequired.map((p) => p.name).join(', ')} first` : 'Run this action once now'}
        >
          Test
        </button>
        {testing ? (
          <span>
            <Spinner label="Running the plugin" /> Running…
          </span>
        ) : null}
        {missingRequired.length > 0 ? <span className="muted small">Required: {missingRequired.map((p) => p.name).join(', ')}</span> : null}
      </div>
      <TestResult testKey={testKey} />
    </div>
  );
}
