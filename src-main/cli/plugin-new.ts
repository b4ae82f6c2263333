// `conductor plugin new <name> --lang rust|assemblyscript|c [--dir D]`: writes a template project (plugins/templates/)
// with its SDK copied in, so it builds without a Conductor checkout. Never overwrites anything; never half-writes.
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { terminalJson, terminalLines } from '../../src-shared/terminal-text';
import { UsageError } from './plugin-commands';

export const LANGUAGES = ['rust', 'assemblyscript', 'c'] as const;
export type Language = (typeof LANGUAGES)[number];
const ALIASES: Record<string, Language> = { rust: 'rust', rs: 'rust', assemblyscript: 'assemblyscript', as: 'assemblyscript', c: 'c' };

/** A template's plugins/templates/<lang>/template.json (not copied into the project). */
export interface TemplateSpec {
  language: Language;
  /** SDK files or folders (from: relative to the package root) copied into the project (to). */
  vendor: Array<{ from: string; to: string }>;
  /** The argv that builds the project on a Debian machine with the toolchain docs/plugin-authors.md names. */
  build: string[];
  /** The built .wasm, relative to the project (placeholders allowed). */
  output: string;
}

/** Plugin names: lower-case words joined by single hyphens, starting with a letter (they become file and crate names). */
const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const MAX_NAME = 64;
/** Never copied from a template or an SDK folder: build output, dependencies, the SDK's own tests. */
const SKIP = (name: string): boolean => ['target', 'node_modules', 'build', 'Cargo.lock', 'template.json'].includes(name) || name.endsWith('.test.ts') || name.endsWith('.wasm');

/** The package root: the folder holding plugins/templates, whether this runs from source or from dist/. */
export function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = [resolve(here, '..'), resolve(here, '../..')].find((dir) => existsSync(join(dir, 'plugins', 'templates')));
  if (!root) throw new Error(`plugin templates not found near ${here} (expected plugins/templates in the package)`);
  return root;
}

export function parseLanguage(value: string | undefined): Language {
  if (value === undefined) throw new UsageError(`--lang is required: ${LANGUAGES.join(', ')}`);
  const lang = ALIASES[value.toLowerCase()];
  if (!lang) throw new UsageError(`--lang: unknown language "${value}" (choose ${LANGUAGES.join(', ')})`);
  return lang;
}

export function checkPluginName(name: string): void {
  if (!NAME.test(name) || name.length > MAX_NAME) {
    throw new UsageError(`plugin name "${name}": use lower-case letters, digits and single hyphens, starting with a letter, at most ${MAX_NAME} characters (e.g. hello-pad)`);
  }
}

/** The placeholders a template's text files may use. */
export function placeholders(name: string): Record<string, string> {
  return { '{{name}}': name, '{{snake}}': name.replace(/-/g, '_') };
}

export function fillPlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{(name|snake)\}\}/g, (whole) => values[whole] ?? whole);
}

export async function readTemplate(root: string, lang: Language): Promise<TemplateSpec> {
  const file = join(root, 'plugins', 'templates', lang, 'template.json');
  const spec = JSON.parse(await readFile(file, 'utf8')) as TemplateSpec;
  if (spec.language !== lang || !Array.isArray(spec.vendor) || !Array.isArray(spec.build) || typeof spec.output !== 'string') {
    throw new Error(`${file}: expected {language: "${lang}", vendor: [...], build: [...], output: "..."}`);
  }
  return spec;
}

/** Copies a template folder into `to`, filling placeholders in text files; returns the relative paths written. */
async function copyTemplate(from: string, to: string, values: Record<string, string>, prefix = ''): Promise<string[]> {
  const written: string[] = [];
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (SKIP(entry.name)) continue;
    const src = join(from, entry.name);
    const dst = join(to, entry.name);
    if (entry.isDirectory()) {
      await mkdir(dst, { recursive: true });
      written.push(...(await copyTemplate(src, dst, values, `${prefix}${entry.name}/`)));
    } else if (entry.isFile()) {
      const bytes = await readFile(src);
      await writeFile(dst, bytes.includes(0) ? bytes : fillPlaceholders(bytes.toString('utf8'), values));
      written.push(`${prefix}${entry.name}`);
    }
  }
  return written;
}

export interface NewPluginResult {
  dir: string;
  language: Language;
  files: string[];
  build: string[];
  output: string;
}

/**
 * Writes the project into a fresh temporary sibling of `dir`, then renames it into place: an interrupted run leaves
 * no half project, and an existing non-empty `dir` is never touched.
 */
export async function createPluginProject(name: string, lang: Language, dir: string, root = packageRoot()): Promise<NewPluginResult> {
  checkPluginName(name);
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!(await stat(target)).isDirectory() || readdirSync(target).length > 0) throw new UsageError(`${target} already exists and is not an empty folder; choose another --dir`);
  }
  const spec = await readTemplate(root, lang);
  const values = placeholders(name);
  await mkdir(dirname(target), { recursive: true });
  const staging = await mkdtemp(join(dirname(target), `.${basename(target)}.new-`));
  try {
    const files = await copyTemplate(join(root, 'plugins', 'templates', lang), staging, values);
    for (const { from, to } of spec.vendor) {
      const src = join(root, from);
      const dst = join(staging, to);
      await mkdir(dirname(dst), { recursive: true });
      await cp(src, dst, { recursive: true, filter: (path) => !SKIP(basename(path)) || path === src });
      files.push(...(await listFiles(dst, staging)));
    }
    if (existsSync(target)) await rm(target, { recursive: true }); // empty (checked above)
    await rename(staging, target);
    return { dir: target, language: lang, files: files.sort(), build: spec.build.map((a) => fillPlaceholders(a, values)), output: fillPlaceholders(spec.output, values) };
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}

async function listFiles(path: string, base: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [relative(base, path)];
  const out: string[] = [];
  for (const entry of await readdir(path)) out.push(...(await listFiles(join(path, entry), base)));
  return out;
}

export async function newPluginCommand(name: string, flags: { lang?: string; dir?: string; json?: boolean }): Promise<number> {
  const lang = parseLanguage(flags.lang);
  checkPluginName(name);
  const result = await createPluginProject(name, lang, flags.dir ?? name);
  if (flags.json) {
    process.stdout.write(`${terminalJson(result)}\n`);
    return 0;
  }
  const shown = relative(process.cwd(), result.dir) || '.';
  process.stdout.write(
    `${terminalLines([
      `Created ${lang} plugin "${name}" in ${shown} (${result.files.length} files).`,
      'Next:',
      `  cd ${shown}`,
      `  ${result.build.join(' ')}${lang === 'rust' ? '      # Debian packages; with rustup see README.md' : ''}`,
      `  conductor plugin run ${result.output} --action greet --params '{"who":"you"}'`,
      '  README.md has the sign, install and mapping steps (`npm link` in the Conductor folder puts `conductor` on your PATH).',
    ])}\n`,
  );
  return 0;
}
