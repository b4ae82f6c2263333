// Mode colours: names and hex values drawn, unknown ones not, and the custom colour input always given #rrggbb.
import { describe, expect, it } from 'vitest';
import { colourInputValue, MODE_COLOURS, modeColourCss } from './mode-colours';

describe('mode colours', () => {
  it('draws every swatch name, any case, and hex values as written', () => {
    for (const { name, css } of MODE_COLOURS) {
      expect(modeColourCss(name)).toBe(css);
      expect(modeColourCss(name.toUpperCase())).toBe(css);
    }
    expect(modeColourCss('#FF0000')).toBe('#ff0000');
    expect(modeColourCss('#0f0')).toBe('#0f0');
    expect(modeColourCss('grey')).not.toBeNull();
  });

  it('draws nothing for none or a value it does not know', () => {
    expect(modeColourCss(null)).toBeNull();
    expect(modeColourCss(undefined)).toBeNull();
    expect(modeColourCss('')).toBeNull();
    expect(modeColourCss('sparkly')).toBeNull();
    expect(modeColourCss('#12345')).toBeNull();
  });

  it('gives the custom colour input #rrggbb', () => {
    expect(colourInputValue('#0f0')).toBe('#00ff00');
    expect(colourInputValue('red')).toBe(modeColourCss('red'));
    expect(colourInputValue(null)).toMatch(/^#[0-9a-f]{6}$/);
  });
});
