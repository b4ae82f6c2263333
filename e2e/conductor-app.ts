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
    // The virtual controller is drawn by one component on Devices and on Mappings (control id `pad-<note>`).
    return this.page.getByTestId(`control-pad-${note}`).first();
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
  get mappingEditButtons(): Locator {
    return this.page.getByTestId('mapping-edit');
  }
  get mappingDescription(): Locator {
    return this.mappingEditor.getByTestId('mapping-description');
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
  /** WasmPlugin: the form field of one of the chosen action's declared parameters. */
  pluginParam(name: string): Locator {
    return this.page.getByTestId(`param-${name}`);
  }
  /** WasmPlugin: "Test" runs the action once now (plugins.test) with the editor's params. */
  get pluginTestButton(): Locator {
    return this.page.getByTestId('plugin-test');
  }
  /** WasmPlugin: the last Test's outcome ("✓ Succeeded" / "✗ <error kind> — <error>", then its log). */
  get pluginTestResult(): Locator {
    return this.page.getByTestId('plugin-test-result');
  }
  get saveButton(): Locator {
    return this.page.getByTestId('save-config');
  }
  /** WasmPlugin: the "Other parameters" JSON object (a textarea; Test waits while it is not valid JSON). */
  get pluginParamsJson(): Locator {
    return this.page.getByTestId('plugin-params-json');
  }
  /** WasmPlugin: after an action switch, "Dropped <params> — not parameters of <action>." with its Undo. */
  get pluginParamsDropped(): Locator {
    return this.page.getByTestId('plugin-params-dropped');
  }
  get pluginParamsUndo(): Locator {
    return this.page.getByTestId('plugin-params-undo');
  }
  /** Beside Save: why it is held back ("Can't save yet: fade_ms is required for fade"). */
  get saveBlocked(): Locator {
    return this.page.getByTestId('save-blocked');
  }
  /** On a mapping's card: its missing required plugin parameters. */
  get mappingRequired(): Locator {
    return this.page.getByTestId('mapping-required');
  }
  /** On a mapping's card: "Note 36 is already mapped in Default: …" (one per other mapping; never blocks Save). */
  get mappingConflicts(): Locator {
    return this.page.getByTestId('mapping-conflict');
  }
  // ── the controller on Mappings (views/ControllerPane.tsx) ─────────────────────────────────────────────────────
  /** The Controller | List switch's buttons. */
  mappingsPane(pane: 'controller' | 'list'): Locator {
    return this.page.getByTestId(`mappings-pane-${pane}`);
  }
  /** The drawn controller (data-layout = the layout's id). */
  get controller(): Locator {
    return this.page.getByTestId('controller').first();
  }
  /** A control of the drawn controller by its layout id ("pad-36", "knob-1"): data-selected, data-lit, aria-pressed. */
  control(id: string): Locator {
    return this.page.getByTestId('controller-pane').getByTestId(`control-${id}`).first();
  }
  /** What a control does in the selected mode, drawn on it. */
  controlLabel(id: string): Locator {
    return this.page.getByTestId('controller-pane').getByTestId(`control-label-${id}`).first();
  }
  /** The side panel of the selected control (data-control = its id): its mapping cards and "Add mapping on …". */
  get inspector(): Locator {
    return this.page.getByTestId('inspector');
  }
  get inspectorAdd(): Locator {
    return this.page.getByTestId('inspector-add');
  }
  get layoutPicker(): Locator {
    return this.page.getByTestId('layout-picker');
  }
  get followController(): Locator {
    return this.page.getByTestId('follow-controller');
  }

  // ── first run (components/MidiNotice.tsx, components/FirstRunGuide.tsx) ─────────────────────────────────────
  /** The one notice that MIDI hardware is unavailable (above every view until closed); its Details hold the reason. */
  get midiNotice(): Locator {
    return this.page.getByTestId('midi-unavailable');
  }
  /** The three-step guide at the top of Mappings (first run only; gone once done or skipped). */
  get firstRunGuide(): Locator {
    return this.page.getByTestId('first-run-guide');
  }
  /** One step of the guide: data-done="true" once ticked. */
  firstRunStep(step: 'press' | 'console' | 'map'): Locator {
    return this.page.getByTestId(`first-run-step-${step}`);
  }

  /** The problems of config.toml on disk (the app keeps running the last good config). */
  get configFileIssues(): Locator {
    return this.page.getByRole('alert').filter({ hasText: 'has problems' });
  }

  // ── action editors and mode colours (editors.spec.ts) ─────────────────────────────────────────────────────
  /** Keystroke: "Press the shortcut" (arms key capture; Esc alone cancels), the captured chord as keycaps, the hint. */
  keystroke(part: 'capture' | 'keycaps' | 'capture-hint' | 'keys'): Locator {
    return this.page.getByTestId(`keystroke-${part}`);
  }
  /** Keystroke: one modifier's checkbox (cmd, ctrl, alt, shift, super). */
  keystrokeModifier(name: string): Locator {
    return this.page.getByTestId(`keystroke-mod-${name}`);
  }
  /** SendMidi: `port` (free text), `port-choice` (select of the outputs present now), `port-status` ("Connected now"…). */
  sendMidi(part: 'port' | 'port-choice' | 'port-status'): Locator {
    return this.page.getByTestId(`send-midi-${part}`);
  }
  /** Launch: `app` (free text), `app-choose` (opens the picker), `app-search`, `app-option` (each app), `app-picker`. */
  launch(part: 'app' | 'app-choose' | 'app-search' | 'app-option' | 'app-picker' | 'app-refresh'): Locator {
    return this.page.getByTestId(`launch-${part}`);
  }
  /**
   * The selected mode's colour: `toggle` (opens the choice; shows `value`, what is set), then a swatch by name
   * (`red`…), `none` or `custom` (colour input).
   */
  modeColour(part: string): Locator {
    return this.page.getByTestId(`mode-colour-${part}`);
  }
  /** Per-app profiles in the mode editor: `mode-app` (each listed app), `mode-app-input`, `-add`, `-remove`, `-use-current`, `-problem`. */
  modeApp(part?: string): Locator {
    return this.page.getByTestId(part === undefined ? 'mode-app' : `mode-app-${part}`);
  }
  /** "Follow the frontmost app" (`profiles-follow`) and its reason line (`profiles-reason`). */
  profiles(part: 'follow' | 'reason'): Locator {
    return this.page.getByTestId(`profiles-${part}`);
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
  /** An installed plugin's row found by its file name (a plugin blocked before its metadata was read has no name). */
  pluginRowByFile(fileName: string): Locator {
    return this.page.getByTestId('plugin-row').filter({ has: this.page.getByTestId('plugin-tier') }).filter({ hasText: fileName });
  }
  /** The overlay shown while files are dragged over the window. */
  get dropOverlay(): Locator {
    return this.page.getByTestId('drop-overlay');
  }
  get pluginInstallError(): Locator {
    return this.page.getByTestId('plugin-install-error');
  }
  get approvalDialog(): Locator {
    return this.page.getByTestId('approval-dialog');
  }
  /** One capability's row in the approval dialog (risk icon, title, risk, status, decide buttons). */
  approvalCap(capability: string): Locator {
    return this.approvalDialog.getByTestId(`approval-cap-${capability}`);
  }
  get trustedKeyRows(): Locator {
    return this.page.getByTestId('trusted-key-row');
  }
  /** Settings' "Plugin signatures and trusted keys" panel. */
  get trustedKeysPanel(): Locator {
    return this.page.getByTestId('trusted-keys');
  }
  /** A trusted key's row in Settings, by its full public key (hex). */
  trustedKeyRow(publicKey: string): Locator {
    return this.page.locator(`[data-testid="trusted-key-row"][data-key="${publicKey}"]`);
  }
  /** Settings → Device: `input` (select: `first`, `input:<name>`, `contains`), `name`, `auto-connect`, `auto-reconnect`. */
  deviceSetting(part: 'input' | 'name' | 'auto-connect' | 'auto-reconnect'): Locator {
    return this.page.getByTestId(`device-${part}`);
  }
  /** Settings → Timing: one field by its [advanced_settings] key (e.g. `hold_threshold_ms`), or `reset`. */
  timingSetting(key: string): Locator {
    return this.page.getByTestId(`timing-${key}`);
  }
  /** Settings' save bar for Device and Timing: `save-config`, `revert`, `unsaved`; `save-refused` = main's refusal. */
  settingsBar(part: 'save-config' | 'revert' | 'unsaved' | 'save-refused'): Locator {
    return this.page.getByTestId(`settings-${part}`);
  }

  /** A plugin's settings in its row (a summary and "Edit settings", or the form), by plugin id. */
  pluginSettings(pluginId: string): Locator {
    return this.page.getByTestId(`plugin-settings-${pluginId}`);
  }
  /** One field of a plugin's settings form, by setting name (a secret's is a password input, never prefilled). */
  settingField(pluginId: string, name: string): Locator {
    return this.pluginSettings(pluginId).getByTestId(`setting-${name}`);
  }
  settingsSaveButton(pluginId: string): Locator {
    return this.pluginSettings(pluginId).getByTestId('settings-save');
  }
  /** Main's refusal of the last save (names the setting, never a value). */
  settingsError(pluginId: string): Locator {
    return this.pluginSettings(pluginId).getByTestId('settings-error');
  }
  /** Where secrets are kept (system keychain, or browser mode's plugin_secrets.json). */
  settingsStorageNote(pluginId: string): Locator {
    return this.pluginSettings(pluginId).getByTestId('settings-storage-note');
  }

  /**
   * A plugin's OAuth account row in its settings (summary or form): `oauth-status` ("Spotify account: Connected ✓" /
   * "… Not connected"), `oauth-connect`, `oauth-disconnect` (when connected), `oauth-pending`, `oauth-error`.
   */
  oauth(pluginId: string, part: 'status' | 'connect' | 'disconnect' | 'pending' | 'error' | 'scopes'): Locator {
    return this.pluginSettings(pluginId).getByTestId(`oauth-${part}`);
  }

  /**
   * Clicks a plugin's Connect and returns the page it opened: browser mode opens the provider's sign-in page in a new
   * tab of the same browser (the desktop app would open the system browser instead, which a test cannot follow). The
   * tab may still be loading.
   */
  async connectOAuth(pluginId: string): Promise<Page> {
    const opened = this.page.context().waitForEvent('page');
    await this.oauth(pluginId, 'connect').click();
    return opened;
  }

  /** Opens a plugin's settings form (with no required setting missing it starts closed, as a summary + "Edit settings"). */
  async openPluginSettingsForm(pluginId: string): Promise<void> {
    const edit = this.pluginSettings(pluginId).getByTestId('plugin-settings-edit');
    // Until main sent the form it shows "Loading settings…": wait for the summary's button or the form itself.
    await expect(edit.or(this.settingsSaveButton(pluginId))).toBeVisible();
    if (await edit.isVisible()) await edit.click();
    await expect(this.settingsSaveButton(pluginId)).toBeVisible();
  }

  /** Installs a plugin through the Plugins view's path field. */
  async installPlugin(path: string): Promise<void> {
    await this.open('plugins');
    await this.page.getByTestId('plugin-install-path').fill(path);
    await this.page.getByTestId('plugin-install').click();
  }

  /**
   * Opens the approval dialog of a just-installed plugin: it pops up by itself from the core's approval request,
   * or — when the request came before the page listened — from the row's "Review permissions".
   */
  async openApprovalDialog(pluginName: string): Promise<void> {
    const popped = await this.approvalDialog.waitFor({ state: 'visible', timeout: 5_000 }).then(
      () => true,
      () => false,
    );
    if (!popped) await this.page.getByTestId(`plugin-review-${pluginName}`).click();
    await expect(this.approvalDialog).toBeVisible();
  }

  /**
   * Drops files on the window the way a drag from a file manager does: dragenter, dragover (the drop overlay shows),
   * then drop, all carrying one DataTransfer holding the files.
   */
  async dropFiles(files: readonly { name: string; bytes: Buffer }[]): Promise<void> {
    const payload = files.map((f) => ({ name: f.name, base64: f.bytes.toString('base64') }));
    const dataTransfer = await this.page.evaluateHandle((list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name, { type: f.name.endsWith('.wasm') ? 'application/wasm' : '' }));
      }
      return dt;
    }, payload);
    // Over whatever view is shown: the whole window takes plugin files.
    const target = this.page.locator('#main');
    await target.dispatchEvent('dragenter', { dataTransfer });
    await target.dispatchEvent('dragover', { dataTransfer });
    await expect(this.dropOverlay).toBeVisible();
    await target.dispatchEvent('drop', { dataTransfer });
    await expect(this.dropOverlay).toBeHidden();
    await dataTransfer.dispose();
  }

  /** Opens Settings and waits until its trusted keys and signature policy came from the core (before, no rows show). */
  async openTrustedKeys(): Promise<void> {
    await this.open('settings');
    await expect(this.page.getByTestId('trust-add-key')).toBeVisible();
    await expect(this.trustedKeysPanel).not.toContainText('Loading');
    await expect(this.page.getByTestId('policy-require')).toBeVisible();
  }

  // ── steps ───────────────────────────────────────────────────────────────────────────────────────────────────
  /** Waits until the UI is up and connected to the core. */
  async ready(): Promise<void> {
    await expect(this.statusBar).toBeVisible();
    await expect(this.page.getByTestId('status-connection')).toHaveText(/^Connected/);
  }

  /** Opens a view; Mappings opens on its list of cards (openController() shows the drawn controller instead). */
  async open(view: View): Promise<void> {
    await this.nav(view).click();
    await expect(this.nav(view)).toHaveAttribute('aria-current', 'page');
    if (view === 'mappings') await this.showMappingList();
  }

  /** On Mappings: the list of mapping cards ("List" of the Controller | List switch; #/mappings/list). */
  async showMappingList(): Promise<void> {
    const list = this.mappingsPane('list');
    await expect(list.or(this.page.getByText('The configuration could not be loaded.'))).toBeVisible();
    if ((await list.isVisible()) && (await list.getAttribute('aria-pressed')) !== 'true') await list.click();
  }

  /** Opens Mappings on the drawn controller with its inspector (the view's default). */
  async openController(): Promise<void> {
    await this.nav('mappings').click();
    await expect(this.nav('mappings')).toHaveAttribute('aria-current', 'page');
    const pane = this.mappingsPane('controller');
    if ((await pane.getAttribute('aria-pressed')) !== 'true') await pane.click();
    await expect(this.page.getByTestId('controller-pane')).toBeVisible();
  }

  /** Presses and releases a virtual pad (they are on the Devices view). */
  async pressPad(note: number): Promise<void> {
    if (!(await this.pad(note).isVisible())) await this.open('devices');
    await this.pad(note).click();
  }

  /** In the open mapping editor: Learn, then press the virtual pad `note`; back on Mappings, the trigger is that note. */
  async learnPad(note: number): Promise<void> {
    await this.learnButton.click();
    await expect(this.learnActive).toBeVisible();
    await this.pressPad(note);
    await this.open('mappings');
    await expect(this.learnResult).toContainText(`note ${note}`);
    await expect(this.triggerNote).toHaveValue(String(note));
  }

  /** The validation messages shown at a form control: it is aria-invalid and names them in aria-describedby. */
  async fieldIssues(control: Locator): Promise<Locator> {
    await expect(control).toHaveAttribute('aria-invalid', 'true');
    const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
    expect(ids, 'the invalid control names its messages in aria-describedby').not.toEqual([]);
    return this.page.locator(ids.map((id) => `[id="${id}"]`).join(', ')).and(this.page.getByRole('alert'));
  }

  /** Sets the WasmPlugin action of the mapping in the editor to an installed plugin picked by its name in the picker. */
  async bindInstalledPlugin(pluginName: string, actionName: string): Promise<void> {
    await this.actionType.selectOption('WasmPlugin');
    // Option labels are "<name> <version> — <file>"; values are the .wasm paths.
    const option = this.pluginSelect.locator('option').filter({ hasText: new RegExp(`^${pluginName} `) });
    await expect(option, `the plugin picker lists "${pluginName}"`).toHaveCount(1);
    await this.pluginSelect.selectOption((await option.getAttribute('value')) ?? '');
    await this.pluginAction.selectOption(actionName);
    await expect(this.pluginAction).toHaveValue(actionName);
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
