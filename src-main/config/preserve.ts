// Saving config.toml without losing the user's comments and layout. The app saves a whole new AppConfig; this works
// out the document to write — the file's own document wherever the config still says the same thing there, the
// changed values spelled as the file spells them (Conductor's tagged `type = "Note"` tables stay tagged, defaults
// the file leaves out stay out) — and has fs/toml-patch.ts edit the file's text towards it. The result is used only
// when it reads back as exactly the config being saved; otherwise the file is written in full (write.ts), and the
// reason is returned for the log. Text only — no file I/O.
import type { AppConfig } from '../../src-shared/config';
import { errorMessage } from '../../src-shared/errors';
import { parseToml, tomlTextFor } from '../fs/toml-file';
import { alignItems } from '../fs/align-items';
import { isTomlTable, sameTomlValue } from '../fs/toml-text';
import { parseConfigText, readConfig, type ConfigReadResult } from './schema';
import { serializeConfig } from './write';

type Table = Record<string, unknown>;
type Path = readonly (string | number)[];

export interface ConfigSaveText {
  text: string;
  /** The config as `text` reads back. */
  config: AppConfig;
  /** Why the file is written in full although it could have been patched; null when patched (or when new). */
  fallback: string | null;
}

/**
 * Tables added under a mapping's trigger or action are written inline (`trigger = { Note = { note = 60 } }`), and so
 * are Conductor's colour tables (a mode's `color = { r = …, g = …, b = … }`, `[led_settings.reactive]`'s `*_color`).
 */
export function configInlineTables(keys: readonly string[]): boolean {
  const [first, second, third] = keys;
  if (first === 'modes' && second === 'color' && keys.length === 2) return true;
  if (first === 'led_settings' && second === 'reactive' && keys.length === 3) return third?.endsWith('_color') ?? false;
  if (first === 'modes' && second === 'mappings') return third === 'trigger' || third === 'action';
  return first === 'global_mappings' && (second === 'trigger' || second === 'action');
}

/** The trigger or action of a mapping: `modes[i].mappings[j].trigger`, `global_mappings[j].action`. */
function isTaggedPart(at: Path): boolean {
  const last = at[at.length - 1];
  if (last !== 'trigger' && last !== 'action') return false;
  return (at.length === 5 && at[0] === 'modes' && at[2] === 'mappings') || (at.length === 3 && at[0] === 'global_mappings');
}

function keysOf(...tables: Table[]): string[] {
  const out: string[] = [];
  for (const t of tables) for (const k of Object.keys(t)) if (!out.includes(k)) out.push(k);
  return out;
}

/** A canonical `{ Repeat = { action = { Text = … } } }` in Conductor's tagged spelling, nested actions included. */
function tagged(canonical: unknown): unknown {
  if (!isTomlTable(canonical)) return canonical;
  const [type] = Object.keys(canonical);
  const body = type === undefined ? undefined : canonical[type];
  if (type === undefined || !isTomlTable(body)) return canonical;
  const out: Table = { type, ...body };
  if (type === 'Repeat') out.action = tagged(body.action);
  if (type === 'Sequence' && Array.isArray(body.actions)) out.actions = body.actions.map(tagged);
  return out;
}

/** The three-way merge of one save: the file's document, the config before (canonical) and after (canonical). */
class Merger {
  private same(a: unknown, b: unknown): boolean {
    return sameTomlValue(a, b);
  }

  /** A new list made from the old one's items (as written) where unchanged, `change` for changed ones, new ones as given. */
  private list(raw: unknown[], before: unknown[], after: unknown[], change: (raw: unknown, before: unknown, after: unknown, j: number) => unknown, added: (after: unknown) => unknown): unknown[] {
    const out: unknown[] = [];
    for (const op of alignItems(before, after)) {
      if (op.kind === 'keep') out.push(raw[op.i]);
      else if (op.kind === 'change') out.push(change(raw[op.i], before[op.i], after[op.j], op.j));
      else if (op.kind === 'add') out.push(added(after[op.j]));
    }
    return out;
  }

  /**
   * A trigger or action: `raw` as the file has it (canonical `{ Note = { … } }` or tagged `{ type = "Note", … }`),
   * `before` and `after` canonical. Same type: only the changed fields change, in the file's spelling; another type:
   * the new one, tagged if the file's was.
   */
  private tagged(raw: unknown, before: unknown, after: unknown, parentTagged: boolean): unknown {
    if (this.same(before, after)) return raw;
    const isTagged = isTomlTable(raw) ? typeof raw.type === 'string' : parentTagged;
    const fresh = isTagged ? tagged(after) : after;
    if (!isTomlTable(raw) || !isTomlTable(before) || !isTomlTable(after)) return fresh;
    const [type] = Object.keys(after);
    if (type === undefined || Object.keys(before)[0] !== type || (isTagged && raw.type !== type)) return fresh;
    const rawBody = isTagged ? raw : raw[type];
    const oldBody = before[type];
    const newBody = after[type];
    if (!isTomlTable(rawBody) || !isTomlTable(oldBody) || !isTomlTable(newBody)) return fresh;
    const body: Table = { ...rawBody };
    for (const k of keysOf(oldBody, newBody)) {
      const [r, o, n] = [rawBody[k], oldBody[k], newBody[k]];
      if (this.same(o, n)) continue;
      if (n === undefined) delete body[k];
      else if (type === 'Repeat' && k === 'action') body[k] = this.tagged(r, o, n, isTagged);
      else if (type === 'Sequence' && k === 'actions' && Array.isArray(r) && Array.isArray(o) && Array.isArray(n) && r.length === o.length) {
        body[k] = this.list(r, o, n, (ri, oi, ni) => this.tagged(ri, oi, ni, isTagged), (ni) => (isTagged ? tagged(ni) : ni));
      } else body[k] = this.merge(r, o, n, []);
    }
    return isTagged ? body : { ...raw, [type]: body };
  }

  /** `raw` (the file's value) moved from `before` to `after` (both canonical), keeping what did not change as written. */
  merge(raw: unknown, before: unknown, after: unknown, at: Path): unknown {
    if (this.same(before, after)) return raw;
    if (isTaggedPart(at)) return this.tagged(raw, before, after, false);
    if (isTomlTable(before) && isTomlTable(after) && (raw === undefined || isTomlTable(raw))) {
      const out: Table = { ...(raw ?? {}) };
      for (const k of keysOf(before, after)) {
        if (this.same(before[k], after[k])) continue;
        if (after[k] === undefined) delete out[k];
        else out[k] = this.merge(raw?.[k], before[k], after[k], [...at, k]);
      }
      return out;
    }
    if (Array.isArray(raw) && Array.isArray(before) && Array.isArray(after) && raw.length === before.length && before.every(isTomlTable) && after.every(isTomlTable)) {
      return this.list(raw, before, after, (r, o, n, j) => this.merge(r, o, n, [...at, j]), (n) => n);
    }
    return after;
  }
}

/** How the canonical text of a config reads: the config (or the issues) and, when it parses, its document. */
export function checkConfigText(text: string, file = 'config.toml'): ConfigReadResult & { doc: Table | null } {
  let doc: Table;
  try {
    doc = parseToml(file, text);
  } catch {
    return { ...parseConfigText(text, file), doc: null };
  }
  return { ...readConfig(doc, text), doc };
}

/**
 * The document to write, given the file's document `raw` and the canonical documents of the config it reads as
 * (`before`) and of the config being saved (`after`): the file's own values where the config did not change, changed
 * ones in the file's spelling, new mappings and modes in the canonical shape.
 */
export function mergeConfigDocument(raw: Table, before: Table, after: Table): Table {
  const merged = new Merger().merge(raw, before, after, []);
  return isTomlTable(merged) ? merged : after;
}

/** A config's canonical text (serializeConfig) and its document as @iarna/toml reads it. */
export interface CanonicalConfig {
  text: string;
  doc: Table;
}

/**
 * The text to save a config over `base` — the file's text, the config it reads as and (if known) that config's
 * canonical text and document — given `expected`, the new config's canonical text and how it reads: the file's text
 * patched to keep comments and layout, or the canonical text (`fallback` says why). A file that is exactly the
 * canonical text of its config (one the app wrote) has nothing of the user's to keep: it is simply replaced.
 */
export function configSaveText(
  base: { text: string; config: AppConfig; canonical?: CanonicalConfig } | null,
  expected: CanonicalConfig & { config: AppConfig },
  file = 'config.toml',
): ConfigSaveText {
  const full = { text: expected.text, config: expected.config };
  if (base === null) return { ...full, fallback: null };
  let raw: Table;
  let target: Table;
  try {
    const beforeText = base.canonical?.text ?? serializeConfig(base.config);
    if (beforeText === base.text) return { ...full, fallback: null };
    raw = parseToml(file, base.text);
    target = mergeConfigDocument(raw, base.canonical?.doc ?? parseToml(file, beforeText), expected.doc);
  } catch (err) {
    return { ...full, fallback: errorMessage(err) };
  }
  const { text, fallback } = tomlTextFor(base.text, target, () => expected.text, {
    inline: configInlineTables,
    previousDoc: raw,
    check: (patched, doc) => {
      const back = readConfig(doc, patched);
      if (!back.config) return `the edited file would not load (${back.issues.map((i) => `${i.path}: ${i.message}`).join('; ')})`;
      return sameTomlValue(back.config, expected.config) ? null : 'the edited file would load as a different config';
    },
  });
  return { text, config: expected.config, fallback };
}
