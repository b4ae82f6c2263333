// Deadlines on one armed timer: each fires at its own time, in due order, never after it was removed, and the timer
// is re-armed only when it must be. Runs on a ManualClock: no wall-clock time.
import { describe, expect, it } from 'vitest';
import { Deadlines, type Deadline } from './deadlines';
import { ManualClock } from './test-support/manual-clock';

class Item implements Deadline {
  dueAt = 0;
  prevDeadline: Deadline | null = null;
  nextDeadline: Deadline | null = null;
  constructor(readonly name: string) {}
}

function setup(): { clock: ManualClock; list: Deadlines<Item>; expired: Array<[string, number]> } {
  const clock = new ManualClock(0);
  const expired: Array<[string, number]> = [];
  const list = new Deadlines<Item>(clock, (item) => expired.push([item.name, clock.now()]));
  return { clock, list, expired };
}

describe('Deadlines', () => {
  it('fires each deadline at its own time, in due order, on one timer at a time', async () => {
    const { clock, list, expired } = setup();
    list.add(new Item('a'), 100);
    await clock.advance(10);
    list.add(new Item('b'), 100); // due at 110: no new timer
    list.add(new Item('c'), 50); // due at 60, before the armed one: re-armed
    expect(clock.pendingCount).toBe(1);
    await clock.advance(200);
    expect(expired).toEqual([['c', 60], ['a', 100], ['b', 110]]);
    expect(list.empty).toBe(true);
    expect(clock.pendingCount).toBe(0);
  });

  it('never fires a deadline removed before it, and adding after earlier ones finished still fires on time', async () => {
    const { clock, list, expired } = setup();
    for (let i = 0; i < 5; i++) {
      const call = new Item(`call ${i}`);
      list.add(call, 1000);
      await clock.advance(10);
      list.remove(call); // finished well before its deadline
    }
    expect(expired).toEqual([]);
    // The timer armed for the first call's deadline (1000) is still there; the late call, added at 50, is due at
    // 1050: the old timer runs at 1000, finds nothing due, and arms for 1050.
    const late = new Item('late');
    list.add(late, 1000);
    expect(clock.pendingCount).toBe(1);
    await clock.advance(999);
    expect(expired).toEqual([]);
    expect(clock.pendingCount).toBe(1);
    await clock.advance(1);
    expect(expired).toEqual([['late', 1050]]);
  });

  it('a deadline removed at exactly its due time, before the timer ran, does not fire', async () => {
    const { clock, list, expired } = setup();
    const call = new Item('call');
    list.add(call, 100);
    await clock.advance(99);
    list.remove(call);
    await clock.advance(1);
    expect(expired).toEqual([]);
  });

  it('a deadline still pending at exactly its due time fires then', async () => {
    const { clock, list, expired } = setup();
    list.add(new Item('call'), 100);
    await clock.advance(100);
    expect(expired).toEqual([['call', 100]]);
  });

  it('keeps two owners apart: one list per owner expires only its own deadlines', async () => {
    const clock = new ManualClock(0);
    const expired: string[] = [];
    const one = new Deadlines<Item>(clock, (item) => expired.push(`one: ${item.name}`));
    const two = new Deadlines<Item>(clock, (item) => expired.push(`two: ${item.name}`));
    const slow = new Item('slow');
    const quick = new Item('quick');
    one.add(slow, 100);
    two.add(quick, 100);
    await clock.advance(50);
    two.remove(quick);
    await clock.advance(50);
    expect(expired).toEqual(['one: slow']);
  });

  it('removing an item that is not in the list, twice, or from the middle keeps the order', async () => {
    const { clock, list, expired } = setup();
    const [a, b, c] = [new Item('a'), new Item('b'), new Item('c')];
    list.add(a, 10);
    list.add(b, 20);
    list.add(c, 30);
    list.remove(b);
    list.remove(b);
    list.remove(new Item('stranger'));
    await clock.advance(30);
    expect(expired).toEqual([['a', 10], ['c', 30]]);
  });

  it('an expiry that adds a deadline gets it armed; clear stops everything', async () => {
    const clock = new ManualClock(0);
    const expired: string[] = [];
    const list: Deadlines<Item> = new Deadlines<Item>(clock, (item) => {
      expired.push(item.name);
      if (item.name === 'first') list.add(new Item('second'), 5);
    });
    list.add(new Item('first'), 5);
    await clock.advance(10);
    expect(expired).toEqual(['first', 'second']);
    list.add(new Item('never'), 5);
    list.clear();
    await clock.advance(10);
    expect(expired).toEqual(['first', 'second']);
    expect(clock.pendingCount).toBe(0);
  });
});
