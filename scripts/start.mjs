// `npm start`: launches the desktop app. Until the app shell exists (issue #5) it says so plainly.
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../src-main/index.ts', import.meta.url))) {
  process.stderr.write(
    'Conductor Desktop: the desktop window is not built yet (issue #5: Electron shell and browser mode).\n' +
      'What works today is the plugin runtime and its command line, e.g.:\n' +
      '  npx conductor plugin run plugins/fixtures/c/good.wasm --action hello\n' +
      '  npx conductor plugin inspect plugins/fixtures/c/good.wasm\n',
  );
  process.exit(1);
}
