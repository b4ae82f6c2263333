// The built-in manifest of bundled plugins matches resources/plugins/ exactly: a rebuilt plugin without a regenerated
// manifest (node scripts/bundled-manifest.mjs) would load as "unsigned" in the app, so it fails here first.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUNDLED_PLUGINS } from './bundled-plugins';

const DIR = fileURLToPath(new URL('../../resources/plugins/', import.meta.url));

describe('bundled plugin manifest', () => {
  it('lists every resources/plugins/*.wasm with its current SHA-256, and nothing else', () => {
    const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.wasm')).sort() : [];
    const actual = Object.fromEntries(files.map((f) => [f, createHash('sha256').update(readFileSync(`${DIR}${f}`)).digest('hex')]));
    expect(BUNDLED_PLUGINS, 'regenerate with: node scripts/bundled-manifest.mjs').toEqual(actual);
  });
});
