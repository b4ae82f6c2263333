// The UI as the e2e tests see it: every locator the specs use lives here, so a UI change is one edit.
// Test support only. Uses data-testids (e2e/README.md lists the ones the specs rely on).
import { expect, type Locator, type Page } from '@playwright/test';

export const VIEWS = ['devices', 'mappings', 'plugins', 'console', 'settings'] as const;
export type View = (typeof VIEWS)[number];

export class ConductorApp {
  constructor(readonly page: Page) {}

  // ── shell ───────────────────────────────────────────────────────────────────────────────────────────────────
  nav(view: View): Locator {
    return this.page.getByTestId(`nav-${view}`);
  }
  get statusBar(): Locator {
    return this.page.getByTestId('status-bar');
  }

  // ── devices ─────────────────────────────────────────────────────────────────────────────────────────────────
  pad(note: number): Locator {
    return this.page.getByTestId(`pad-${note}`);
  }

  // ── mappings ────────────────────────────────────────────────────────────────────────────────────────────────
  get mappingRows(): Locator {
    return this.page.getByTestId('mapping-row');
  }
  get addMappingButton(): Locator {
    return this.page.getByTestId('mapping-add');
  }
  get mappingEditor(): Locator {
    return this.page.getByTestId('mapping-editor');
  }
  get learnButton(): Locator {
    return this.page.getByTestId('learn-button');
  }
  get learnActive(): Locator {
    return this.page.getByTestId('learn-active');
  }
  get learnResult(): Locator {
    return this.page.getByTestId('learn-result');
  }
  get triggerNote(): Locator {
    return this.page.getByTestId('trigger-note');
  }
  get actionType(): Locator {
    return this.page.getByTestId('action-type');
  }
  /** WasmPlugin: the installed-plugin picker (option values are the plugins' .wasm paths). */
  get pluginSelect(): Locator {
    return this.page.getByTestId('plugin-select');
  }
  get pluginPath(): Locator {
    return this.page.getByTestId('plugin-path');
  }
  /** WasmPlugin's `params.action`: a select when the plugin declares actions, else a text field. */
  get pluginAction(): Locator {
    return this.page.getByTestId('plugin-action');
  }
  get saveButton(): Locator {
    return this.page.getByTestId('save-config');
  }
  /** The problems of config.toml on disk (the app keeps running the last good config). */
  get configFileIssues(): Locator {
    return this.page.getByRole('alert').filter({ hasText: 'has problems' });
  }

  // ── console ─────────────────────────────────────────────────────────────────────────────────────────────────
  get consoleRows(): Locator {
    return this.page.getByTestId('console-row');
  }
  /** Rows of finished actions (their detail carries a plugin's log). */
  get finishedActionRows(): Locator {
    return this.page.locator('[data-testid="console-row"][data-kind="action-finish"]');
  }

  // ── plugins, approvals, trusted keys ────────────────────────────────────────────────────────────────────────
  /** The installed plugin's row, found by its metadata name. */
  pluginRow(name: string): Locator {
    return this.page.locator(`[data-testid="plugin-row"][data-plugin-name="${name}"]`);
  }
  get approvalDialog(): Locator {
    return this.page.getByTestId('approval-dialog');
  }
  get trustedKeyRows(): Locator {
    return this.page.getByTestId('trusted-key-row');
  }

  /** Installs a plugin through the Plugins view's path field. */
  async installPlugin(path: string): Promise<void> {
    await this.open('plugins');
    await this.page.getByTestId('plugin-install-path').fill(path);
    await this.page.getByTestId('plugin-install').click();
  }

  // ── steps ───────────────────────────────────────────────────────────────────────────────────────────────────
  /** Waits until the UI is up and connected to the core. */
  async ready(): Promise<void> {
    await expect(this.statusBar).toBeVisible();
    await expect(this.page.getByTestId('status-connection')).toHaveText(/^Connected/);
  }

  async open(view: View): Promise<void> {
    await this.nav(view).click();
    await expect(this.nav(view)).toHaveAttribute('aria-current', 'page');
  }

  /** Presses and releases a virtual pad (they are on the Devices view). */
  async pressPad(note: number): Promise<void> {
    if (!(await this.pad(note).isVisible())) await this.open('devices');
    await this.pad(note).click();
  }

  /** The validation messages shown at a form control: it is aria-invalid and names them in aria-describedby. */
  async fieldIssues(control: Locator): Promise<Locator> {
    await expect(control).toHaveAttribute('aria-invalid', 'true');
    const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
    expect(ids, 'the invalid control names its messages in aria-describedby').not.toEqual([]);
    return this.page.locator(ids.map((id) => `[id="${id}"]`).join(', ')).and(this.page.getByRole('alert'));
  }

  /** Sets the WasmPlugin action of the mapping in the editor: type, plugin (picker, else path) and its `action`. */
  async bindWasmPlugin(pluginPath: string, actionName: string): Promise<void> {
    await this.actionType.selectOption('WasmPlugin');
    const values = await this.pluginSelect.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    if (values.includes(pluginPath)) await this.pluginSelect.selectOption(pluginPath);
    else await this.pluginPath.fill(pluginPath);
    const tag = await this.pluginAction.evaluate((el) => el.tagName.toLowerCase());
    if (tag === 'select') await this.pluginAction.selectOption(actionName);
    else await this.pluginAction.fill(actionName);
  }
}
