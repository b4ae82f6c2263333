// Aligns two lists item by item (kept, changed in place, removed, added): how a file patch tells which [[array]] entry
// became which. Pure — knows nothing of TOML text or of what the items mean.
import { tomlValueKey } from './toml-text';

/** How the items of an old list map onto a new one: kept as is, changed in place, removed, or added. */
export type AlignOp = { kind: 'keep' | 'change'; i: number; j: number } | { kind: 'remove'; i: number } | { kind: 'add'; j: number };

/** Lists larger than this (old × new items in the part that differs) are paired by position instead of by LCS. */
const MAX_LCS_CELLS = 4_000_000;

/**
 * Aligns two lists (e.g. the [[modes.mappings]] entries before and after an edit): equal items are matched (longest
 * common subsequence), and between two matches the remaining old and new items are paired in order as changes; the
 * rest are removals and additions. Ops come in the new list's order.
 */
export function alignItems(a: readonly unknown[], b: readonly unknown[]): AlignOp[] {
  // Equal items get equal ids. JSON text is a fast stand-in for tomlValueKey: it can tell two equal tables apart
  // (key order), which only makes an unchanged entry count as changed — patched with no edits.
  const ids = new Map<string, number>();
  const id = (v: unknown): number => {
    let k: string;
    try {
      k = JSON.stringify(v) ?? '~';
    } catch {
      k = tomlValueKey(v); // bigints
    }
    let n = ids.get(k);
    if (n === undefined) ids.set(k, (n = ids.size));
    return n;
  };
  const ka = a.map(id);
  const kb = b.map(id);
  let p = 0;
  while (p < ka.length && p < kb.length && ka[p] === kb[p]) p++;
  let s = 0;
  while (s < ka.length - p && s < kb.length - p && ka[ka.length - 1 - s] === kb[kb.length - 1 - s]) s++;
  const n = ka.length - p - s;
  const m = kb.length - p - s;
  const matches: [number, number][] = [];
  const inA = new Set(ka.slice(p, p + n));
  const shared = kb.slice(p, p + m).some((k) => inA.has(k));
  if (shared && n * m <= MAX_LCS_CELLS) {
    // lcs[x * (m + 1) + y]: length of the LCS of ka[p + x …] and kb[p + y …].
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let x = n - 1; x >= 0; x--) {
      for (let y = m - 1; y >= 0; y--) {
        lcs[x * w + y] = ka[p + x] === kb[p + y] ? (lcs[(x + 1) * w + y + 1] ?? 0) + 1 : Math.max(lcs[(x + 1) * w + y] ?? 0, lcs[x * w + y + 1] ?? 0);
      }
    }
    let x = 0;
    let y = 0;
    while (x < n && y < m) {
      if (ka[p + x] === kb[p + y]) {
        matches.push([p + x, p + y]);
        x++;
        y++;
      } else if ((lcs[(x + 1) * w + y] ?? 0) >= (lcs[x * w + y + 1] ?? 0)) x++;
      else y++;
    }
  }
  const ops: AlignOp[] = [];
  for (let t = 0; t < p; t++) ops.push({ kind: 'keep', i: t, j: t });
  let i = p;
  let j = p;
  for (const [mi, mj] of [...matches, [p + n, p + m] as [number, number]]) {
    const paired = Math.min(mi - i, mj - j);
    for (let t = 0; t < paired; t++) ops.push({ kind: 'change', i: i + t, j: j + t });
    for (let t = i + paired; t < mi; t++) ops.push({ kind: 'remove', i: t });
    for (let t = j + paired; t < mj; t++) ops.push({ kind: 'add', j: t });
    if (mi < p + n) ops.push({ kind: 'keep', i: mi, j: mj });
    i = mi + 1;
    j = mj + 1;
  }
  for (let t = 0; t < s; t++) ops.push({ kind: 'keep', i: p + n + t, j: p + m + t });
  return ops;
}
