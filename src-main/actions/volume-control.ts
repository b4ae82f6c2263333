// The VolumeControl action (Conductor's Up / Down / Mute / Unmute / Set): a conductor.system volume request, run by
// the host's system-control worker through the same layer the System Utilities plugin uses (pactl or wpctl on Linux,
// osascript on macOS). Never reaches the system any other way; a platform without a way says so.
import type { Action } from '../../src-shared/config';
import type { SystemRunner } from './system-worker';
import { failed, succeeded, type ActionOutcome } from './types';

export type VolumeControlAction = Extract<Action, { type: 'VolumeControl' }>;

/** How far Up and Down move the volume when the action gives no `value` (percentage points). */
export const DEFAULT_VOLUME_STEP = 5;

/** The conductor.system request (JSON) for the action. */
export function volumeRequest(action: VolumeControlAction): string {
  switch (action.operation) {
    case 'Up':
      return JSON.stringify({ op: 'volume', change: action.value ?? DEFAULT_VOLUME_STEP });
    case 'Down':
      return JSON.stringify({ op: 'volume', change: -(action.value ?? DEFAULT_VOLUME_STEP) });
    case 'Mute':
      return JSON.stringify({ op: 'volume', mute: true });
    case 'Unmute':
      return JSON.stringify({ op: 'volume', mute: false });
    case 'Set':
      return JSON.stringify({ op: 'volume', set: action.value ?? 0 });
  }
}

export async function volumeControl(action: VolumeControlAction, system: SystemRunner | null, timeoutMs: number): Promise<ActionOutcome> {
  if (!system) return failed('VolumeControl: no system-control worker in this process');
  let text: string;
  try {
    text = await system.run(volumeRequest(action), timeoutMs);
  } catch (err) {
    return failed(`VolumeControl: ${err instanceof Error ? err.message : String(err)}`);
  }
  const response = JSON.parse(text) as { ok: boolean; volume?: number; muted?: boolean; error?: string };
  if (!response.ok) return failed(`VolumeControl: ${response.error ?? 'failed'}`);
  return succeeded(`volume ${response.volume ?? '?'}%${response.muted ? ', muted' : ''}`);
}
