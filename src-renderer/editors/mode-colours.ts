// Mode colours (a mode's `color` in config.toml): the named colours offered as swatches and how any value (a name or
// #rgb/#rrggbb) is drawn. Pure; never edits the config (draft.ts setModeColor does).

/** The swatches, in the order shown: the colour names Conductor users write, with the colour each is drawn in. */
export const MODE_COLOURS: readonly { name: string; css: string }[] = [
  { name: 'red', css: '#e5484d' },
  { name: 'orange', css: '#f76b15' },
  { name: 'yellow', css: '#f5c400' },
  { name: 'green', css: '#30a46c' },
  { name: 'cyan', css: '#00a2c7' },
  { name: 'blue', css: '#3e63dd' },
  { name: 'purple', css: '#8e4ec6' },
  { name: 'pink', css: '#d6409f' },
  { name: 'white', css: '#f4f4f5' },
];

/** CSS named colours a hand-written config may also use for a mode, beyond the swatches. */
const MORE_NAMES: Record<string, string> = { black: '#1c1c1f', grey: '#8b8d98', gray: '#8b8d98', magenta: '#d6409f', teal: '#12a594', amber: '#ffb224', violet: '#6e56cf', indigo: '#3e63dd', lime: '#99d52a' };

/** The colour to draw for a mode's `color`: a swatch's, a #rgb/#rrggbb value as is, null for none or an unknown name. */
export function modeColourCss(color: string | null | undefined): string | null {
  if (color === null || color === undefined) return null;
  const c = color.trim().toLowerCase();
  if (/^#([0-9a-f]{3}|[0-9a-f]{6})$/.test(c)) return c;
  return MODE_COLOURS.find((m) => m.name === c)?.css ?? MORE_NAMES[c] ?? null;
}

/** A #rrggbb value for the custom colour input (which takes nothing else); the swatch's colour for a name. */
export function colourInputValue(color: string | null | undefined): string {
  const css = modeColourCss(color) ?? '#3e63dd';
  return css.length === 4 ? `#${[...css.slice(1)].map((d) => d + d).join('')}` : css;
}
