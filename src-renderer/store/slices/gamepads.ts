// Game controllers slice: whether main wants the window's controllers (gamepads.state) and the one way to send what
// they did (gamepads.input). The polling itself is src-renderer/gamepad/; never reads the Gamepad API here.
import type { CallArgs, ConductorApi, GamepadControllerInfo, GamepadsState } from '../../../src-shared/contract';
import type { SliceCreator } from '../types';

export interface GamepadsSlice {
  /** True when this window should report its game controllers (main reads none itself here); false until loaded. */
  gamepadWindowInput: boolean;
  /** The game controllers main knows (either source); null until loaded or when main does not say. */
  gamepadControllers: GamepadControllerInfo[] | null;
  loadGamepads(): Promise<void>;
  /** gamepads.didChange: a controller came or went. */
  gamepadsChanged(state: GamepadsState): void;
  /** Sends one controller's changes to main (fire and forget: a refused or failed report is dropped). */
  sendGamepadInput(report: CallArgs<'gamepads.input'>[0]): void;
}

export const createGamepadsSlice =
  (api: ConductorApi): SliceCreator<GamepadsSlice> =>
  (set) => ({
    gamepadWindowInput: false,
    gamepadControllers: null,
    async loadGamepads() {
      try {
        const state = await api.gamepads.state();
        set({ gamepadWindowInput: state.windowInput, gamepadControllers: state.controllers });
      } catch {
        // An older main, or none: no window input.
        set({ gamepadWindowInput: false, gamepadControllers: null });
      }
    },
    gamepadsChanged(state) {
      set({ gamepadWindowInput: state.windowInput, gamepadControllers: state.controllers });
    },
    sendGamepadInput(report) {
      api.gamepads.input(report).catch(() => undefined);
    },
  });
