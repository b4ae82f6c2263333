// Issue #14 end to end against a REAL OBS Studio (Xvfb, obs-websocket 5): a new user enters OBS's port and password once
// in the Plugins view, maps pad 40 to the bundled obs-studio plugin's switch_scene, presses it, and OBS switches scenes.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { OBSWebSocket } from 'obs-websocket-js';
import { ObsServer, obsAvailable } from '../plugins/official/test-support/obs-server';
import { ConductorApp } from './conductor-app';
import { expect, test, type ShellOptions } from './fixtures';

const SKIP_MESSAGE = 'OBS e2e skipped: install obs-studio xvfb';
const PAD = 40;
/** How long OBS may take to show the switch after the press (a loaded machine; the measured time is printed). */
const SWITCH_DEADLINE_MS = 15_000;

const EMPTY_CONFIG = `[device]
auto_connect = true

[[modes]]
name = "Default"
`;

const available = obsAvailable();
// Never a real secret: a fresh one per run, so "the page never contains it" cannot pass by accident.
const PASSWORD = `obs-e2e-${randomBytes(9).toString('base64url')}`;

let obs: ObsServer | null = null;
let client: OBSWebSocket | null = null;

test.skip(({ shell }) => shell !== 'browser', 'browser project only');

// eslint-disable-next-line no-empty-pattern -- Playwright reads a hook's fixtures from this pattern
test.beforeAll(async ({}, testInfo) => {
  if (!available || (testInfo.project.use as Partial<ShellOptions>).shell !== 'browser') return;
  testInfo.setTimeout(90_000);
  obs = await ObsServer.launch({ password: PASSWORD });
  client = new OBSWebSocket();
  await client.connect(obs.url, PASSWORD);
  const { scenes } = await client.call('GetSceneList');
  const names = new Set(scenes.map((s) => String(s.sceneName)));
  for (const name of ['Scene', 'Intermission']) if (!names.has(name)) await client.call('CreateScene', { sceneName: name });
  // A cut: OBS reports the new program scene at once instead of after its default 300 ms fade.
  await client.call('SetCurrentSceneTransition', { transitionName: 'Cut' });
  await client.call('SetCurrentProgramScene', { sceneName: 'Scene' });
});

test.afterAll(async () => {
  await client?.disconnect().catch(() => {});
  client = null;
  await obs?.stop();
  obs = null;
});

test('a new user enters OBS password once, maps pad 40 to switch_scene, presses it: the real OBS switches to "Intermission"', async ({
  launchApp,
  writeConfig,
  dirs,
}, testInfo) => {
  if (!available) console.log(SKIP_MESSAGE);
  test.skip(!available, SKIP_MESSAGE);
  if (!obs || !client) throw new Error('OBS did not start (see beforeAll)');
  const obsClient = client;
  test.setTimeout(120_000);
  expect((await obsClient.call('GetCurrentProgramScene')).currentProgramSceneName).toBe('Scene');

  writeConfig(EMPTY_CONFIG);
  const { page, pageErrors } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();

  // ── Plugins: OBS Studio came with the app (installed on first run), bundled and ready ───────────────────────────
  await app.open('plugins');
  const row = app.pluginRow('obs-studio');
  await expect(row).toBeVisible();
  await expect(row).toContainText('Controls OBS Studio');
  await expect(row.getByTestId('plugin-tier')).toHaveAttribute('data-tier', 'bundled');
  await expect(row.getByTestId('plugin-tier')).toContainText('Bundled with the app');
  await expect(row.getByTestId('plugin-state')).toHaveText('Ready');
  await expect(row.getByTestId('plugin-cap-status-network')).toHaveText('granted');
  const id = (await row.getAttribute('data-plugin-id')) ?? '';
  expect(id).not.toBe('');

  // ── its settings: the test's OBS port and the password, once ────────────────────────────────────────────────────
  await app.openPluginSettingsForm(id);
  const field = (name: string) => app.settingField(id, name);
  await expect(field('password')).toHaveAttribute('type', 'password');
  await expect(field('password')).toHaveValue('');
  await field('port').fill(String(obs.port));
  await field('password').fill(PASSWORD);
  await app.settingsSaveButton(id).click();
  await expect(app.pluginSettings(id).getByTestId('settings-saved')).toBeVisible();
  await expect(app.settingsError(id)).toHaveCount(0);
  await expect(field('password')).toHaveValue('');
  await expect(field('password')).toHaveAttribute('data-set', 'true');
  await expect(field('port')).toHaveValue(String(obs.port));
  expect(await page.content()).not.toContain(PASSWORD);
  // The view scrolls inside the window (fullPage would not help): a taller window holds the whole OBS card.
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 1400 });
  await row.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const screenshot = testInfo.outputPath('obs-plugin-settings.png');
  await page.screenshot({ path: screenshot });
  await testInfo.attach('obs-plugin-settings', { path: screenshot, contentType: 'image/png' });
  if (viewport) await page.setViewportSize(viewport);

  // ── Mappings: a new mapping, learned from pad 40, running obs-studio's switch_scene "Intermission" ───────────────
  await app.open('mappings');
  await app.addMappingButton.click();
  await expect(app.mappingEditor).toBeVisible();
  await app.learnPad(PAD);
  await app.bindInstalledPlugin('obs-studio', 'switch_scene');
  await expect(app.actionType.locator('option:checked')).toHaveText('Run a plugin');
  await app.pluginParam('scene_name').fill('Intermission');
  await app.saveButton.click();
  const configFile = join(dirs.config, 'config.toml');
  await expect.poll(() => readFileSync(configFile, 'utf8')).toMatch(/obs-studio\.wasm/);
  const saved = readFileSync(configFile, 'utf8');
  expect(saved).toContain('switch_scene');
  expect(saved).toContain('Intermission');
  expect(saved).toMatch(new RegExp(`note = ${PAD}\\b`));
  expect(saved).not.toContain(PASSWORD);

  // ── press pad 40 on the virtual controller: OBS's program scene becomes "Intermission" ──────────────────────────
  await app.open('devices');
  await expect(app.pad(PAD)).toBeVisible();
  /**
   * Presses the pad; resolves with the ms from the pad's pointerdown in the page (wall clock, same machine) and from
   * the test's click call to OBS's CurrentProgramSceneChanged to "Intermission" at our own client.
   */
  const pressAndMeasure = async (): Promise<{ fromPointerDown: number; fromClick: number }> => {
    await app.pad(PAD).evaluate((el) => {
      el.addEventListener('pointerdown', () => el.setAttribute('data-e2e-down-at', String(performance.timeOrigin + performance.now())), { capture: true, once: true });
    });
    let changedAt = 0;
    let onChange = (_data: { sceneName: string }): void => {};
    const switched = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`OBS did not switch to "Intermission" within ${SWITCH_DEADLINE_MS} ms of the press`)), SWITCH_DEADLINE_MS);
      onChange = (data) => {
        if (data.sceneName !== 'Intermission') return;
        changedAt = performance.timeOrigin + performance.now();
        clearTimeout(timer);
        resolve();
      };
      obsClient.on('CurrentProgramSceneChanged', onChange);
    });
    const clickedAt = performance.timeOrigin + performance.now();
    await app.pressPad(PAD);
    try {
      await switched;
    } finally {
      obsClient.off('CurrentProgramSceneChanged', onChange);
    }
    expect((await obsClient.call('GetCurrentProgramScene')).currentProgramSceneName).toBe('Intermission');
    const downAt = Number(await app.pad(PAD).getAttribute('data-e2e-down-at'));
    expect(downAt, 'the pad saw the pointerdown').toBeGreaterThan(0);
    const ms = (from: number): number => Math.round((changedAt - from) * 10) / 10;
    return { fromPointerDown: ms(downAt), fromClick: ms(clickedAt) };
  };
  // The first press opens the plugin's connection to OBS and logs in (the plugin keeps it); the second reuses it.
  const first = await pressAndMeasure();
  await obsClient.call('SetCurrentProgramScene', { sceneName: 'Scene' });
  const second = await pressAndMeasure();
  const line = (m: { fromPointerDown: number; fromClick: number }): string => `${m.fromPointerDown} ms from pointerdown (${m.fromClick} ms from the test's click)`;
  console.log(`OBS e2e: pad ${PAD} press → OBS program scene "Intermission": first press ${line(first)}, second press ${line(second)}`);
  testInfo.annotations.push({ type: 'press → OBS switched', description: `first ${line(first)}; second ${line(second)}` });

  // The console shows the finished call; the password is nowhere in the page.
  await app.open('console');
  await expect(app.finishedActionRows.filter({ hasText: 'switch_scene' }).first()).toBeVisible();
  expect(await page.content()).not.toContain(PASSWORD);
  expect(pageErrors).toEqual([]);
});
