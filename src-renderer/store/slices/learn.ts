// Learn slice: one MIDI-learn session at a time (learn.start / learn.cancel); `learn` events move it along and
// a learned trigger is written into the target mapping of the draft (applyLearnEvent, called by the bridge).
import type { ConductorApi, LearnEvent } from '../../../src-shared/contract';
import * as D from '../draft';
import { recordEdit } from '../history';
import { errorMessage } from '../../format';
import type { AppState, LearnSlice, LearnState, SliceCreator } from '../types';

export const LEARN_TIMEOUT_MS = 10_000;
export const IDLE_LEARN: LearnState = { phase: 'idle', sessionId: null, target: null, deadline: null, result: null, message: null };

function ours(l: LearnState, sessionId: number): boolean {
  // Before learn.start replies we do not know the id yet: accept the first session's events.
  return l.sessionId === sessionId || (l.phase === 'starting' && l.sessionId === null);
}

/** The state after a `learn` event; events of sessions this window did not start are ignored. */
export function applyLearnEvent(s: Pick<AppState, 'learn' | 'draft' | 'history'>, ev: LearnEvent, now: number): Partial<AppState> {
  const l = s.learn;
  if (l.phase === 'idle' || !ours(l, ev.sessionId)) return {};
  switch (ev.kind) {
    case 'started':
      if (l.phase !== 'starting' && l.phase !== 'listening') return {};
      return { learn: { ...l, phase: 'listening', sessionId: ev.sessionId, deadline: now + ev.timeoutMs } };
    case 'cancelled':
      if (l.phase === 'learned') return {};
      return { learn: { ...l, phase: 'cancelled', sessionId: ev.sessionId, deadline: null, message: ev.reason === 'timeout' ? 'Nothing was pressed in time.' : 'Cancelled.' } };
    case 'learned': {
      if (l.phase !== 'starting' && l.phase !== 'listening') return {};
      const out: Partial<AppState> = { learn: { ...l, phase: 'learned', sessionId: ev.sessionId, deadline: null, result: ev.result, message: null } };
      const loc = l.target === null ? null : D.parseLocationKey(l.target);
      if (loc && s.draft && D.getMapping(s.draft, loc)) {
        // A learned trigger is an edit like any other: Undo puts the old trigger back.
        out.draft = D.updateMapping(s.draft, loc, (m) => ({ ...m, trigger: ev.result.trigger }));
        out.history = recordEdit(s.history, s.draft, null, now);
      }
      return out;
    }
  }
}

export const createLearnSlice =
  (api: ConductorApi, now: () => number): SliceCreator<LearnSlice> =>
  (set, get) => ({
    learn: IDLE_LEARN,
    async startLearn(target, timeoutMs = LEARN_TIMEOUT_MS) {
      set({ learn: { ...IDLE_LEARN, phase: 'starting', target } });
      try {
        const reply = await api.learn.start(timeoutMs);
        const l = get().learn;
        if (l.target !== target) return;
        if (l.phase === 'starting') set({ learn: { ...l, phase: 'listening', sessionId: reply.sessionId, deadline: now() + reply.timeoutMs } });
        else if (l.sessionId === null) set({ learn: { ...l, sessionId: reply.sessionId } });
      } catch (err) {
        set({ learn: { ...IDLE_LEARN, phase: 'error', target, message: errorMessage(err) } });
        get().toast('error', `Learn: ${errorMessage(err)}`);
      }
    },
    async cancelLearn() {
      const l = get().learn;
      if (l.phase !== 'starting' && l.phase !== 'listening') return;
      set({ learn: { ...l, phase: 'cancelled', deadline: null, message: 'Cancelled.' } });
      try {
        const reply = await api.learn.cancel();
        if (!reply.ok) get().toast('error', `Cancel learn: ${reply.error}`);
      } catch (err) {
        get().toast('error', `Cancel learn: ${errorMessage(err)}`);
      }
    },
    resetLearn: () => set({ learn: IDLE_LEARN }),
  });
