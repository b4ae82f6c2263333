// `npm run screenshots`: builds, then runs the screenshot e2e spec with CONDUCTOR_SCREENSHOTS_DIR=docs/images/screens,
// so README's pictures are the suite's own. Writes only into that folder; never commits anything.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (cmd, args, env = process.env) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(process.execPath, ['scripts/build.mjs']);
run('npx', ['playwright', 'test', 'e2e/screenshots.spec.ts', '--project', 'browser', '--workers', '1'], {
  ...process.env,
  CONDUCTOR_SCREENSHOTS_DIR: fileURLToPath(new URL('../docs/images/screens', import.meta.url)),
});
