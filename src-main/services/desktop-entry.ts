// A minimal reader of freedesktop.org desktop entries (`.desktop` files): the [Desktop Entry] group's keys, string
// escapes and the Exec command line (quoting, field codes). Hand-written because no INI/desktop-entry parser is a
// dependency and one file format does not justify one. Pure text in, data out: never reads files or runs anything.

/** The keys of a file's [Desktop Entry] group (other groups, e.g. [Desktop Action new-window], are skipped). */
export type DesktopEntryKeys = Map<string, string>;

/** Parses the text of a `.desktop` file; null when it has no [Desktop Entry] group (not a desktop entry). */
export function parseDesktopEntry(text: string): DesktopEntryKeys | null {
  let group: string | null = null;
  let entry: DesktopEntryKeys | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      group = line.endsWith(']') ? line.slice(1, -1) : null;
      // The spec: the first group must be [Desktop Entry]; a repeated one is an error — keep the first.
      if (group === 'Desktop Entry' && entry === null) entry = new Map();
      else if (group === 'Desktop Entry') group = null;
      continue;
    }
    if (group !== 'Desktop Entry' || entry === null) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    if (!/^[A-Za-z0-9-]+(\[[^\]]+\])?$/.test(key) || entry.has(key)) continue;
    entry.set(key, line.slice(eq + 1).trim());
  }
  return entry;
}

/** A string value with the spec's escapes (\s \n \t \r \\) resolved. */
export function unescapeValue(value: string): string {
  return value.replace(/\\([sntr\\])/g, (_, c: string) => ({ s: ' ', n: '\n', t: '\t', r: '\r', '\\': '\\' })[c] ?? c);
}

/** A boolean key ("true"/"false"; anything else, or absent, is false). */
export function booleanValue(entry: DesktopEntryKeys, key: string): boolean {
  return entry.get(key)?.trim() === 'true';
}

/**
 * The name to show: `Name` itself; a localized `Name[xx]` only when there is no plain Name (then the one for `lang`,
 * e.g. "de_DE.UTF-8" → Name[de_DE] or Name[de], else the first). Null when there is none.
 */
export function entryName(entry: DesktopEntryKeys, lang = ''): string | null {
  const plain = entry.get('Name');
  if (plain !== undefined && plain.trim() !== '') return unescapeValue(plain).trim();
  const localized = [...entry.entries()].filter(([k, v]) => /^Name\[[^\]]+\]$/.test(k) && v.trim() !== '');
  if (localized.length === 0) return null;
  const locale = lang.split('.')[0]?.split('@')[0] ?? '';
  const language = locale.split('_')[0] ?? '';
  const pick = localized.find(([k]) => k === `Name[${locale}]`) ?? localized.find(([k]) => k === `Name[${language}]`) ?? localized[0];
  return pick ? unescapeValue(pick[1]).trim() : null;
}

/** Field codes the launcher would fill in (files, URLs, icon, name, location) and deprecated ones, all dropped; %% is %. */
const FIELD_CODE = /%[fFuUdDnNickvm%]/g;

/**
 * The Exec key as argv: double-quoted arguments (with \" \` \$ \\ escapes inside), field codes dropped (an argument
 * that was only a field code goes away), %% → %. Null when it cannot be split (an unclosed quote) or is empty.
 */
export function execArgv(exec: string): string[] | null {
  const text = unescapeValue(exec);
  const args: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (i >= text.length) break;
    let arg = '';
    let quoted = false;
    while (i < text.length && text[i] !== ' ' && text[i] !== '\t') {
      if (text[i] === '"') {
        quoted = true;
        i++;
        let closed = false;
        while (i < text.length) {
          const c = text[i] as string;
          if (c === '\\' && i + 1 < text.length && '"`$\\'.includes(text[i + 1] as string)) {
            arg += text[i + 1];
            i += 2;
          } else if (c === '"') {
            i++;
            closed = true;
            break;
          } else {
            arg += c;
            i++;
          }
        }
        if (!closed) return null;
      } else {
        arg += text[i];
        i++;
      }
    }
    if (!quoted) {
      if (/^(%[fFuUdDnNickvm])+$/.test(arg)) continue; // only field codes: the argument goes away
      arg = arg.replace(FIELD_CODE, (code) => (code === '%%' ? '%' : ''));
    }
    args.push(arg);
  }
  return args.length > 0 ? args : null;
}
