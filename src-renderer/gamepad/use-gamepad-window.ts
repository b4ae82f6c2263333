// The window's game controllers for main: when main wants them (gamepads.state, loaded by the bridge on each connect),
// polls them while the page is visible (poller.ts). Mounted once, in App. Never polls when main reads controllers itself.
import { useEffect } from 'react';
import { useApp } from '../store/context';
import { startGamepadPolling } from './poller';

export function useGamepadWindow(): void {
  const enabled = useApp((s) => s.gamepadWindowInput);
  const send = useApp((s) => s.sendGamepadInput);
  useEffect(() => {
    if (!enabled || typeof navigator.getGamepads !== 'function') return undefined;
    return startGamepadPolling(window, send);
  }, [enabled, send]);
}
