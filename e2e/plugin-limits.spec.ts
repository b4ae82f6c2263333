// Per-plugin limits in the UI against the real core (browser mode): a pad runs a plugin that needs ≈150 M fuel, it
// runs out at the default 100 M, the Plugins view explains it and offers to raise the limit; one click saves
// [wasm.limits.heavy] in config.toml, the plugin restarts, and the next press succeeds. The limits editor refuses
// values outside the bounds live and resets to the defaults; the isolation choice saves `isolation` and warns before
// sharing this unsigned plugin. Screenshots of the editor and the warning go to the output dir.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConductorApp } from './conductor-app';
import { expect, test } from './fixtures';

const PAD = 36;

test.skip(({ shell }) => shell !== 'browser', 'browser project only');

test('out of fuel → raise the limit from the Plugins view → the pad works; the limits editor keeps values in bounds', async ({
  launchApp,
  installWatPlugin,
  writeConfig,
  dirs,
}, testInfo) => {
  const wasm = await installWatPlugin('heavy');
  const configFile = writeConfig(`[device]
auto_connect = true

[[modes]]
name = "Default"

[[modes.mappings]]
description = "Heavy work"
trigger = { Note = { note = ${PAD} } }
action = { WasmPlugin = { path = "${wasm}", params = { action = "run" } } }
`);
  const { page } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();

  // The pad runs the plugin: out of fuel at the default limit.
  await app.pressPad(PAD);
  await app.open('plugins');
  const row = page.locator('[data-testid="plugin-row"][data-plugin-id="heavy"]');
  await expect(row.getByTestId('plugin-last-error')).toHaveAttribute('data-kind', 'out-of-fuel');
  await expect(row.getByTestId('plugin-help')).toContainText('ran out of fuel (limit 100,000,000 per call)');
  const raise = row.getByTestId('plugin-raise-fuelPerCall');
  await expect(raise).toHaveText('Raise fuel limit to 200,000,000');

  // One click: saved in config.toml, the plugin restarted with it (its stats start over), the hint is gone.
  await raise.click();
  await expect(row.getByTestId('plugin-limit-fuelPerCall')).toHaveText(/fuel per call 200,000,000 \(custom\)/);
  await expect(row.getByTestId('plugin-last-error')).toHaveCount(0);
  await expect(row.getByTestId('plugin-raise-fuelPerCall')).toHaveCount(0);
  expect(readFileSync(configFile, 'utf8')).toMatch(/\[wasm\.limits\.heavy\]\nmax_fuel = 200000000\n/);

  // The next press succeeds: the console shows the finished action with more than the old limit's fuel.
  await app.pressPad(PAD);
  await app.open('plugins');
  await expect(row.getByTestId('plugin-stats')).toContainText(/^1 \(0 failed/);
  await expect(row.getByTestId('plugin-stats')).toContainText(/last: fuel 150,8\d\d,\d\d\d/);

  // The editor: out-of-bounds values are refused live, with the bounds; Save stays disabled.
  await row.getByTestId('plugin-limits-edit').click();
  const memory = row.getByTestId('limit-input-memoryBytes');
  await expect(memory).toHaveValue('128');
  await memory.fill('100000');
  await expect(row.getByTestId('limit-error-memoryBytes')).toContainText('must be 1–4,096 MiB');
  await expect(memory).toHaveAttribute('aria-invalid', 'true');
  await expect(row.getByTestId('plugin-limits-save')).toBeDisabled();
  await memory.fill('64');
  await row.getByTestId('limit-input-callTimeoutMs').fill('2500');
  await expect(row.getByTestId('plugin-limits-save')).toBeEnabled();
  await row.locator('.limits-form').screenshot({ path: testInfo.outputPath('plugin-limits.png') });
  await row.getByTestId('plugin-limits-save').click();
  await expect(row.getByTestId('plugin-limit-memoryBytes')).toHaveText(/memory 64\.0 MiB \(custom\)/);
  await expect(row.getByTestId('plugin-limit-callTimeoutMs')).toHaveText(/2\.50 s \(custom\)/);
  const saved = readFileSync(configFile, 'utf8');
  expect(saved).toMatch(/\[wasm\.limits\.heavy\]\nmax_fuel = 200000000\nmax_memory_mb = 64\ntimeout_ms = 2500\n/);
  // The mapping the user made is still there: saving limits rewrote only what it had to.
  expect(saved).toContain('description = "Heavy work"');

  // Reset to defaults: the table leaves config.toml, no limit is marked custom.
  await row.getByTestId('plugin-limits-edit').click();
  await row.getByTestId('plugin-limits-reset').click();
  await expect(row.locator('[data-custom="true"]')).toHaveCount(0);
  await expect(row.getByTestId('plugin-limit-fuelPerCall')).toHaveText(/fuel per call 100,000,000$/);
  expect(readFileSync(configFile, 'utf8')).not.toContain('[wasm.limits');
  expect(readFileSync(join(dirs.config, 'config.toml'), 'utf8')).toContain('description = "Heavy work"');

  // Isolation: "Own process" is saved at once; "Shared process" for this unsigned plugin first warns and waits.
  const isolation = row.getByTestId('plugin-isolation-select');
  await expect(isolation).toHaveValue('auto');
  await isolation.selectOption('process');
  await expect.poll(() => readFileSync(configFile, 'utf8'), { timeout: 15_000 }).toMatch(/\[wasm\.limits\.heavy\]\nisolation = "process"\n/);
  await expect(isolation).toBeEnabled();
  await expect(isolation).toHaveValue('process');
  await isolation.selectOption('shared');
  await expect(row.getByTestId('plugin-isolation-warning')).toContainText('although it is not signed');
  await expect(row.getByTestId('plugin-isolation-warning')).toContainText('other plugins in that process');
  await row.getByTestId('plugin-isolation').screenshot({ path: testInfo.outputPath('plugin-isolation-warning.png') });
  await row.getByTestId('plugin-isolation-cancel').click();
  await expect(isolation).toHaveValue('process');
  await expect(row.getByTestId('plugin-isolation-warning')).toHaveCount(0);
  expect(readFileSync(configFile, 'utf8')).toContain('isolation = "process"');
  await isolation.selectOption('auto');
  await expect.poll(() => readFileSync(configFile, 'utf8'), { timeout: 15_000 }).not.toContain('[wasm.limits');
  await expect(isolation).toBeEnabled();
  await expect(isolation).toHaveValue('auto');
});
