// The velocity of a click on an on-screen pad: harder higher up, Shift soft, Alt hard. Pure; no React.
// (Where the pads are drawn is the layout's business: src-shared/controller-layout.ts.)

/** Velocity from where the pad was hit: top edge 127, bottom edge 1; Shift = soft (30), Alt = hard (120). */
export function padVelocity(offsetY: number, height: number, mods: { shiftKey: boolean; altKey: boolean }): number {
  if (mods.shiftKey) return 30;
  if (mods.altKey) return 120;
  if (!(height > 0)) return 100;
  const fromBottom = 1 - Math.min(Math.max(offsetY / height, 0), 1);
  return Math.max(1, Math.min(127, Math.round(1 + fromBottom * 126)));
}
