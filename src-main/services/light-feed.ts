// LED feedback for the UI: the virtual controller's pad-light changes, coalesced per note so that a burst of thousands
// of note-ons costs the renderer a handful of events. Never changes a light and never emits after it is stopped.
import type { Event } from '../../src-shared/emitter';
import type { VirtualLightChange } from '../../src-shared/contract';

export interface LightFeedOptions {
  /** Changes after the first are collected for this long and sent as the last velocity of each note (default 30 ms). */
  windowMs?: number;
}

/**
 * Forwards `changes` to `emit`: the first change after a quiet spell at once, then at most one change per note per
 * window (the note's last velocity, and only when it differs from what was last sent). Returns the function that stops it.
 */
export function feedLights(changes: Event<VirtualLightChange>, emit: (change: VirtualLightChange) => void, options: LightFeedOptions = {}): () => void {
  const windowMs = options.windowMs ?? 30;
  /** What the renderer was last told, per note (0 = off). */
  const sent = new Map<number, number>();
  /** The latest velocity per note since the window opened. */
  const pending = new Map<number, number>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const send = (note: number, velocity: number): boolean => {
    if ((sent.get(note) ?? 0) === velocity) return false;
    if (velocity === 0) sent.delete(note);
    else sent.set(note, velocity);
    emit({ note, velocity });
    return true;
  };

  const openWindow = (): void => {
    timer = setTimeout(() => {
      timer = null;
      if (stopped) return;
      let any = false;
      for (const [note, velocity] of pending) any = send(note, velocity) || any;
      pending.clear();
      if (any) openWindow(); // still busy: keep coalescing
    }, windowMs);
  };

  const unsubscribe = changes(({ note, velocity }) => {
    if (stopped) return;
    if (timer === null) {
      send(note, velocity);
      openWindow();
    } else pending.set(note, velocity);
  });

  return () => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    if (timer !== null) clearTimeout(timer);
    timer = null;
    pending.clear();
  };
}
