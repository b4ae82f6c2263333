// Every plugin template, as an author meets it (issue #13): `conductor plugin new` in a clean temp folder, the build
// the template names, `plugin check`, every action through the real sandbox, then signed, trusted, installed and mapped
// to a pad under signature-required policy, pressed on the virtual controller. Real processes and toolchains only.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONDUCTOR = join(ROOT, 'bin/conductor.js');
const SIGN = join(ROOT, 'bin/conductor-sign.js');
const exec = promisify(execFile);

/** What each template's toolchain needs here, and the Debian packages that provide it (installed by .ci/run). */
const TOOLCHAINS: Record<string, { present: () => boolean; packages: string }> = {
  rust: {
    present: () =>
      existsSync('/usr/bin/cargo') &&
      existsSync('/usr/lib/rustlib/wasm32-wasi') &&
      existsSync('/usr/share/cargo/registry') &&
      readdirSync('/usr/share/cargo/registry').some((d) => d.startsWith('serde_json-')),
    packages: 'rustc cargo libstd-rust-dev-wasm32 librust-serde-dev librust-serde-derive-dev librust-serde-json-dev',
  },
  c: {
    present: () => ['/usr/bin/clang', '/usr/bin/wasm-ld'].every(existsSync) && existsSync('/usr/lib/wasm32-wasi/libc.a'),
    packages: 'clang lld wasi-libc libclang-rt-dev-wasm32',
  },
  assemblyscript: { present: () => existsSync(join(ROOT, 'node_modules/assemblyscript')), packages: 'npm ci (assemblyscript is a devDependency)' },
};

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'conductor-templates-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Ran> {
  try {
    const { stdout, stderr } = await exec(file, args, { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: `${e.stderr ?? ''}${e.message}` };
  }
}

/** The measured figures per language, printed at the end (the closing note quotes them). */
const figures: Record<string, { wasmBytes: number; buildMs: number; firstCallMs: number }> = {};
afterAll(() => {
  if (Object.keys(figures).length > 0) console.log(`template figures: ${JSON.stringify(figures)}`);
});

describe.each(Object.keys(TOOLCHAINS))('the %s template', (lang) => {
  const toolchain = TOOLCHAINS[lang];
  const skip = !toolchain?.present();
  if (skip) console.warn(`${lang} template: SKIPPED — its toolchain is missing; install ${toolchain?.packages}`);

  it.skipIf(skip)('plugin new → build → check → every action → signed, trusted, installed, mapped and pressed', async () => {
    const base = join(root, lang);
    const env = { ...process.env, CONDUCTOR_CONFIG_DIR: join(base, 'config'), CONDUCTOR_DATA_DIR: join(base, 'data'), CONDUCTOR_PLUGINS_DIR: join(base, 'plugins') };
    const conductor = (...args: string[]): Promise<Ran> => run(process.execPath, [CONDUCTOR, ...args], { env, cwd: base });

    // 1. A new project from the template, in a folder of its own.
    const project = join(base, 'hello-pad');
    const created = await run(process.execPath, [CONDUCTOR, 'plugin', 'new', 'hello-pad', '--lang', lang, '--dir', project, '--json'], { env });
    expect(created.code, created.stderr).toBe(0);
    const made = JSON.parse(created.stdout) as { dir: string; build: string[]; output: string; files: string[] };
    expect(made.dir).toBe(project);
    expect(made.files).toContain('README.md');
    const again = await conductor('plugin', 'new', 'hello-pad', '--lang', lang, '--dir', project);
    expect(again.code).toBe(2); // never overwrites
    expect(again.stderr).toMatch(/already exists and is not an empty folder/);

    // 2. Its own build, as its template.json (and README) give it. AssemblyScript finds asc in the repo's node_modules.
    if (lang === 'assemblyscript') symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
    const [cmd = '', ...args] = made.build;
    const t0 = performance.now();
    const built = await run(cmd, args, { cwd: project, timeoutMs: 600_000 });
    const buildMs = performance.now() - t0;
    expect(built.code, `${made.build.join(' ')}\n${built.stderr}`).toBe(0);
    const wasm = join(project, made.output);
    expect(existsSync(wasm), `${made.output} after the build`).toBe(true);

    // 3. plugin check: no errors; the metadata names the plugin, its action and parameter.
    const checked = await conductor('plugin', 'check', wasm, '--json');
    const report = JSON.parse(checked.stdout) as { ok: boolean; findings: Array<{ severity: string; what: string }>; metadata: { name: string; actions: Array<{ name: string; parameters: Array<{ name: string }> }> } };
    expect(report.findings.filter((f) => f.severity === 'error'), checked.stdout).toEqual([]);
    expect(checked.code).toBe(0);
    expect(report.metadata.name).toBe('hello-pad');
    expect(report.metadata.actions).toEqual([expect.objectContaining({ name: 'greet', parameters: [expect.objectContaining({ name: 'who' })] })]);

    // 4. Every action through the real sandbox (plugin run), and an unknown one.
    const call = async (params: object): Promise<{ ok: boolean; code: number | null; durationMs: number; log: string[] }> => {
      const r = await conductor('plugin', 'run', wasm, '--params', JSON.stringify(params), '--json');
      return JSON.parse(r.stdout) as { ok: boolean; code: number | null; durationMs: number; log: string[] };
    };
    const greet = await call({ action: 'greet', who: 'pad' });
    expect(greet, JSON.stringify(greet)).toMatchObject({ ok: true, code: 0 });
    expect(greet.log.join('\n')).toContain('Hello, pad!');
    expect((await call({ action: 'greet' })).log.join('\n')).toContain('Hello, world!');
    const unknown = await call({ action: 'nope' });
    expect(unknown).toMatchObject({ ok: false, code: 1 });
    expect(unknown.log.join('\n')).toMatch(/\[error\] .*unknown action "nope"/);

    // 5. Signed with a new key, the key trusted, installed; the app runs it only because it is trusted.
    const key = join(base, 'keys', 'dev');
    const trusted = join(base, 'config', 'trusted_keys.toml');
    expect((await run(process.execPath, [SIGN, 'generate-key', key], { env })).code).toBe(0);
    const signed = await run(process.execPath, [SIGN, 'sign', wasm, key, '--name', 'Template Test', '--email', 'test@example.invalid'], { env });
    expect(signed.code, signed.stderr).toBe(0);
    const publicKey = readFileSync(`${key}.public`, 'utf8').trim();
    expect((await run(process.execPath, [SIGN, 'trust', 'add', publicKey, 'Template Test', '--trusted-keys', trusted], { env })).code).toBe(0);
    const installed = await conductor('plugin', 'install', wasm, '--json');
    expect(installed.code, installed.stderr).toBe(0);
    const record = JSON.parse(installed.stdout) as { plugin: { file: string } };
    expect(record).toMatchObject({ plugin: { name: 'hello-pad', state: 'ready', signature: { tier: 'trusted', ok: true } } });
    // The installed file keeps the built file's name: hello-pad.wasm, or hello_pad.wasm from cargo (as the READMEs say).
    const installedWasm = record.plugin.file;
    expect(installedWasm).toBe(join(base, 'plugins', made.output.split('/').pop() ?? ''));
    expect(statSync(installedWasm).size).toBe(statSync(wasm).size);

    // 6. Mapped to pad 36 in a config that requires trusted signatures; pressed on the virtual controller.
    const config = join(base, 'config.toml');
    writeFileSync(
      config,
      [
        '[wasm]',
        'require_signature = true',
        'allow_self_signed = false',
        '',
        '[[modes]]',
        'name = "Default"',
        '[[modes.mappings]]',
        'trigger = { Note = { note = 36 } }',
        `action = { WasmPlugin = { path = ${JSON.stringify(installedWasm)}, params = { action = "greet", who = "pad" } } }`,
        '',
      ].join('\n'),
    );
    const pressed = await pressPad(config, env);
    expect(pressed.kind, JSON.stringify(pressed)).toBe('action-finish');
    const plugin = pressed.plugin as { code: number; log: string[]; durationMs: number };
    expect(plugin.code).toBe(0);
    expect(plugin.log.join('\n')).toContain('Hello, pad! (note 36)');

    figures[lang] = { wasmBytes: statSync(wasm).size, buildMs: Math.round(buildMs), firstCallMs: Math.round(greet.durationMs * 1000) / 1000 };
  }, 900_000);
});

/** `conductor run` with the config; presses note 36 and returns the action's finish (or error) line. */
async function pressPad(config: string, env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, [CONDUCTOR, 'run', '--config', config, '--json'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    const lines = createInterface({ input: child.stdout });
    for await (const text of lines) {
      const line = JSON.parse(text) as Record<string, unknown>;
      if (line.kind === 'ready') {
        expect(line.configIssues, JSON.stringify(line)).toEqual([]);
        child.stdin.write('press 36 100\n');
      }
      if (line.kind === 'action-finish' || line.kind === 'action-error') return line;
    }
    throw new Error(`conductor run ended without running the action: ${stderr}`);
  } finally {
    child.stdin.write('quit\n');
    expect(await exited).toBe(0);
  }
}
