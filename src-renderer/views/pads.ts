// Virtual controller geometry: pad rows in display order and the velocity of a click. Pure; no React.
import type { VirtualLayout, VirtualPad } from '../../src-shared/midi';

/** Velocity from where the pad was hit: top edge 127, bottom edge 1; Shift = soft (30), Alt = hard (120). */
export function padVelocity(offsetY: number, height: number, mods: { shiftKey: boolean; altKey: boolean }): number {
  if (mods.shiftKey) return 30;
  if (mods.altKey) return 120;
  if (!(height > 0)) return 100;
  const fromBottom = 1 - Math.min(Math.max(offsetY / height, 0), 1);
  return Math.max(1, Math.min(127, Math.round(1 + fromBottom * 126)));
}

/** Rows for display top to bottom (the layout lists pads bottom row first). */
export function padRows(layout: Pick<VirtualLayout, 'pads' | 'padColumns'>): VirtualPad[][] {
  const cols = Math.max(1, layout.padColumns);
  const rows: VirtualPad[][] = [];
  for (let i = 0; i < layout.pads.length; i += cols) rows.push(layout.pads.slice(i, i + cols));
  return rows.reverse();
}
