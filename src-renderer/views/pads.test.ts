import { describe, expect, it } from 'vitest';
import { DEFAULT_VIRTUAL_LAYOUT } from '../../src-shared/midi';
import { padRows, padVelocity } from './pads';

describe('virtual pads', () => {
  it('shows the bottom row (first in the layout) at the bottom', () => {
    const rows = padRows(DEFAULT_VIRTUAL_LAYOUT);
    expect(rows.map((r) => r.map((p) => p.note))).toEqual([
      [48, 49, 50, 51],
      [44, 45, 46, 47],
      [40, 41, 42, 43],
      [36, 37, 38, 39],
    ]);
  });

  it('keeps a short last row', () => {
    const rows = padRows({ pads: [1, 2, 3, 4, 5].map((n) => ({ note: n, label: '' })), padColumns: 2 });
    expect(rows.map((r) => r.map((p) => p.note))).toEqual([[5], [3, 4], [1, 2]]);
  });

  it('hits harder higher up; Shift is soft, Alt is hard', () => {
    const none = { shiftKey: false, altKey: false };
    expect(padVelocity(0, 100, none)).toBe(127);
    expect(padVelocity(100, 100, none)).toBe(1);
    expect(padVelocity(50, 100, none)).toBe(64);
    expect(padVelocity(-5, 100, none)).toBe(127);
    expect(padVelocity(10, 100, { shiftKey: true, altKey: false })).toBe(30);
    expect(padVelocity(90, 100, { shiftKey: false, altKey: true })).toBe(120);
    expect(padVelocity(0, 0, none)).toBe(100);
  });
});
