// "Start from a template" on the Devices view: the offer for a connected device that has a template, and the chooser
// listing every template. Applying one replaces the draft's mappings after a confirm; never saves the config itself.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { TemplateInfo } from '../../src-shared/device-templates';
import { Icon } from '../components/Icon';
import { useApp } from '../store/context';
import { templateOffer } from '../store/slices/templates';
import './templates.css';

/** The confirm step: what applying does to the user's mappings, and the one button that does it. */
function ConfirmApply({ template, onDone }: { template: TemplateInfo; onDone: (applied: boolean) => void }) {
  const apply = useApp((s) => s.applyTemplate);
  const applying = useApp((s) => s.applyingTemplate !== null);
  const modes = useApp((s) => s.draft?.modes.length ?? 0);
  const mappings = useApp((s) => (s.draft ? s.draft.modes.reduce((n, m) => n + m.mappings.length, s.draft.globalMappings.length) : 0));
  const box = useRef<HTMLDivElement>(null);
  // A block body: newer Chromium's scrollIntoView returns a promise, which React would take for a cleanup function.
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  return (
    <div ref={box} className="template-confirm" role="alertdialog" aria-label={`Use the ${template.title} template?`} data-testid="template-confirm">
      <p>
        <strong>Replace your mappings with the {template.title} template?</strong> Your {modes} {modes === 1 ? 'mode' : 'modes'} and {mappings}{' '}
        {mappings === 1 ? 'mapping' : 'mappings'} are replaced in the editor; nothing is saved until you press Save, and Undo brings them back. Your plugin signature
        settings are kept.
      </p>
      <div className="template-buttons">
        <button type="button" onClick={() => onDone(false)} disabled={applying} data-testid="template-cancel">
          Cancel
        </button>
        <button type="button" className="primary" disabled={applying} data-testid="template-apply" onClick={() => void apply(template.id).then((ok) => onDone(ok))}>
          {applying ? 'Applying…' : 'Replace my mappings'}
        </button>
      </div>
    </div>
  );
}

const KIND_HEADING: Record<TemplateInfo['kind'], string> = { midi: 'MIDI controllers', gamepad: 'Game controllers' };

/** The chooser dialog: every template by kind; picking one asks to confirm. Escape or Close leaves it. */
export function TemplateChooser({ onClose, initial = null }: { onClose: () => void; initial?: TemplateInfo | null }) {
  const templates = useApp((s) => s.templates);
  const error = useApp((s) => s.templatesError);
  const load = useApp((s) => s.loadTemplates);
  const setView = useApp((s) => s.setView);
  const [picked, setPicked] = useState<TemplateInfo | null>(initial);
  const titleId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    void load();
    dialog.current?.focus();
  }, [load]);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') onClose();
  };
  const done = (applied: boolean) => {
    setPicked(null);
    if (!applied) return;
    onClose();
    setView('mappings');
  };
  return (
    <div className="modal-backdrop">
      <div ref={dialog} className="modal template-chooser" role="dialog" aria-modal="true" aria-labelledby={titleId} tabIndex={-1} onKeyDown={onKeyDown} data-testid="template-chooser">
        <header className="modal-head">
          <h2 id={titleId}>Start from a template</h2>
          <button type="button" className="icon-button" aria-label="Close" title="Close" onClick={onClose} data-testid="template-close">
            <Icon name="close" />
          </button>
        </header>
        <p className="muted">Ready-made modes and mappings for a device: transport, system volume, shortcuts and a button to switch modes. Change anything afterwards.</p>
        {error ? <p className="banner banner-error">The templates could not be listed: {error}</p> : null}
        {templates === null && !error ? <p className="muted">Loading templates…</p> : null}
        {templates !== null && templates.length === 0 ? <p className="empty">This build has no templates.</p> : null}
        {(['midi', 'gamepad'] as const).map((kind) => {
          const list = (templates ?? []).filter((t) => t.kind === kind);
          if (list.length === 0) return null;
          return (
            <section key={kind} aria-label={KIND_HEADING[kind]}>
              <h3 className="template-kind">{KIND_HEADING[kind]}</h3>
              <ul className="template-list">
                {list.map((t) => (
                  <li key={t.id} className={picked?.id === t.id ? 'template-item picked' : 'template-item'} data-testid="template-item" data-template-id={t.id}>
                    <div className="template-row">
                      <div>
                        <strong>{t.title}</strong>
                        <div className="muted small">{t.summary}</div>
                      </div>
                      <button type="button" onClick={() => setPicked(t)} aria-label={`Use the ${t.title} template`} data-testid={`template-use-${t.id}`}>
                        Use…
                      </button>
                    </div>
                    {picked?.id === t.id ? <ConfirmApply template={t} onDone={done} /> : null}
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </div>
  );
}

/** The Devices view's panel: the offer for a connected device with a template, and the button that opens the chooser. */
export function TemplatesPanel() {
  const devices = useApp((s) => s.devices);
  const templates = useApp((s) => s.templates);
  const declined = useApp((s) => s.declinedTemplateOffers);
  const decline = useApp((s) => s.declineTemplateOffer);
  const load = useApp((s) => s.loadTemplates);
  const [open, setOpen] = useState<{ initial: TemplateInfo | null } | null>(null);
  useEffect(() => {
    void load();
  }, [load]);
  const offer = templateOffer(devices, templates, declined);
  return (
    <section className="panel" aria-labelledby="templates-heading" data-testid="templates-panel">
      <h2 id="templates-heading">Start from a template</h2>
      {offer ? (
        <div className="banner template-offer" role="status" data-testid="template-offer">
          <span>
            <strong>{offer.device.name}</strong> connected: start from the {offer.template.title} template?
          </span>
          <span className="template-buttons">
            <button type="button" onClick={() => decline(offer.device.name)} data-testid="template-offer-decline">
              Not now
            </button>
            <button type="button" className="primary" onClick={() => setOpen({ initial: offer.template })} data-testid="template-offer-accept">
              Use its template…
            </button>
          </span>
        </div>
      ) : null}
      <p className="muted">Modes and mappings made for a controller (Maschine, APC, Launchpad, nanoKONTROL2, BeatStep, keyboards, game controllers).</p>
      <div>
        <button type="button" onClick={() => setOpen({ initial: null })} data-testid="templates-open">
          Choose a template…
        </button>
      </div>
      {open ? <TemplateChooser initial={open.initial} onClose={() => setOpen(null)} /> : null}
    </section>
  );
}
