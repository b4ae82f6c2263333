// Plugins in the UI against the real core (browser mode): the capability-approval dialog with its risk levels
// (install caps.wasm → approve filesystem, deny subprocess after the explicit step, revoke from the list), and the
// trusted-key manager (invalid and duplicate keys, a signed plugin turning "trusted", a policy that blocks an
// unsigned plugin). Screenshots of the dialog and the trusted-keys page go to the test's output dir.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConductorApp } from './conductor-app';
import { PROJECT_ROOT, expect, test } from './fixtures';

const CAPS = join(PROJECT_ROOT, 'plugins', 'fixtures', 'c', 'caps.wasm');
const GOOD = join(PROJECT_ROOT, 'plugins', 'fixtures', 'c', 'good.wasm');
const SIGN = join(PROJECT_ROOT, 'bin', 'conductor-sign.js');

test.skip(({ shell }) => shell !== 'browser', 'browser project only');

test('capability approval: risk levels, explicit step for high risk, decide, revoke', async ({ launchApp }, testInfo) => {
  const { page } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();

  await app.installPlugin(CAPS);
  const row = app.pluginRow('caps');
  await expect(row).toBeVisible();

  // The dialog pops up from the approval request (or is opened from the row if the request came earlier).
  const dialog = app.approvalDialog;
  const popped = await dialog.waitFor({ state: 'visible', timeout: 5_000 }).then(
    () => true,
    () => false,
  );
  if (!popped) await page.getByTestId('plugin-review-caps').click();
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute('role', 'dialog');
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  await expect(dialog).toBeFocused();

  await expect(dialog.getByTestId('approval-risk-filesystem')).toHaveText('medium');
  await expect(dialog.getByTestId('approval-risk-subprocess')).toHaveText('high');
  await expect(dialog.getByTestId('approval-risk-midi')).toHaveText('low');
  await expect(dialog.getByTestId('approval-cap-filesystem')).toContainText('🟡');
  await expect(dialog.getByTestId('approval-cap-subprocess')).toContainText('🔴');
  await expect(dialog.getByTestId('approval-cap-subprocess')).toContainText('High risk');
  await expect(dialog.getByTestId('approval-cap-midi')).toContainText('Granted automatically');
  await expect(dialog.getByTestId('approval-unsigned-warning')).toBeVisible();

  // High risk: Approve only after "I understand"; deny is one click.
  await expect(page.getByTestId('approve-subprocess')).toBeDisabled();
  await page.getByTestId('understand-subprocess').check();
  await expect(page.getByTestId('approve-subprocess')).toBeEnabled();
  await page.getByTestId('understand-subprocess').uncheck();
  await expect(page.getByTestId('approve-subprocess')).toBeDisabled();
  await page.screenshot({ path: testInfo.outputPath('approval-dialog.png') });

  await page.getByTestId('approve-filesystem').click();
  await expect(dialog.getByTestId('approval-cap-filesystem')).toHaveAttribute('data-status', 'granted');
  await page.getByTestId('deny-subprocess').click();
  await expect(dialog.getByTestId('approval-cap-subprocess')).toHaveAttribute('data-status', 'denied');
  await page.getByTestId('approval-close').click();
  await expect(dialog).toBeHidden();

  await expect(row.getByTestId('plugin-state')).toHaveText('Ready');
  await expect(row.getByTestId('plugin-cap-status-filesystem')).toHaveText('granted');
  await expect(row.getByTestId('plugin-cap-status-subprocess')).toHaveText('denied');
  await expect(row.getByTestId('plugin-cap-status-midi')).toHaveText('granted');

  // Revoking sends it back to waiting for approval.
  await row.getByTestId('plugin-revoke-filesystem').click();
  await expect(row.getByTestId('plugin-state')).toHaveText('Waiting for approval');
  await expect(row.getByTestId('plugin-cap-status-filesystem')).toHaveText('pending');

  // Escape = decide later: it stays pending.
  await page.getByTestId('plugin-review-caps').click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(row.getByTestId('plugin-state')).toHaveText('Waiting for approval');
});

test('trusted keys: invalid and valid keys, a signed plugin turns trusted, requiring signatures blocks an unsigned one', async ({
  launchApp,
  installWatPlugin,
  dirs,
}, testInfo) => {
  // good.wasm signed with a fresh Ed25519 key (the same .wasm.sig format as the CLI writes), echo.wasm unsigned.
  const base = join(dirs.root, 'dev-key');
  execFileSync(process.execPath, [SIGN, 'generate-key', base]);
  const publicKey = readFileSync(`${base}.public`, 'utf8').trim();
  const signed = join(dirs.plugins, 'good.wasm');
  copyFileSync(GOOD, signed);
  execFileSync(process.execPath, [SIGN, 'sign', signed, base, '--name', 'Dev Eloper', '--email', 'dev@example.com']);
  await installWatPlugin('echo');

  const { page } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  // good.wasm asks for capabilities: its approval dialog may pop up at any reload; "decide later" each time.
  await page.addLocatorHandler(app.approvalDialog, async () => {
    await page.getByTestId('approval-close').click();
  });
  await app.open('plugins');
  const good = page.locator('[data-testid="plugin-row"]').filter({ has: page.locator('[data-tier]') }).filter({ hasText: 'good.wasm' });
  await expect(good.getByTestId('plugin-tier')).not.toHaveAttribute('data-tier', 'trusted');

  await app.open('settings');
  await expect(page.getByTestId('trust-add-key')).toBeVisible();
  const before = await app.trustedKeyRows.count();

  // Invalid: caught live.
  await page.getByTestId('trust-add-key').fill('not-a-key');
  await expect(page.getByTestId('trust-add-error')).toContainText('hex');
  await expect(page.getByTestId('trust-add-submit')).toBeDisabled();

  // Valid.
  await page.getByTestId('trust-add-key').fill(publicKey);
  await expect(page.getByTestId('trust-add-error')).toBeHidden();
  await page.getByTestId('trust-add-name').fill('Dev Eloper');
  await page.getByTestId('trust-add-email').fill('dev@example.com');
  await page.getByTestId('trust-add-submit').click();
  await expect(app.trustedKeyRows).toHaveCount(before + 1);
  const keyRow = page.locator(`[data-testid="trusted-key-row"][data-key="${publicKey}"]`);
  await expect(keyRow).toContainText('Dev Eloper');
  await expect(page.getByTestId(`trust-remove-${publicKey.slice(0, 8)}`)).toBeVisible();

  // Duplicate: the main side's error is shown.
  await page.getByTestId('trust-add-key').fill(publicKey);
  await page.getByTestId('trust-add-name').fill('Again');
  await page.getByTestId('trust-add-submit').click();
  await expect(page.getByTestId('trust-add-error')).toBeVisible();
  await expect(app.trustedKeyRows).toHaveCount(before + 1);

  // The signed plugin is now trusted, and the key row says which plugin it signs.
  await expect(keyRow.getByTestId('trusted-key-plugins')).not.toContainText('none installed');
  await app.open('plugins');
  await expect(good.getByTestId('plugin-tier')).toHaveAttribute('data-tier', 'trusted');

  // Requiring signatures blocks the unsigned echo plugin; the UI says so and why.
  await app.open('settings');
  await page.getByTestId('policy-require').check();
  await expect(page.getByTestId('policy-require')).toBeChecked();
  await expect(page.getByTestId('policy-blocked')).toContainText('echo');
  await page.screenshot({ path: testInfo.outputPath('trusted-keys.png'), fullPage: true });
  await app.open('plugins');
  const echo = page.locator('[data-testid="plugin-row"]').filter({ hasText: 'echo.wasm' });
  await expect(echo.getByTestId('plugin-state')).toHaveText('Failed');
  await expect(good.getByTestId('plugin-state')).not.toHaveText('Failed');
});

test('install from picked files: the .wasm with its plugin.toml, as a file picker or a drop gives them', async ({ launchApp }, testInfo) => {
  const { page } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  await app.open('plugins');
  const toml = testInfo.outputPath('plugin.toml');
  const wasm = testInfo.outputPath('picked.wasm');
  // hostile.wasm carries its metadata in a custom section, which a plugin.toml beside it overrides.
  copyFileSync(join(PROJECT_ROOT, 'plugins', 'fixtures', 'c', 'hostile.wasm'), wasm);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(toml, 'name = "picked"\nversion = "3.1.0"\ncapabilities = []\n');
  await page.getByTestId('plugin-install-files').setInputFiles([wasm, toml]);
  const row = app.pluginRow('picked');
  await expect(row).toBeVisible();
  await expect(row).toContainText('3.1.0');
});
