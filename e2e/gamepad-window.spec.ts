// Game controllers through the app window's Gamepad API, in browser mode against the real core: the only stand-in is
// the browser's list of controllers (an init script defines navigator.getGamepads over pads the test changes and
// dispatches `gamepadconnected`). A press switches the mode and shows in the console; MIDI-learn fills the trigger.
import type { Page } from '@playwright/test';
import { ConductorApp } from './conductor-app';
import { expect, test } from './fixtures';

const CONFIG = `[[modes]]
name = "Default"

[[modes.mappings]]
description = "To the game mode"
trigger = { type = "GamepadButton", button = 128 }
action = { type = "ModeChange", mode = "Game" }

[[modes]]
name = "Game"
`;

const PAD_NAME = 'Xbox Wireless Controller (STANDARD GAMEPAD Vendor: 045e Product: 02fd)';

/** Runs in the page before the app: a controller list the test drives through window.__pad. */
function standInControllers(name: string): void {
  const pads: Array<Record<string, unknown> | null> = [null, null, null, null];
  const state = { buttons: new Array<number>(17).fill(0), axes: [0, 0, 0, 0] };
  const snapshot = (): Record<string, unknown> => ({
    id: name,
    index: 0,
    connected: true,
    mapping: 'standard',
    timestamp: performance.now(),
    buttons: state.buttons.map((v) => ({ pressed: v > 0.5, touched: v > 0, value: v })),
    axes: [...state.axes],
  });
  Object.defineProperty(Navigator.prototype, 'getGamepads', { configurable: true, value: () => pads.slice() });
  (window as unknown as { __pad: object }).__pad = {
    connect() {
      pads[0] = snapshot();
      const e = new Event('gamepadconnected');
      Object.defineProperty(e, 'gamepad', { value: pads[0] });
      window.dispatchEvent(e);
    },
    disconnect() {
      const gone = pads[0];
      pads[0] = null;
      const e = new Event('gamepaddisconnected');
      Object.defineProperty(e, 'gamepad', { value: gone });
      window.dispatchEvent(e);
    },
    set(buttons: Record<number, number>, axes?: number[]) {
      state.buttons.fill(0);
      for (const [i, v] of Object.entries(buttons)) state.buttons[Number(i)] = v;
      if (axes) state.axes = axes;
      pads[0] = snapshot();
    },
  };
}

async function setPad(page: Page, buttons: Record<number, number>, axes?: number[]): Promise<void> {
  await page.evaluate(([b, a]) => (window as unknown as { __pad: { set(b: object, a?: number[]): void } }).__pad.set(b, a), [buttons, axes] as const);
}

test.skip(({ shell }) => shell !== 'browser', 'browser project only');

test('a controller in the window: a press switches the mode and shows in the console; learn fills the gamepad trigger', async ({ launchApp, writeConfig }) => {
  writeConfig(CONFIG);
  // Linux reads controllers in main (joydev); this turns the window's Gamepad API on, as on macOS and Windows.
  const { page } = await launchApp({ env: { CONDUCTOR_WINDOW_GAMEPADS: '1' } });
  await page.addInitScript(standInControllers, PAD_NAME);
  await page.reload();
  const app = new ConductorApp(page);
  await app.ready();
  await expect(page.getByTestId('status-mode')).toHaveText('Mode: Default');

  await app.open('console');
  await page.evaluate(() => (window as unknown as { __pad: { connect(): void } }).__pad.connect());

  // A (standard button 0) down: the mapping switches to "Game"; the console shows the press.
  await setPad(page, { 0: 1 });
  await expect(page.getByTestId('status-mode')).toHaveText('Mode: Game');
  const padRows = page.getByTestId('console-row').and(page.locator('[data-kind="gamepad"]'));
  await expect(padRows.filter({ hasText: 'South (A / Cross) down' })).toHaveCount(1);
  await expect(padRows.first()).toContainText(PAD_NAME);
  await setPad(page, {});
  await expect(padRows.filter({ hasText: 'South (A / Cross) up' })).toHaveCount(1);

  // A stick pushed up slowly shows per quarter of its travel, not per poll.
  for (const y of [-0.2, -0.3, -0.4, -0.45, -0.6, -0.65, -1]) await setPad(page, {}, [0, y, 0, 0]);
  await expect(padRows.filter({ hasText: 'left stick Y up 1.00' })).toHaveCount(1);
  expect(await padRows.filter({ hasText: 'left stick Y' }).count()).toBeLessThanOrEqual(5);
  await setPad(page, {}, [0, 0, 0, 0]);
  await expect(padRows.filter({ hasText: 'left stick Y centred' })).toHaveCount(1);

  // Gamepad input has its own kind filter.
  await page.getByTestId('console-kind-gamepad').uncheck();
  await expect(padRows).toHaveCount(0);
  await page.getByTestId('console-kind-gamepad').check();
  await expect(padRows.first()).toBeVisible();

  // MIDI-learn hears the controller: Y (standard button 3) fills a GamepadButton trigger with 131.
  await app.open('mappings');
  await app.addMappingButton.click();
  await expect(app.mappingEditor).toBeVisible();
  await app.learnButton.click();
  await expect(app.learnActive).toBeVisible();
  await setPad(page, { 3: 1 });
  await expect(app.learnResult).toContainText('North (Y / Triangle)');
  await expect(page.getByTestId('trigger-gamepad-button')).toHaveValue('131');
  await setPad(page, {});

  // Devices lists the controller while it is connected, and forgets it when it goes (gamepads.didChange).
  await app.open('devices');
  const rows = page.getByTestId('gamepad-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(PAD_NAME);
  await expect(rows.first()).toContainText('read through this window');
  await page.evaluate(() => (window as unknown as { __pad: { disconnect(): void } }).__pad.disconnect());
  await expect(rows).toHaveCount(0);
  await expect(page.getByTestId('gamepads-empty')).toContainText('press one of its buttons while this window is visible');
});
