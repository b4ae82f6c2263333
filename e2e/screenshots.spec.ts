// Screenshots of every view, as a new user sees them on the first run (the default config, the bundled plugins), then
// the controller view of an everyday session (guide skipped, notice closed, a pad selected), at 1280×820 and 1024×700,
// light and dark, against the real core in browser mode. Saved to the test's output dir; with CONDUCTOR_SCREENSHOTS_DIR
// set (`npm run screenshots`) also there — README's pictures come from that run.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConductorApp } from './conductor-app';
import { expect, test } from './fixtures';

test.skip(({ shell }) => shell !== 'browser', 'browser project only');

const SIZES = [
  { name: '1280x820', width: 1280, height: 820 },
  { name: '1024x700', width: 1024, height: 700 },
] as const;
const SCHEMES = ['light', 'dark'] as const;
/** Each place a user goes, by its URL hash (the Mappings view's two panes are two places). */
const PLACES = [
  { name: 'mappings', hash: '/mappings', heading: 'Mappings' },
  { name: 'mappings-list', hash: '/mappings/list', heading: 'Mappings' },
  { name: 'devices', hash: '/devices', heading: 'Devices' },
  { name: 'plugins', hash: '/plugins', heading: 'Plugins' },
  { name: 'console', hash: '/console', heading: 'Console' },
  { name: 'settings', hash: '/settings', heading: 'Settings' },
] as const;

test('every view at two window sizes in light and dark', async ({ launchApp }, testInfo) => {
  test.setTimeout(180_000);
  const { page } = await launchApp();
  const app = new ConductorApp(page);
  await app.ready();
  const outDir = process.env.CONDUCTOR_SCREENSHOTS_DIR;
  if (outDir) mkdirSync(outDir, { recursive: true });
  /** One picture per scheme and size, each checked for a sideways scrollbar (the layout holds). */
  const shoot = async (name: string) => {
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${name} at ${size.name} scrolls sideways`).toBeLessThanOrEqual(0);
        const file = `${name}-${size.name}-${scheme}.png`;
        const path = testInfo.outputPath(file);
        await page.screenshot({ path, animations: 'disabled' });
        if (outDir) copyFileSync(path, join(outDir, file));
      }
    }
  };
  const go = async (place: (typeof PLACES)[number]) => {
    await page.evaluate((hash) => {
      const rest = location.hash
        .replace(/^#/, '')
        .split('&')
        .filter((p) => p !== '' && !p.startsWith('/'));
      location.hash = [hash, ...rest].join('&');
    }, place.hash);
    await expect(page.getByRole('heading', { level: 1, name: place.heading })).toBeVisible();
    // Each picture from the top of the view (the Mappings panes share one scroll position).
    await page.evaluate(() => document.getElementById('main')?.scrollTo(0, 0));
  };

  // The first run: one press of the first pad (the guide's first step ticks; the console has it).
  await app.pressPad(36);
  for (const place of PLACES) {
    await go(place);
    await shoot(place.name);
  }

  // An everyday session: the guide skipped, the notice closed, Pad 2 selected (its mapping in the inspector).
  await go(PLACES[0]);
  await page.getByTestId('first-run-skip').click();
  await page.getByTestId('midi-notice-dismiss').click();
  await page.getByTestId('mode-tab-m0').click();
  await app.control('pad-37').click();
  await expect(app.inspector).toHaveAttribute('data-control', 'pad-37');
  await shoot('controller');
});
