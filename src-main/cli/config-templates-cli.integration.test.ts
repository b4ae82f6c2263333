// `conductor config templates` and `conductor config new [--template NAME] [--force] [PATH]` as a user runs them: the
// built CLI (bin/conductor.js → dist/cli.js, `npm run build` first) in a real process, with a throw-away config dir.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_TEMPLATES, type TemplateInfo } from '../config/templates';

const BIN = fileURLToPath(new URL('../../bin/conductor.js', import.meta.url));
const TEMPLATES = fileURLToPath(new URL('../../resources/templates/', import.meta.url));
const run = promisify(execFile);
let dir: string;

async function conductor(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, CONDUCTOR_CONFIG_DIR: join(dir, 'app-config') } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-templates-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('conductor config templates', () => {
  it('lists every template with its kind, title and device names; --json gives them as data', async () => {
    const r = await conductor('config', 'templates');
    expect(r.code).toBe(0);
    for (const t of DEVICE_TEMPLATES) expect(r.stdout).toMatch(new RegExp(`^${t.id} +${t.kind === 'midi' ? 'MIDI' : 'gamepad'} +${t.title.replace(/[()]/g, '\\$&')} — `, 'm'));
    expect(r.stdout).toMatch(/^nanokontrol2 +MIDI +Korg nanoKONTROL2 — "nanoKONTROL2"$/m);
    expect(r.stdout).toMatch(/^keyboard-25 .* any device \(set \[device\] name yourself\)$/m);
    const json = await conductor('config', 'templates', '--json');
    expect((JSON.parse(json.stdout) as TemplateInfo[]).map((t) => t.id)).toEqual(DEVICE_TEMPLATES.map((t) => t.id));
  });
});

describe('conductor config new', () => {
  it('writes the template, refuses to overwrite without --force, keeps the old file as .bak with it', async () => {
    const path = join(dir, 'nano', 'config.toml');
    const r = await conductor('config', 'new', '--template', 'nanokontrol2', path);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: written from the template "nanokontrol2" \(Korg nanoKONTROL2\): 2 modes, \d+ mappings\n/);
    expect(readFileSync(path, 'utf8')).toBe(readFileSync(join(TEMPLATES, 'nanokontrol2.toml'), 'utf8'));
    expect((await conductor('config', 'check', path)).code).toBe(0);

    writeFileSync(path, '# my own\n');
    const refused = await conductor('config', 'new', '--template', 'xbox', path);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/config\.toml exists; not overwritten \(add --force/);
    expect(readFileSync(path, 'utf8')).toBe('# my own\n');

    const forced = await conductor('config', 'new', '--template', 'Xbox controller (Xbox One / Series / 360)', '--force', path);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/the old file is .*config\.toml\.bak/);
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe('# my own\n');
    expect(readFileSync(path, 'utf8')).toBe(readFileSync(join(TEMPLATES, 'xbox.toml'), 'utf8'));
  });

  it('an unknown template lists the known ones and writes nothing', async () => {
    const path = join(dir, 'unknown.toml');
    const r = await conductor('config', 'new', '--template', 'tr-808', path);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`conductor: unknown template "tr-808"; known templates: ${DEVICE_TEMPLATES.map((t) => t.id).join(', ')}\n`);
    expect(existsSync(path)).toBe(false);
  });

  it('a device name picks its template; without --template it writes the default config; without PATH the app\'s config.toml', async () => {
    const byDevice = await conductor('config', 'new', '--template', 'nanoKONTROL2 SLIDER/KNOB', join(dir, 'by-device.toml'));
    expect(byDevice.stdout).toMatch(/template "nanokontrol2"/);
    const plain = await conductor('config', 'new', join(dir, 'plain.toml'));
    expect(plain.code).toBe(0);
    expect(readFileSync(join(dir, 'plain.toml'), 'utf8')).toBe(readFileSync(fileURLToPath(new URL('../../resources/default-config.toml', import.meta.url)), 'utf8'));
    const app = await conductor('config', 'new', '--template', 'beatstep');
    expect(app.code).toBe(0);
    expect(readFileSync(join(dir, 'app-config', 'config.toml'), 'utf8')).toMatch(/^# Conductor template: Arturia BeatStep/);
  });

  it('too many paths is a usage error', async () => {
    const r = await conductor('config', 'new', 'a.toml', 'b.toml');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/usage: conductor config check/);
  });
});
