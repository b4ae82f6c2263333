// Test helper for store.crash.integration.test.ts (bundled with esbuild into a temp dir and run as a child process): saves a
// large config through ConfigStore.save over and over until it is killed. Never used by the app.
import type { AppConfig, Mapping } from '../../../src-shared/config';
import { emptyConfig } from '../default-config';
import { ConfigStore } from '../store';

const [path = '', countArg = '1000', runArg = '0'] = process.argv.slice(2);
const count = Number(countArg);

/** Generation `g` of run `run`: every mapping's description names both, so a torn file is easy to spot. */
function bigConfig(run: string, g: number): AppConfig {
  const mappings: Mapping[] = Array.from({ length: count }, (_, i) => ({
    description: `run ${run} generation ${g} mapping ${i}`,
    trigger: { type: 'Note', note: i % 128, channel: i % 16 },
    action: { type: 'Text', text: `run ${run} generation ${g} — ${'x'.repeat(i % 50)}` },
  }));
  return { ...emptyConfig(), modes: [{ name: 'Big', color: null, mappings }] };
}

const store = new ConfigStore({ path, watch: false, defaultConfigFile: null });
const loaded = await store.load();
if (loaded.issues.length > 0) {
  process.stderr.write(`bad file at start: ${JSON.stringify(loaded.issues)}\n`);
  process.exit(3);
}
for (let g = 1; ; g++) {
  await store.save(bigConfig(runArg, g));
  process.stdout.write(`saved ${g}\n`);
}
