// A Conditional mapping on a real Core, pressed on the virtual controller: AppFrontmost / AppRunning answered by the
// app source the core is given (the stand-in here; the platform's reader in the app), and a failing source failing the
// action with its reason.
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src-shared/engine';
import { startTestCore, type TestCore } from '../services/test-support/test-core';
import { FakeAppSource } from '../system/test-support/fake-app-source';

const CONFIG = `[[modes]]
name = "Default"

[[modes.mappings]]
description = "in the editor"
trigger = { type = "Note", note = 36 }
action = { type = "Conditional", condition = { type = "AppFrontmost", app_name = "code" }, then_action = { type = "ModeChange", mode = "Editing" }, else_action = { type = "Delay", ms = 1 } }

[[modes]]
name = "Editing"

[[modes.mappings]]
description = "back when OBS runs"
trigger = { type = "Note", note = 36 }
action = { type = "Conditional", condition = { type = "AppRunning", app_name = "OBS" }, then_action = { type = "ModeChange", mode = "Default" } }
`;

let t: TestCore | null = null;
afterEach(async () => {
  await t?.stop();
  t = null;
});

/** Presses pad 36; resolves with the top-level action's end (finish or error). */
function press(core: TestCore['core']): Promise<EngineEvent> {
  const ended = new Promise<EngineEvent>((resolve) => {
    const stop = core.engine.onDidEngineEvent((e) => {
      if ((e.kind === 'action-finish' || e.kind === 'action-error') && e.parentActionId === null) {
        stop();
        resolve(e);
      }
    });
  });
  core.devices.virtualDevice.pressPad(36, 100);
  core.devices.virtualDevice.releasePad(36);
  return ended;
}

describe('Conditional with app conditions, on a real core', () => {
  it('follows the frontmost and running apps of the source', async () => {
    const apps = new FakeAppSource({ frontmost: 'firefox', running: ['firefox'] });
    t = await startTestCore({ configText: CONFIG, core: { apps } });
    const { core } = t;
    expect(await press(core)).toMatchObject({ kind: 'action-finish', detail: 'the condition did not hold: else_action ran' });
    expect(core.engine.currentMode).toBe('Default');
    apps.setFrontmost({ name: 'Code', executable: 'code' });
    expect(await press(core)).toMatchObject({ kind: 'action-finish', detail: 'the condition held: then_action ran' });
    expect(core.engine.currentMode).toBe('Editing');
    // In "Editing": OBS is not running, and without an else_action nothing happens.
    expect(await press(core)).toMatchObject({ kind: 'action-finish', detail: 'the condition did not hold; no else_action' });
    apps.setRunning(['firefox', 'code', { name: 'obs', executable: 'obs' }]);
    expect(await press(core)).toMatchObject({ kind: 'action-finish', detail: 'the condition held: then_action ran' });
    expect(core.engine.currentMode).toBe('Default');
  });

  it('a source that cannot read fails the action with its reason', async () => {
    const apps = new FakeAppSource();
    apps.setUnavailable('wayland', 'frontmost app unavailable on Wayland without X');
    t = await startTestCore({ configText: CONFIG, core: { apps } });
    expect(await press(t.core)).toMatchObject({ kind: 'action-error', error: 'AppFrontmost: frontmost app unavailable on Wayland without X' });
  });
});
