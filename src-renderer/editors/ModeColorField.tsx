// A mode's colour (`color` in config.toml): one compact button showing it, opening swatches of the named colours, a
// custom colour and "none", edited on the draft (setModeColor) like any other change. Never saves by itself.
import { useEffect, useId, useRef, useState } from 'react';
import { useApp } from '../store/context';
import { setModeColor } from '../store/draft';
import { colourInputValue, MODE_COLOURS, modeColourCss } from './mode-colours';
import './editors.css';

/** The small round mark of a mode's colour (tabs, panels); nothing when the mode has none. */
export function ModeColourDot({ color }: { color: string | null | undefined }) {
  const css = modeColourCss(color);
  if (!css) return null;
  return <span className="mode-colour-dot" style={{ background: css }} title={`Colour: ${color ?? ''}`} aria-hidden="true" data-testid="mode-colour-dot" />;
}

export function ModeColorField({ index }: { index: number }) {
  const color = useApp((s) => s.draft?.modes[index]?.color ?? null);
  const editDraft = useApp((s) => s.editDraft);
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  // Dragging through the custom colour picker is one undo step, not one per colour passed.
  const set = (c: string | null) => editDraft((config) => setModeColor(config, index, c), `mode-colour:${index}`);
  const named = MODE_COLOURS.find((m) => m.name === color?.trim().toLowerCase()) ?? null;
  const custom = color !== null && named === null;
  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    // A press anywhere else closes the swatches (the custom colour's own picker is not part of the page).
    const onDown = (e: PointerEvent) => {
      if (root.current && e.target instanceof Node && !root.current.contains(e.target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  return (
    <div
      className="mode-colour"
      ref={root}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          close();
        }
      }}
      data-testid="mode-colour"
    >
      <span className="field-label">Colour</span>
      <button ref={toggle} type="button" className="mode-colour-toggle" aria-expanded={open} aria-controls={open ? panelId : undefined} onClick={() => setOpen(!open)} data-testid="mode-colour-toggle">
        {modeColourCss(color) ? <ModeColourDot color={color} /> : null}
        <span data-testid="mode-colour-value">{color === null ? 'none' : color}</span>
        <span aria-hidden="true"> ▾</span>
      </button>
      {open ? (
        <div className="mode-colour-popover" id={panelId} role="group" aria-label="Mode colour">
          <div className="swatches">
            <button type="button" className="swatch swatch-none" aria-pressed={color === null} title="No colour" aria-label="No colour" onClick={() => {
                set(null);
                close();
              }} data-testid="mode-colour-none">
              <span aria-hidden="true">∅</span>
            </button>
            {MODE_COLOURS.map((m) => (
              <button
                key={m.name}
                type="button"
                className="swatch"
                style={{ background: m.css }}
                aria-pressed={named?.name === m.name}
                title={m.name}
                aria-label={m.name}
                onClick={() => {
                  set(m.name);
                  close();
                }}
                data-testid={`mode-colour-${m.name}`}
              />
            ))}
            <label className={`swatch-custom${custom ? ' is-chosen' : ''}`} title="Custom colour">
              <input type="color" value={colourInputValue(color)} onChange={(e) => set(e.target.value)} data-testid="mode-colour-custom" aria-label="Custom colour" />
              <span>Custom</span>
            </label>
          </div>
        </div>
      ) : null}
    </div>
  );
}
