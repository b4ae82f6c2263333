// A plugin's limits in the Plugins view: what they are (custom ones marked), an editor that keeps every value within
// LIMIT_BOUNDS (checked live, and again by main), reset to defaults, and the one-click raise troubleshooting offers.
// Main stores them in config.toml ([wasm.limits.<plugin>]) and reloads the plugin; nothing is applied here. Saving or
// resetting the numbers keeps the plugin's isolation override (PluginIsolation.tsx edits that).
import { useId, useState } from 'react';
import type { PluginInfo } from '../../src-shared/contract';
import { DEFAULT_LIMITS, EDITABLE_LIMITS, LIMIT_BOUNDS, limitProblem, type EditableLimit, type PluginLimitOverrides, type PluginLimits } from '../../src-shared/plugin';
import { formatNumber } from '../format';
import { useApp } from '../store/context';
import { formatLimit, type LimitRaise } from './plugin-help';
import { keepIsolation } from './plugin-isolation';

const MIB = 1024 * 1024;

/** How each limit is typed in the form: its label and the unit of the number field. */
const FIELDS: Record<EditableLimit, { label: string; unit: string; scale: number }> = {
  fuelPerCall: { label: 'Fuel per call', unit: 'instructions', scale: 1 },
  memoryBytes: { label: 'Memory', unit: 'MiB', scale: MIB },
  tableElements: { label: 'Table size', unit: 'elements', scale: 1 },
  callTimeoutMs: { label: 'Timeout per call', unit: 'ms', scale: 1 },
};

type Texts = Record<EditableLimit, string>;

function textsOf(limits: Record<EditableLimit, number>): Texts {
  const out = {} as Texts;
  for (const l of EDITABLE_LIMITS) out[l] = String(limits[l] / FIELDS[l].scale);
  return out;
}

/** The problem with one typed value (empty, not a number, out of bounds), or null. */
function fieldProblem(limit: EditableLimit, text: string): string | null {
  if (text.trim() === '') return 'required';
  const n = Number(text);
  if (!Number.isFinite(n)) return 'not a number';
  return limitProblem(limit, n * FIELDS[limit].scale);
}

function boundsText(limit: EditableLimit): string {
  const { scale, unit } = FIELDS[limit];
  const [min, max] = LIMIT_BOUNDS[limit];
  return `${formatNumber(min / scale)}–${formatNumber(max / scale)} ${unit}, default ${formatNumber(DEFAULT_LIMITS[limit] / scale)}`;
}

/** The editable limits of a full set (what plugins.setLimits takes; main drops those equal to the defaults), and the isolation override if set. */
function editableOf(limits: PluginLimits): PluginLimitOverrides {
  const out: PluginLimitOverrides = {};
  for (const l of EDITABLE_LIMITS) out[l] = limits[l];
  if (limits.isolation !== undefined) out.isolation = limits.isolation;
  return out;
}

/** The one-click raise offered next to a troubleshooting hint. */
export function RaiseLimitButton({ plugin, raise }: { plugin: PluginInfo; raise: LimitRaise }) {
  const setLimits = useApp((s) => s.setPluginLimits);
  const busy = useApp((s) => s.pluginBusy[plugin.id] === true);
  return (
    <button type="button" disabled={busy} data-testid={`plugin-raise-${raise.limit}`} onClick={() => void setLimits(plugin.id, { ...editableOf(plugin.snapshot.limits), [raise.limit]: raise.to })}>
      {raise.label}
    </button>
  );
}

export function PluginLimits({ plugin }: { plugin: PluginInfo }) {
  const limits = plugin.snapshot.limits;
  const setLimits = useApp((s) => s.setPluginLimits);
  const busy = useApp((s) => s.pluginBusy[plugin.id] === true);
  const [texts, setTexts] = useState<Texts | null>(null);
  const [error, setError] = useState<string | null>(null);
  const baseId = useId();
  const custom = EDITABLE_LIMITS.filter((l) => limits[l] !== DEFAULT_LIMITS[l]);

  if (texts === null) {
    return (
      <div data-testid="plugin-limits">
        <span data-testid="plugin-limits-text">
          {EDITABLE_LIMITS.map((l, i) => (
            <span key={l} className={custom.includes(l) ? 'limit-custom' : undefined} data-testid={`plugin-limit-${l}`} data-custom={custom.includes(l) || undefined}>
              {i > 0 ? ' · ' : ''}
              {FIELDS[l].label.toLowerCase()} {formatLimit(l, limits[l])}
              {custom.includes(l) ? ' (custom)' : ''}
            </span>
          ))}
        </span>{' '}
        <button type="button" className="link" disabled={busy} data-testid="plugin-limits-edit" onClick={() => setTexts(textsOf(limits))}>
          Edit limits
        </button>
      </div>
    );
  }

  const problems = Object.fromEntries(EDITABLE_LIMITS.map((l) => [l, fieldProblem(l, texts[l])])) as Record<EditableLimit, string | null>;
  const valid = EDITABLE_LIMITS.every((l) => problems[l] === null);
  const save = async (overrides: PluginLimitOverrides | null) => {
    setError(null);
    const err = await setLimits(plugin.id, keepIsolation(plugin.snapshot, overrides));
    if (err) setError(err);
    else setTexts(null);
  };
  return (
    <form
      className="limits-form"
      data-testid="plugin-limits-form"
      aria-label={`Limits of ${plugin.snapshot.metadata?.name ?? plugin.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!valid) return;
        const overrides: PluginLimitOverrides = {};
        for (const l of EDITABLE_LIMITS) overrides[l] = Number(texts[l]) * FIELDS[l].scale;
        void save(overrides);
      }}
    >
      {EDITABLE_LIMITS.map((l) => {
        const id = `${baseId}-${l}`;
        const problem = problems[l];
        return (
          <div key={l} className="limit-field">
            <label htmlFor={id}>
              {FIELDS[l].label} ({FIELDS[l].unit})
            </label>
            <input
              id={id}
              type="number"
              inputMode="numeric"
              step={1}
              min={LIMIT_BOUNDS[l][0] / FIELDS[l].scale}
              max={LIMIT_BOUNDS[l][1] / FIELDS[l].scale}
              value={texts[l]}
              aria-invalid={problem ? true : undefined}
              aria-describedby={`${id}-hint`}
              data-testid={`limit-input-${l}`}
              onChange={(e) => setTexts({ ...texts, [l]: e.target.value })}
            />
            <span id={`${id}-hint`} className={problem ? 'text-error' : 'muted'} data-testid={problem ? `limit-error-${l}` : undefined}>
              {problem ? `${problem} (${boundsText(l)})` : boundsText(l)}
            </span>
          </div>
        );
      })}
      <div className="limit-actions">
        <button type="submit" className="primary" disabled={busy || !valid} data-testid="plugin-limits-save">
          Save limits
        </button>{' '}
        <button type="button" disabled={busy} data-testid="plugin-limits-reset" onClick={() => void save(null)}>
          Reset to defaults
        </button>{' '}
        <button type="button" onClick={() => setTexts(null)} data-testid="plugin-limits-cancel">
          Cancel
        </button>
      </div>
      <p className="muted">Saved in config.toml under [wasm.limits.{plugin.id}]; the plugin restarts with them.</p>
      {error ? (
        <p className="text-error" role="alert" data-testid="plugin-limits-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}
