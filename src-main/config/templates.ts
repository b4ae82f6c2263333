// The device templates on disk (resources/templates/<id>.toml, shipped like default-config.toml): listing them, reading
// one as a config, and writing a new config.toml from one. Never overwrites an existing file unless told to (force).
import { copyFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppConfig, ConfigIssue } from '../../src-shared/config';
import { DEVICE_TEMPLATES, findTemplate, templateForDevice, type TemplateInfo } from '../../src-shared/device-templates';
import { errorCode } from '../../src-shared/errors';
import { shippedResourcePath } from '../common/paths';
import { writeFileAtomically } from '../fs/atomic-write';
import { parseConfigText } from './schema';

export { DEVICE_TEMPLATES, findTemplate, templateForDevice, type TemplateInfo };

export const TEMPLATES_DIR = 'templates';

/** A template that does not exist, does not read, or a target that would be overwritten: the message says which. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    message: string,
    readonly issues: ConfigIssue[] = [],
  ) {
    super(message);
  }
}

/** The shipped templates folder: beside the bundle (dist/ → resources/), from sources, or in a packaged app's resources. */
export function templatesDir(): string | null {
  return shippedResourcePath(TEMPLATES_DIR);
}

/** The file of a template in `dir`. */
export function templateFile(template: TemplateInfo, dir: string): string {
  return join(dir, `${template.id}.toml`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return false;
    throw err;
  }
}

/** The templates whose file is in `dir` (none when this build ships no templates). */
export async function listTemplates(dir: string | null = templatesDir()): Promise<TemplateInfo[]> {
  if (dir === null) return [];
  const present = await Promise.all(DEVICE_TEMPLATES.map((t) => exists(templateFile(t, dir))));
  return DEVICE_TEMPLATES.filter((_, i) => present[i]);
}

/** "unknown template "x"; known: apc-mini, beatstep, …" — what a wrong name is told. */
export function unknownTemplateMessage(name: string, known: readonly TemplateInfo[]): string {
  return `unknown template "${name}"; known templates: ${known.map((t) => t.id).join(', ') || '(none in this build)'}`;
}

/**
 * The template `name` stands for: an id or a title (any case), else the template a device of that name calls for
 * ("nanoKONTROL2 SLIDER/KNOB" → nanokontrol2); only among the templates present in `dir`.
 */
export async function resolveTemplate(name: string, dir: string | null = templatesDir()): Promise<TemplateInfo> {
  const known = await listTemplates(dir);
  const found = findTemplate(name, known) ?? templateForDevice(name, known);
  if (!found) throw new TemplateError(unknownTemplateMessage(name, known));
  return found;
}

export interface LoadedTemplate {
  info: TemplateInfo;
  /** The file's text, comments included (what `config new` writes). */
  text: string;
  config: AppConfig;
}

/** Reads and checks a template (by id, title or device name); a template with problems is an error listing them. */
export async function readTemplate(name: string, dir: string | null = templatesDir()): Promise<LoadedTemplate> {
  const info = await resolveTemplate(name, dir);
  const file = templateFile(info, dir ?? '');
  const text = await readFile(file, 'utf8');
  const { config, issues } = parseConfigText(text, file);
  if (!config || issues.length > 0) {
    throw new TemplateError(`template "${info.id}" does not read: ${issues.map((i) => `${i.path ? `${i.path}: ` : ''}${i.message}`).join('; ')}`, issues);
  }
  return { info, text, config };
}

export interface CreateFromTemplateOptions {
  /** Replace an existing file (its old text is kept beside it as `<path>.bak`). Default false: an existing file is an error. */
  force?: boolean;
  /** Where the templates are (default: the shipped folder). */
  dir?: string | null;
}

export interface CreatedConfig {
  path: string;
  template: TemplateInfo;
  config: AppConfig;
  /** Where the replaced file's text went (force over an existing file), else null. */
  backupPath: string | null;
}

/**
 * Writes a new config file atomically. An existing file is an error unless `force`, which keeps its text as
 * `<path>.bak` first. Returns that backup's path, or null when there was no file.
 */
export async function writeNewConfigFile(path: string, text: string, force: boolean): Promise<string | null> {
  let backupPath: string | null = null;
  if (await exists(path)) {
    if (!force) throw new TemplateError(`${path} exists; not overwritten (add --force to replace it; its text is then kept as ${path}.bak)`);
    backupPath = `${path}.bak`;
    await copyFile(path, backupPath);
  }
  await writeFileAtomically(path, text);
  return backupPath;
}

/** Writes `path` as the template's text, comments and all (see writeNewConfigFile). */
export async function createConfigFromTemplate(name: string, path: string, options: CreateFromTemplateOptions = {}): Promise<CreatedConfig> {
  const loaded = await readTemplate(name, options.dir === undefined ? templatesDir() : options.dir);
  const backupPath = await writeNewConfigFile(path, loaded.text, options.force === true);
  return { path, template: loaded.info, config: loaded.config, backupPath };
}

/**
 * The config the UI's draft becomes when the user applies a template: the template's device, timing, modes and mappings
 * (and LED settings when it has them); everything else of the running config is kept — its plugin signature policy (a
 * template never loosens it) and whatever else it holds.
 */
export function configFromTemplate(template: AppConfig, running: AppConfig): AppConfig {
  const { device, timing, modes, globalMappings, led } = template;
  return { ...running, device, timing, modes, globalMappings, ...(led === undefined ? {} : { led }) };
}
