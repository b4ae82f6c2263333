// Plugins in the UI against the real core (browser mode): the capability-approval dialog with its risk levels
// (install caps.wasm → approve filesystem, deny subprocess after the explicit step, revoke from the list); the
// approved plugin run from the mapping editor's Test button (the granted capability works, the denied one fails
// inside the plugin with a capability error, a revoked one makes the call wait for approval); the trusted-key
// manager (invalid and duplicate keys, a signed plugin turning "trusted", a policy that blocks an unsigned plugin,
// removing the key under the trusted-keys-only policy blocks the signed one with a hint; importing a .public file,
// a 64-hex key that is not a curve point refused while typing); installing from picked
// files and by a real drop on the window. Screenshots of the dialog (whole, and one capability row per
// risk level) and the trusted-keys page go to the test's output dir.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConductorApp } from './conductor-app';
import { PROJECT_ROOT, expect, test } from './fixtures';

const CAPS = join(PROJECT_ROOT, 'plugins', 'fixtures', 'c', 'caps.wasm');
const GOOD = join(PROJECT_ROOT, 'plugins', 'fixtures', 'c', 'good.wasm');
const HOSTILE = join(PROJECT_ROOT, 'plugins', 'fixtures', 'c', 'hostile.wasm');
const SIGN = join(PROJECT_ROOT, 'bin', 'conductor-sign.js');

/** One mode, no mappings: the mapping the test adds is the only one. */
const EMPTY_CONFIG = `[device]
auto_connect = true

[[modes]]
name = "Default"
`;

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
  await app.openApprovalDialog('caps');
  await expect(dialog).toHaveAttribute('role', 'dialog');
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  await expect(dialog).toBeFocused();

  await expect(dialog.getByTestId('approval-risk-filesystem')).toHaveText('medium');
  await expect(dialog.getByTestId('approval-risk-subprocess')).toHaveText('high');
  await expect(dialog.getByTestId('approval-risk-midi')).toHaveText('low');
  await expect(dialog.getByTestId('approval-cap-filesystem').getByRole('img', { name: 'Medium risk', exact: true })).toBeVisible();
  await expect(dialog.getByTestId('approval-cap-subprocess').getByRole('img', { name: 'High risk', exact: true })).toBeVisible();
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
  // One capability row per risk level, as the user sees it before deciding.
  for (const [capability, risk] of [
    ['midi', 'low'],
    ['filesystem', 'medium'],
    ['subprocess', 'high'],
  ] as const) {
    await expect(app.approvalCap(capability)).toHaveClass(new RegExp(`\\brisk-${risk}\\b`));
    await app.approvalCap(capability).screenshot({ path: testInfo.outputPath(`approval-${risk}.png`) });
  }

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

test('the approved plugin runs from the mapping editor: granted works, denied fails in the plugin, revoked waits for approval', async ({
  launchApp,
  writeConfig,
}) => {
  writeConfig(EMPTY_CONFIG);
  const { page } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();

  // Install caps.wasm, approve filesystem, deny subprocess (midi is low risk: granted automatically).
  await app.installPlugin(CAPS);
  const row = app.pluginRow('caps');
  await expect(row).toBeVisible();
  await app.openApprovalDialog('caps');
  await page.getByTestId('approve-filesystem').click();
  await expect(app.approvalCap('filesystem')).toHaveAttribute('data-status', 'granted');
  await page.getByTestId('deny-subprocess').click();
  await expect(app.approvalCap('subprocess')).toHaveAttribute('data-status', 'denied');
  await page.getByTestId('approval-close').click();
  await expect(app.approvalDialog).toBeHidden();
  await expect(row.getByTestId('plugin-state')).toHaveText('Ready');

  // A new mapping whose action is "Run a plugin": the installed caps plugin, action write-file.
  await app.open('mappings');
  await expect(app.mappingRows).toHaveCount(0);
  await app.addMappingButton.click();
  await expect(app.mappingEditor).toBeVisible();
  await expect(app.actionType.locator('option[value="WasmPlugin"]')).toHaveText('Run a plugin');
  await app.bindInstalledPlugin('caps', 'write-file');

  // write-file needs the granted filesystem capability: Test succeeds (it waits for its required parameter).
  await expect(app.pluginTestButton).toBeDisabled();
  const note = `written from the e2e test ${Date.now()}`;
  await app.pluginParam('text').fill(note);
  await app.pluginTestButton.click();
  await expect(app.pluginTestResult).toHaveAttribute('role', 'status');
  await expect(app.pluginTestResult).toContainText('✓ Succeeded');
  await expect(app.pluginTestResult).toContainText('code 0');
  // …and the file really is in the plugin's sandboxed filesystem: read-file prints it back.
  await app.pluginAction.selectOption('read-file');
  await app.pluginTestButton.click();
  await expect(app.pluginTestResult).toContainText(`note: ${note}`);
  await expect(app.pluginTestResult).toContainText('✓ Succeeded');

  // exec needs the denied subprocess capability: the plugin's host call fails the whole call (kind "capability").
  await app.pluginAction.selectOption('exec');
  await app.pluginParam('program').fill('echo');
  await app.pluginTestButton.click();
  await expect(app.pluginTestResult).toContainText('✗ capability not granted');
  await expect(app.pluginTestResult).toContainText('"subprocess" capability');
  await expect(app.pluginTestResult).not.toContainText('Succeeded');

  // Revoke filesystem in the Plugins view: the next Test of write-file waits for approval instead of running.
  await app.open('plugins');
  await row.getByTestId('plugin-revoke-filesystem').click();
  await expect(row.getByTestId('plugin-state')).toHaveText('Waiting for approval');
  await app.open('mappings');
  await expect(app.mappingEditor).toBeVisible();
  await expect(app.mappingEditor.getByRole('status').filter({ hasText: 'Waiting for approval of: filesystem' })).toBeVisible();
  await app.pluginAction.selectOption('write-file');
  await app.pluginParam('text').fill('must not be written');
  await app.pluginTestButton.click();
  await expect(app.pluginTestResult).toContainText('✗ waiting for approval');
  await expect(app.pluginTestResult).toContainText('waiting for approval of: filesystem (medium risk)');
  await expect(app.approvalDialog).toBeHidden(); // revoking from the list is the user's own doing: no pop-up
});

test('trusted keys: invalid and valid keys, a signed plugin turns trusted, requiring signatures blocks an unsigned one, removing the key blocks the signed one', async ({
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
  // good.wasm asks for capabilities: its approval dialog may pop up at any reload; "decide later" each time. Plugins
  // load side by side, so one dialog may follow another at once: do not wait for "hidden" after each (the handler runs
  // again for the next one).
  await page.addLocatorHandler(
    app.approvalDialog,
    async () => {
      await page.getByTestId('approval-close').click();
    },
    { noWaitAfter: true },
  );
  await app.open('plugins');
  const good = app.pluginRowByFile('good.wasm');
  await expect(good.getByTestId('plugin-tier')).not.toHaveAttribute('data-tier', 'trusted');

  // Count the keys only once the list came from the core (the official key is trusted on first run).
  await app.openTrustedKeys();
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
  const keyRow = app.trustedKeyRow(publicKey);
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
  // …and says why, in Settings and on the plugin itself.
  await expect(page.getByTestId('policy-blocked')).toContainText('not signed (no .wasm.sig file) and signatures are required');
  await page.screenshot({ path: testInfo.outputPath('trusted-keys.png'), fullPage: true });
  await app.open('plugins');
  const echo = page.locator('[data-testid="plugin-row"]').filter({ hasText: 'echo.wasm' });
  await expect(echo.getByTestId('plugin-state')).toHaveText('Failed');
  await expect(echo.getByTestId('plugin-reason')).toContainText('signatures are required');
  await expect(good.getByTestId('plugin-state')).not.toHaveText('Failed');

  // Trusted keys only (self-signed off; allowing it first shows the switch takes effect both ways): self-signed
  // plugins are refused too, good.wasm still loads while its key is trusted.
  await app.open('settings');
  const selfSigned = page.getByTestId('policy-self-signed');
  const description = page.getByTestId('policy-description');
  await selfSigned.check();
  await expect(selfSigned).toBeChecked();
  await expect(description).toContainText('self-signed plugins are accepted');
  await selfSigned.uncheck();
  await expect(selfSigned).not.toBeChecked();
  await expect(page.getByTestId('policy-require')).toBeChecked();
  await expect(description).toContainText('Only plugins signed by one of your trusted keys load');
  await expect(page.getByTestId('policy-blocked')).toContainText('echo');
  await expect(page.getByTestId('policy-blocked')).not.toContainText('counter');

  // Removing the key: the confirmation names the plugin that stops loading (good.wasm's "counter").
  const short = publicKey.slice(0, 8);
  await page.getByTestId(`trust-remove-${short}`).click();
  const confirm = keyRow.getByRole('group', { name: 'Confirm removing Dev Eloper' });
  await expect(confirm).toContainText('stop loading under the trusted-only policy');
  await expect(confirm).toContainText('counter');
  await page.getByTestId(`trust-remove-confirm-${short}`).click();
  await expect(keyRow).toHaveCount(0);
  await expect(app.trustedKeyRows).toHaveCount(before);

  // The signed plugin is blocked now: Failed, the key is not trusted, and the hint says where to add it.
  await app.open('plugins');
  await expect(good.getByTestId('plugin-state')).toHaveText('Failed');
  await expect(good.getByTestId('plugin-tier')).toHaveAttribute('data-tier', 'self-signed');
  await expect(good.getByTestId('plugin-tier')).toContainText('not in your trusted keys');
  await expect(good.getByTestId('plugin-help')).toContainText("the developer's key is not trusted");
  await expect(good.getByTestId('plugin-help')).toContainText("add the developer's key in Settings → Trusted keys");
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
  writeFileSync(toml, 'name = "picked"\nversion = "3.1.0"\ncapabilities = []\n');
  await page.getByTestId('plugin-install-files').setInputFiles([wasm, toml]);
  const row = app.pluginRow('picked');
  await expect(row).toBeVisible();
  await expect(row).toContainText('3.1.0');
});

test('install by drag and drop onto the window: a dropped .wasm with its plugin.toml installs; a drop without a .wasm says why', async ({ launchApp }) => {
  const { page } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  await app.open('plugins');
  await expect(app.pluginRow('dropped')).toHaveCount(0);
  const rows = page.getByTestId('plugin-row');
  const before = await rows.count(); // the app's bundled plugins, if this build has any

  // Dropped on the window while another view is shown: the Plugins view opens and says what it expected; nothing
  // is installed.
  await app.open('devices');
  await app.dropFiles([{ name: 'notes.txt', bytes: Buffer.from('not a plugin\n') }]);
  await expect(app.nav('plugins')).toHaveAttribute('aria-current', 'page');
  await expect(app.pluginInstallError).toBeVisible();
  await expect(app.pluginInstallError).toContainText('exactly one .wasm');
  await expect(rows).toHaveCount(before);

  // hostile.wasm renamed dropped.wasm; the plugin.toml beside it gives its name and version.
  await app.dropFiles([
    { name: 'dropped.wasm', bytes: readFileSync(HOSTILE) },
    { name: 'plugin.toml', bytes: Buffer.from('name = "dropped"\nversion = "2.0.0"\ncapabilities = []\n') },
  ]);
  const row = app.pluginRow('dropped');
  await expect(row).toBeVisible();
  await expect(row.locator('h3')).toContainText('2.0.0');
  await expect(row).toContainText('dropped.wasm');
  await expect(app.pluginInstallError).toBeHidden();
});

test('trusted keys: import a .public file; a key that is not a curve point is refused while typing', async ({ launchApp, dirs }) => {
  const base = join(dirs.root, 'importer');
  execFileSync(process.execPath, [SIGN, 'generate-key', base]);
  const publicKey = readFileSync(`${base}.public`, 'utf8').trim();
  const { page } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  await app.openTrustedKeys();

  // 64 hex characters, but not a point on the curve: caught live, before main is asked.
  await page.getByTestId('trust-add-key').fill(`02${'00'.repeat(31)}`);
  await expect(page.getByTestId('trust-add-error')).toContainText('not a valid Ed25519 public key');
  await expect(page.getByTestId('trust-add-submit')).toBeDisabled();

  // Importing the .public file fills the key and, when empty, the name from the file name.
  await page.getByTestId('trust-add-key').fill('');
  await page.getByTestId('trust-import-file').setInputFiles(`${base}.public`);
  await expect(page.getByTestId('trust-add-key')).toHaveValue(publicKey);
  await expect(page.getByTestId('trust-add-name')).toHaveValue('importer');
  await expect(page.getByTestId('trust-add-error')).toBeHidden();
  await page.getByTestId('trust-add-submit').click();
  await expect(app.trustedKeyRow(publicKey)).toContainText('importer');
  expect(readFileSync(join(dirs.config, 'trusted_keys.toml'), 'utf8')).toContain(publicKey);
});

test("Conductor-shaped metadata (parameters as plain names) gives the mapping editor's parameter form its fields", async ({ launchApp, installWatPlugin, writeConfig, dirs }) => {
  // echo.wasm has no metadata of its own; the sidecar is written the way Conductor's own plugins list parameters.
  writeConfig(EMPTY_CONFIG);
  await installWatPlugin('echo');
  writeFileSync(
    join(dirs.plugins, 'echo.plugin.toml'),
    [
      'name = "obs-shaped"',
      'version = "2.0.0"',
      'description = "Parameters as names, as Conductor writes them"',
      '[[actions]]',
      'name = "switch_scene"',
      'description = "Switch to a scene"',
      'parameters = ["scene_name"]',
      '[[actions]]',
      'name = "fade"',
      'description = "Fade a source"',
      'parameters = ["source", { name = "fade_ms", type = "number", required = true, description = "Fade length" }]',
      '',
    ].join('\n'),
  );
  const { page } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  await app.open('mappings');
  await app.addMappingButton.click();
  await app.bindInstalledPlugin('obs-shaped', 'switch_scene');
  await expect(app.pluginParam('scene_name')).toBeVisible();
  await app.pluginParam('scene_name').fill('Intermission');
  await app.pluginTestButton.click();
  await expect(app.pluginTestResult).toContainText('✓ Succeeded');
  await expect(app.pluginTestResult).toContainText('"scene_name":"Intermission"');

  // A mixed list: the plain name and the object both become fields; the required one holds Test back until filled.
  await app.pluginAction.selectOption('fade');
  await expect(app.pluginParam('source')).toBeVisible();
  await expect(app.pluginParam('fade_ms')).toBeVisible();
  await expect(app.pluginTestButton).toBeDisabled();
  await app.pluginParam('fade_ms').fill('250');
  await expect(app.pluginTestButton).toBeEnabled();
});
