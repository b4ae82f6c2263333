// Host process of one footprint round (dist/bench-footprint.js): loads the plugins through the plugin manager as the
// app does and prints the figures as JSON. Bench only; holds nothing else, so its own RSS is a plugin host's.
import { pluginsFootprint, rssMb } from './process-figures';

const [wasmPath, countText, moduleCacheDir, settleText] = process.argv.slice(2);
if (!wasmPath || !countText) throw new Error('usage: bench-footprint.js WASM COUNT [MODULE_CACHE_DIR] [SETTLE_MS]');
const figures = await pluginsFootprint(wasmPath, Number(countText), rssMb, {
  ...(moduleCacheDir ? { moduleCacheDir } : {}),
  ...(settleText ? { settleMs: Number(settleText) } : {}),
});
process.stdout.write(`${JSON.stringify(figures)}\n`);
