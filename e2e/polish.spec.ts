// UI polish (issue #15 item 11) against the real core in browser mode: risk levels drawn as named inline SVG (no
// emoji in the DOM), the favicon served, views in the URL hash (reload, back/forward, the token still connecting),
// scroll reset per view, a toast never over the approval dialog's buttons, and every view at 1024×700 without a
// horizontal scrollbar. Screenshots of each view at 1024×700 go to the output dir. Changes nothing outside its temp dirs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { ConductorApp, VIEWS } from './conductor-app';
import { PROJECT_ROOT, expect, test } from './fixtures';

const CAPS = join(PROJECT_ROOT, 'plugins', 'fixtures', 'c', 'caps.wasm');
const SMALL = { width: 1024, height: 700 };
/** Any emoji (🟢🟡🔴 were the risk icons) or the symbol characters the UI drew before (✓ ✗ ⚠ ▶ ●). */
const SYMBOLS = /[\p{Extended_Pictographic}✓✗⚠▶●]/u;

test.skip(({ shell }) => shell !== 'browser', 'browser project only');

type Box = { x: number; y: number; width: number; height: number };
function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator.toString()} has no box`);
  return box;
}

/** How far the page and #main scroll sideways (0 when nothing is wider than the window). */
async function horizontalOverflow(page: Page): Promise<{ document: number; main: number }> {
  return page.evaluate(() => {
    const main = document.getElementById('main')!;
    return {
      document: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      main: main.scrollWidth - main.clientWidth,
    };
  });
}

test('risk levels are named SVG icons, no emoji; a toast shown over the approval dialog never covers its buttons', async ({ launchApp }, testInfo) => {
  const { page } = await launchApp();
  await page.setViewportSize(SMALL);
  const app = new ConductorApp(page);
  await app.ready();

  await app.installPlugin(CAPS);
  await app.openApprovalDialog('caps');
  const dialog = app.approvalDialog;
  for (const [capability, risk, name] of [
    ['midi', 'low', 'Low risk'],
    ['filesystem', 'medium', 'Medium risk'],
    ['subprocess', 'high', 'High risk'],
  ] as const) {
    const icon = app.approvalCap(capability).locator(`svg[data-icon="risk-${risk}"]`);
    await expect(icon).toBeVisible();
    await expect(icon).toHaveAttribute('role', 'img');
    await expect(app.approvalCap(capability).getByRole('img', { name, exact: true })).toHaveCount(1);
  }
  expect(await dialog.textContent()).not.toMatch(SYMBOLS);
  // The dialog fits the small window.
  const dialogBox = await boxOf(dialog);
  expect(dialogBox.y).toBeGreaterThanOrEqual(0);
  expect(dialogBox.y + dialogBox.height).toBeLessThanOrEqual(SMALL.height);
  expect(dialogBox.x + dialogBox.width).toBeLessThanOrEqual(SMALL.width);

  // A toast while the dialog is open: files that are no plugin, picked behind the dialog, fail to install (an error
  // toast, which stays 12 s). Neither it nor any other toast lies over a button of the dialog.
  const notes = testInfo.outputPath('notes.txt');
  writeFileSync(notes, 'not a plugin\n');
  await page.getByTestId('plugin-install-files').setInputFiles([notes]);
  const toasts = page.getByTestId('toasts').locator('.toast');
  await expect(page.getByTestId('toast-error')).toBeVisible();
  await expect(dialog).toBeVisible();
  const buttons = dialog.locator('button');
  await expect(buttons.first()).toBeVisible();
  const buttonBoxes = await Promise.all((await buttons.all()).map(boxOf));
  expect(buttonBoxes.length).toBeGreaterThanOrEqual(4); // close, approve/deny ×2, decide later
  for (const toast of await toasts.all()) {
    const toastBox = await boxOf(toast);
    expect(toastBox.y).toBeGreaterThanOrEqual(0); // on screen, not pushed out of view
    for (const b of buttonBoxes) expect(overlaps(toastBox, b), `toast ${JSON.stringify(toastBox)} over button ${JSON.stringify(b)}`).toBe(false);
  }
  // The toast is on top (not hidden behind the backdrop): the point at its centre belongs to it.
  const errorToast = page.getByTestId('toast-error');
  const hit = await errorToast.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
  });
  expect(hit).toBe(true);
  await page.screenshot({ path: testInfo.outputPath('approval-dialog-toast-1024x700.png') });

  // The Plugins view's capability list: the same icons, no emoji.
  await page.getByTestId('approval-close').click();
  await expect(dialog).toBeHidden();
  const caps = app.pluginRow('caps');
  await expect(caps.getByTestId('plugin-cap-subprocess').getByRole('img', { name: 'High risk', exact: true })).toBeVisible();
  await expect(caps.getByTestId('plugin-cap-filesystem').getByRole('img', { name: 'Medium risk', exact: true })).toBeVisible();
  expect(await page.getByTestId('plugin-row').allTextContents()).not.toContainEqual(expect.stringMatching(SYMBOLS));
  expect(await page.locator('#root').textContent()).not.toMatch(/[\p{Extended_Pictographic}]/u);
});

test('the favicon is linked and served as an image', async ({ launchApp }) => {
  const { page } = await launchApp();
  await new ConductorApp(page).ready();
  const href = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(href).toBeTruthy();
  const url = new URL(href!, page.url()).href;
  const response = await page.request.get(url);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/^image\/svg\+xml/);
  expect((await response.text()).trimStart()).toMatch(/^<svg /);
});

test('views in the URL hash: reload keeps the view, back/forward switch views, the token still connects', async ({ launchApp }) => {
  const { page, url } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  const token = new URL(url).hash.match(/token=([^&]+)/)?.[1];
  expect(token).toBeTruthy();
  // The start page (Mappings: the controller at once) names its view, the token kept beside it.
  await expect(page).toHaveURL(new RegExp(`#/mappings&token=${token}$`));

  await app.open('plugins');
  await expect(page).toHaveURL(new RegExp(`#/plugins&token=${token}$`));
  await page.reload();
  await app.ready(); // connected: the token was still found
  await expect(app.nav('plugins')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Plugins');

  await app.open('console');
  await expect(page).toHaveURL(/#\/console&token=/);
  await page.goBack();
  await expect(app.nav('plugins')).toHaveAttribute('aria-current', 'page');
  await page.goBack();
  await expect(app.nav('mappings')).toHaveAttribute('aria-current', 'page');
  await page.goForward();
  await expect(app.nav('plugins')).toHaveAttribute('aria-current', 'page');

  // A link straight to a view (as a bookmark would be) opens it.
  await page.goto(`${new URL(url).origin}/#/settings&token=${token}`);
  await app.ready();
  await expect(app.nav('settings')).toHaveAttribute('aria-current', 'page');
});

test('each view at 1024×700: no horizontal scroll, opened at the top; screenshots', async ({ launchApp }, testInfo) => {
  const { page } = await launchApp();
  await page.setViewportSize(SMALL);
  const app = new ConductorApp(page);
  await app.ready();
  const main = page.locator('#main');
  const scrollTop = () => main.evaluate((el) => el.scrollTop);

  let tall: (typeof VIEWS)[number] | null = null;
  for (const view of VIEWS) {
    await app.open(view);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await horizontalOverflow(page), `${view} scrolls sideways`).toEqual({ document: 0, main: 0 });
    await page.screenshot({ path: testInfo.outputPath(`view-${view}-1024x700.png`) });
    if (!tall && (await main.evaluate((el) => el.scrollHeight - el.clientHeight)) > 100) tall = view;
  }

  // Scrolled down in a view that is taller than the window, then to another view and back: each opens at the top.
  expect(tall, 'no view is taller than 700 px to check the scroll reset with').not.toBeNull();
  const other = VIEWS.find((v) => v !== tall)!;
  await app.open(tall!);
  await main.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect.poll(scrollTop).toBeGreaterThan(50);
  await app.open(other);
  expect(await scrollTop()).toBe(0);
  await app.open(tall!);
  expect(await scrollTop()).toBe(0);
  // Back to the scrolled view by the browser's back button: also at the top.
  await main.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect.poll(scrollTop).toBeGreaterThan(50);
  await page.goBack();
  await expect(app.nav(other)).toHaveAttribute('aria-current', 'page');
  expect(await scrollTop()).toBe(0);
});
