// The shipped device templates (resources/templates/): each is listed and each file is a template, reads with no
// problems, round-trips (read → write → read: the same device, timing, modes and mappings); names match their devices;
// a config is written from one without overwriting anything unless forced.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyConfig } from './default-config';
import { parseConfigText } from './schema';
import { configFromTemplate, createConfigFromTemplate, DEVICE_TEMPLATES, listTemplates, readTemplate, resolveTemplate, TemplateError, templateFile, templateForDevice, templatesDir } from './templates';
import { serializeConfig } from './write';

const dir = templatesDir();
const scratch = mkdtempSync(join(tmpdir(), 'conductor-templates-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the shipped templates', () => {
  it('are found from sources, and every file in the folder is a listed template (and the other way round)', async () => {
    expect(dir).not.toBeNull();
    const files = readdirSync(dir ?? '').filter((f) => f.endsWith('.toml')).sort();
    expect(files).toEqual(DEVICE_TEMPLATES.map((t) => `${t.id}.toml`).sort());
    expect((await listTemplates(dir)).map((t) => t.id)).toEqual(DEVICE_TEMPLATES.map((t) => t.id));
    expect(DEVICE_TEMPLATES.filter((t) => t.kind === 'midi')).toHaveLength(6);
    expect(DEVICE_TEMPLATES.filter((t) => t.kind === 'gamepad')).toHaveLength(6);
  });

  for (const template of DEVICE_TEMPLATES) {
    describe(template.id, () => {
      const text = readFileSync(templateFile(template, dir ?? ''), 'utf8');

      it('reads with no problems, in Conductor\'s tagged format, with at least two modes and a way between them', () => {
        const { config, issues } = parseConfigText(text, `${template.id}.toml`);
        expect(issues).toEqual([]);
        expect(text).toMatch(/type = "/);
        expect(text).not.toMatch(/trigger = \{ [A-Z]\w* = \{/); // not our older `{ Note = { … } }` shape
        expect(config?.modes.length).toBeGreaterThanOrEqual(2);
        const modeChanges = [...(config?.modes.flatMap((m) => m.mappings) ?? []), ...(config?.globalMappings ?? [])].filter((m) => m.action.type === 'ModeChange');
        expect(modeChanges.length).toBeGreaterThanOrEqual(1);
        const gamepad = [...(config?.modes.flatMap((m) => m.mappings) ?? []), ...(config?.globalMappings ?? [])].some((m) => m.trigger.type.startsWith('Gamepad'));
        expect(gamepad).toBe(template.kind === 'gamepad');
      });

      it('round-trips: read → write → read gives the same device, timing, modes and mappings', () => {
        const first = parseConfigText(text).config;
        if (!first) throw new Error('does not read');
        const again = parseConfigText(serializeConfig(first));
        expect(again.issues).toEqual([]);
        const { device, timing, modes, globalMappings } = again.config ?? emptyConfig();
        expect({ device, timing, modes, globalMappings }).toEqual({ device: first.device, timing: first.timing, modes: first.modes, globalMappings: first.globalMappings });
      });

      it('names its device so that the device is matched to it (the generic keyboard names none)', () => {
        const name = parseConfigText(text).config?.device.name ?? null;
        if (template.id === 'keyboard-25') expect(name).toBeNull();
        else expect(templateForDevice(name ?? '')?.id).toBe(template.id);
      });
    });
  }
});

describe('matching a device name to a template', () => {
  it.each([
    ['Maschine Mikro MK3:Maschine Mikro MK3 MIDI 1 24:0', 'maschine-mikro-mk3'],
    ['APC MINI MIDI 1', 'apc-mini'],
    ['Launchpad Mini:Launchpad Mini MIDI 1 20:0', 'launchpad-mini'],
    ['nanoKONTROL2:nanoKONTROL2 MIDI 1 28:0', 'nanokontrol2'],
    ['NANOKONTROL2 SLIDER/KNOB', 'nanokontrol2'],
    ['Arturia BeatStep', 'beatstep'],
    ['Xbox Wireless Controller (STANDARD GAMEPAD Vendor: 045e Product: 0b13)', 'xbox'],
    ['Xbox 360 Controller (XInput STANDARD GAMEPAD)', 'xbox'],
    ['DualSense Wireless Controller', 'playstation'],
    ['Sony Interactive Entertainment Wireless Controller', 'playstation'],
    ['Nintendo Switch Pro Controller', 'switch-pro'],
    ['Logitech G29 Driving Force Racing Wheel', 'racing-wheel'],
    ['Thrustmaster T.Flight Hotas X', 'hotas'],
    ['Logitech Extreme 3D pro', 'flight-stick'],
  ])('%s → %s', (name, id) => {
    expect(templateForDevice(name)?.id).toBe(id);
  });

  it.each(['APC mini mk2', 'Launchpad Mini MK3 LPMiniMK3 MIDI', 'Arturia BeatStep Pro', 'Midi Through Port-0', 'Virtual Controller', 'Keystation 25', ''])(
    'offers nothing for %j (another model, or no template)',
    (name) => {
      expect(templateForDevice(name)).toBeNull();
    },
  );
});

describe('finding and writing a template', () => {
  it('takes an id or a title in any case, or a device name; an unknown name lists the known ones', async () => {
    expect((await resolveTemplate('NanoKontrol2', dir)).id).toBe('nanokontrol2');
    expect((await resolveTemplate('akai apc mini', dir)).id).toBe('apc-mini');
    expect((await resolveTemplate('Xbox Wireless Controller', dir)).id).toBe('xbox');
    const error = await resolveTemplate('tr-808', dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as Error).message).toBe(`unknown template "tr-808"; known templates: ${DEVICE_TEMPLATES.map((t) => t.id).join(', ')}`);
    expect((await listTemplates(scratch)).length).toBe(0);
    await expect(resolveTemplate('xbox', scratch)).rejects.toThrow('known templates: (none in this build)');
  });

  it('a template with problems is refused with them', async () => {
    const bad = mkdtempSync(join(scratch, 'bad-'));
    writeFileSync(join(bad, 'xbox.toml'), '[[modes]]\nname = "A"\n[[modes.mappings]]\ntrigger = { type = "Nope" }\naction = { type = "Delay", ms = 1 }\n');
    const error = await readTemplate('xbox', bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).issues.length).toBeGreaterThan(0);
    expect((error as Error).message).toMatch(/^template "xbox" does not read: modes\[0\]\.mappings\[0\]\.trigger/);
  });

  it('writes the template\'s text (comments kept); an existing file only with force, its text kept as .bak', async () => {
    const path = join(scratch, 'sub', 'config.toml');
    const created = await createConfigFromTemplate('beatstep', path, { dir });
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(readFileSync(templateFile(created.template, dir ?? ''), 'utf8'));
    expect(text).toMatch(/^# Conductor template: Arturia BeatStep/);
    expect(created.backupPath).toBeNull();
    expect(created.config.device.name).toBe('Arturia BeatStep');

    writeFileSync(path, '# mine\n');
    await expect(createConfigFromTemplate('xbox', path, { dir })).rejects.toThrow(/exists; not overwritten \(add --force/);
    expect(readFileSync(path, 'utf8')).toBe('# mine\n');
    const forced = await createConfigFromTemplate('xbox', path, { dir, force: true });
    expect(forced.backupPath).toBe(`${path}.bak`);
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe('# mine\n');
    expect(readFileSync(path, 'utf8')).toMatch(/^# Conductor template: Xbox/);
  });

  it('applied to a running config: the template\'s device, timing, modes and mappings; the signature policy and the rest kept', async () => {
    const { config: template } = await readTemplate('nanokontrol2', dir);
    const running = { ...emptyConfig({ requireSignature: true, allowSelfSigned: false }), extra: { logging: { level: 'debug' } } };
    const applied = configFromTemplate(template, running);
    expect(applied.wasm).toEqual({ requireSignature: true, allowSelfSigned: false });
    expect(applied.extra).toEqual({ logging: { level: 'debug' } });
    expect(applied.device.name).toBe('nanoKONTROL2');
    expect(applied.modes).toBe(template.modes);
    expect(applied.globalMappings).toBe(template.globalMappings);
  });
});
