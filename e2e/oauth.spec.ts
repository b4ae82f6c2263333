// Issue #14, OAuth end to end (browser mode): the bundled Spotify plugin against the Spotify stand-in. The user sets the
// client id and the stand-in's addresses, clicks "Connect Spotify", the stand-in's /authorize sends the new tab back to
// main's loopback listener ("Connected to Spotify"), the form says Connected and a Test of `play` plays; the page never
// holds a token. Disconnect → the next Test fails with the plugin's "connect Spotify…". A denied authorization and a
// Connect before the client id is set show their error. A screenshot of the connected form goes to the output dir.
import type { Page } from '@playwright/test';
import { SCOPE_MODIFY, SCOPE_READ, SpotifyStandin } from '../plugins/official/test-support/spotify-standin';
import { ConductorApp } from './conductor-app';
import { expect, test } from './fixtures';

const EMPTY_CONFIG = `[device]
auto_connect = true

[[modes]]
name = "Default"
`;

const CLIENT_ID = 'e2e-client';

test.skip(({ shell }) => shell !== 'browser', 'browser project only');

let standin: SpotifyStandin | null = null;

test.beforeEach(async () => {
  standin = new SpotifyStandin({ clientId: CLIENT_ID });
  await standin.start();
});

test.afterEach(async () => {
  await standin?.stop();
  standin = null;
});

/** The app with the bundled spotify plugin in the Plugins view; resolves with the plugin's id. */
async function openSpotify(app: ConductorApp): Promise<string> {
  await app.ready();
  await app.open('plugins');
  const row = app.pluginRow('spotify');
  await expect(row).toBeVisible();
  await expect(row.getByTestId('plugin-tier')).toHaveAttribute('data-tier', 'bundled');
  await expect(row.getByTestId('plugin-state')).toHaveText('Ready');
  const id = (await row.getAttribute('data-plugin-id')) ?? '';
  expect(id).not.toBe('');
  return id;
}

/** Opens the form and saves the client id and the stand-in as both the API and the accounts service. */
async function pointAtStandin(app: ConductorApp, id: string, url: string): Promise<void> {
  await app.openPluginSettingsForm(id);
  const field = (name: string) => app.settingField(id, name);
  await field('client_id').fill(CLIENT_ID);
  await field('api_base').fill(url);
  await field('accounts_base').fill(url);
  // Connect uses the saved settings: not before they are saved.
  await expect(app.oauth(id, 'connect')).toBeDisabled();
  await app.settingsSaveButton(id).click();
  await expect(app.pluginSettings(id).getByTestId('settings-saved')).toBeVisible();
  await expect(app.settingsError(id)).toHaveCount(0);
  await expect(app.oauth(id, 'connect')).toBeEnabled();
}

/** Everything the stand-in issued that must never reach the page. */
function issuedTokens(s: SpotifyStandin): string[] {
  return s.tokens.flatMap((t) => [t.access_token, t.refresh_token]);
}

async function expectNoToken(page: Page, s: SpotifyStandin): Promise<void> {
  const html = await page.content();
  for (const token of issuedTokens(s)) expect(html.includes(token), 'a token the stand-in issued is in the page').toBe(false);
}

test('Connect Spotify: the sign-in tab comes back to Conductor, the form says Connected (never a token), play works; Disconnect → the plugin asks to connect', async ({
  launchApp,
  writeConfig,
}, testInfo) => {
  test.setTimeout(90_000);
  if (!standin) throw new Error('the stand-in did not start');
  const s = standin;
  writeConfig(EMPTY_CONFIG);
  const { page, pageErrors } = await launchApp();
  const app = new ConductorApp(page);
  const id = await openSpotify(app);

  // ── not connected yet: the row, the scopes it asks for ──────────────────────────────────────────────────────────
  await expect(app.oauth(id, 'status')).toHaveText('Spotify account: Not connected');
  await expect(app.oauth(id, 'connect')).toHaveText('Connect Spotify');
  await expect(app.oauth(id, 'disconnect')).toHaveCount(0);
  await expect(app.oauth(id, 'scopes')).toContainText(`asks for: ${SCOPE_READ}, ${SCOPE_MODIFY}`);
  await pointAtStandin(app, id, s.url);

  // ── Connect: a new tab at the stand-in's /authorize (held for a moment: the form says main is waiting), then
  //    redirected to main's loopback listener ──────────────────────────────────────────────────────────────────────
  let release = (): void => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const standinPort = new URL(s.url).port;
  await page.context().route(
    (url) => url.port === standinPort && url.pathname === '/authorize',
    async (route) => {
      await held;
      await route.continue();
    },
  );
  // (Playwright reports a new page once its first navigation is answered: wait for it after the release.)
  const opened = page.context().waitForEvent('page');
  await app.oauth(id, 'connect').click();
  await expect(app.oauth(id, 'pending')).toHaveText('Waiting for you to finish in the browser… (this tab can stay open) Open the sign-in page again');
  await expect(app.oauth(id, 'status')).toHaveText('Spotify account: Not connected');
  await app.oauth(id, 'pending').screenshot({ path: testInfo.outputPath('oauth-pending.png') });
  // Something typed meanwhile survives the form's re-read when the Connect finishes (only its OAuth state changes).
  await app.settingField(id, 'access_token').fill('typed-while-waiting');
  release();
  const tab = await opened;
  await expect(tab.locator('h1')).toHaveText('Connected to Spotify');
  await expect(tab.locator('body')).toContainText('You can close this tab');
  expect(tab.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/);
  const authorize = s.requests.find((r) => r.path === '/authorize');
  expect(authorize, 'the tab went to the stand-in first').toBeDefined();
  expect(authorize?.query).toMatchObject({ client_id: CLIENT_ID, response_type: 'code', code_challenge_method: 'S256', scope: `${SCOPE_READ} ${SCOPE_MODIFY}` });
  expect(s.requests.filter((r) => r.path === '/api/token').map((r) => r.status)).toEqual([200]);
  expect(s.tokens.map((t) => t.grant)).toEqual(['authorization_code']);
  await tab.close();

  // ── the form follows main (plugins.didChange → re-read): Connected, Reconnect and Disconnect ────────────────────
  await expect(app.oauth(id, 'status')).toHaveText('Spotify account: Connected ✓');
  await expect(app.settingField(id, 'access_token')).toHaveValue('typed-while-waiting');
  await app.settingField(id, 'access_token').fill('');
  await expect(app.oauth(id, 'connect')).toHaveText('Reconnect');
  await expect(app.oauth(id, 'connect')).toBeEnabled();
  await expect(app.oauth(id, 'disconnect')).toBeVisible();
  await expect(app.oauth(id, 'pending')).toHaveCount(0);
  await expect(app.oauth(id, 'error')).toHaveCount(0);
  await expectNoToken(page, s);
  const row = app.pluginRow('spotify');
  await row.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const shot = testInfo.outputPath('oauth-connected.png');
  await app.pluginSettings(id).screenshot({ path: shot });
  await testInfo.attach('oauth-connected', { path: shot, contentType: 'image/png' });

  // ── a mapping's Test of play: the plugin gets the token from the host, the stand-in's player plays ──────────────
  expect(s.player.is_playing).toBe(false);
  await app.open('mappings');
  await app.addMappingButton.click();
  await expect(app.mappingEditor).toBeVisible();
  await app.bindInstalledPlugin('spotify', 'play');
  await expect(app.actionType.locator('option:checked')).toHaveText('Run a plugin');
  await app.pluginTestButton.click();
  await expect(app.pluginTestResult).toContainText('✓ Succeeded');
  expect(s.player.is_playing).toBe(true);
  const play = s.apiRequests().find((r) => r.method === 'PUT' && r.path === '/v1/me/player/play');
  expect(play?.headers.authorization).toBe(`Bearer ${s.tokens[0]?.access_token ?? '?'}`);
  await expectNoToken(page, s);

  // ── Disconnect: Not connected; the next Test fails with the plugin's own "connect Spotify…" ─────────────────────
  await app.open('plugins');
  await app.oauth(id, 'disconnect').click();
  await expect(app.oauth(id, 'status')).toHaveText('Spotify account: Not connected');
  await expect(app.oauth(id, 'connect')).toHaveText('Connect Spotify');
  await expect(app.oauth(id, 'disconnect')).toHaveCount(0);
  s.player.is_playing = false;
  const apiCalls = s.apiRequests().length;
  await app.open('mappings');
  await app.pluginTestButton.click();
  await expect(app.pluginTestResult).toContainText('✗');
  await expect(app.pluginTestResult).toContainText("connect Spotify in the plugin's settings");
  expect(s.player.is_playing).toBe(false);
  expect(s.apiRequests().length, 'without a token the plugin does not call the API').toBe(apiCalls);

  await expectNoToken(page, s);
  expect(pageErrors).toEqual([]);
});

test('Connect before the client id is set, and a denied authorization: the form says why, plainly', async ({ launchApp, writeConfig }, testInfo) => {
  test.setTimeout(60_000);
  if (!standin) throw new Error('the stand-in did not start');
  const s = standin;
  writeConfig(EMPTY_CONFIG);
  const { page, pageErrors } = await launchApp();
  const app = new ConductorApp(page);
  const id = await openSpotify(app);

  // No client id yet: main refuses at once, nothing opens.
  let opened = 0;
  page.context().on('page', () => opened++);
  await app.oauth(id, 'connect').click();
  await expect(app.oauth(id, 'error')).toContainText("set client_id in the plugin's settings first");
  await expect(app.oauth(id, 'error')).toHaveAttribute('role', 'alert');
  await expect(app.oauth(id, 'status')).toHaveText('Spotify account: Not connected');
  expect(opened).toBe(0);
  await app.pluginSettings(id).screenshot({ path: testInfo.outputPath('oauth-summary-refused.png') });

  // Saved settings bring a new form: the old refusal is gone.
  await pointAtStandin(app, id, s.url);
  await expect(app.oauth(id, 'error')).toHaveCount(0);

  // The user says no at the provider: the tab lands on main's "not connected" page, the form shows the reason.
  s.authorizeDecision = 'deny';
  const tab = await app.connectOAuth(id);
  await expect(tab.locator('h1')).toHaveText('Spotify: not connected');
  await expect(tab.locator('body')).toContainText('access_denied');
  await tab.close();
  await expect(app.oauth(id, 'error')).toHaveText('Spotify said: access_denied');
  await expect(app.oauth(id, 'status')).toHaveText('Spotify account: Not connected');
  await expect(app.oauth(id, 'pending')).toHaveCount(0);
  expect(s.tokens).toEqual([]);
  expect(s.requests.filter((r) => r.path === '/api/token')).toEqual([]);
  await app.pluginSettings(id).screenshot({ path: testInfo.outputPath('oauth-denied.png') });

  // Approving on the next try clears the error.
  s.authorizeDecision = 'approve';
  const again = await app.connectOAuth(id);
  await expect(again.locator('h1')).toHaveText('Connected to Spotify');
  await again.close();
  await expect(app.oauth(id, 'status')).toHaveText('Spotify account: Connected ✓');
  await expect(app.oauth(id, 'error')).toHaveCount(0);
  await expectNoToken(page, s);
  expect(pageErrors).toEqual([]);
});
