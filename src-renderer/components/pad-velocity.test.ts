import { describe, expect, it } from 'vitest';
import { padVelocity } from './pad-velocity';

describe('pad velocity', () => {
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
