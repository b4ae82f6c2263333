// The headless user service files (resources/systemd, resources/launchd; docs/background.md): the systemd user unit
// passes `systemd-analyze verify --user` (skipped, saying so, where systemd-analyze is missing) and the launchd agent
// is a property list with the keys launchd needs to run `conductor run` at login and again after a failure.
import { execFile } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const UNIT = join(ROOT, 'resources', 'systemd', 'conductor.service');
const AGENT = join(ROOT, 'resources', 'launchd', 'dev.conductor.run.plist');
// electron-builder's own property-list reader (it writes the macOS app's Info.plist with it).
const plist = createRequire(import.meta.url)('plist') as { parse(xml: string): unknown };

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * Problems that make `xml` not well-formed, for the subset a property list uses (declaration, DOCTYPE, comments,
 * elements, text): unbalanced or crossed tags, stray `<` or `&`, text outside the root. The plist reader above is
 * lenient (it closes what is left open), so this is the strict half of "it parses as XML".
 */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const body = xml
    .replace(/^<\?xml[^?]*\?>/, '')
    .replace(/<!DOCTYPE[^>]*>/, '')
    .replace(/<!--[\s\S]*?-->/g, (c) => (c.slice(4, -3).includes('--') ? (problems.push('"--" inside a comment'), '') : ''));
  const stack: string[] = [];
  let roots = 0;
  const tag = /<(\/?)([A-Za-z_][\w.-]*)(?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*(\/?)>|([^<]+)|(<)/g;
  for (let m = tag.exec(body); m !== null; m = tag.exec(body)) {
    const [, close, name, selfClose, text, stray] = m;
    if (stray) problems.push(`a stray "<" at ${m.index}`);
    else if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[\da-f]+);)/i.test(text)) problems.push(`a bare "&" at ${m.index}`);
      if (stack.length === 0 && text.trim() !== '') problems.push(`text outside the root element at ${m.index}`);
    } else if (close) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
    } else if (!selfClose) {
      if (stack.length === 0) roots++;
      stack.push(name as string);
    } else if (stack.length === 0) roots++;
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

let temp: string | null = null;
afterEach(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
  temp = null;
});

describe('the systemd user unit', () => {
  const analyze = findOnPath('systemd-analyze');

  it('runs `conductor run` from PATH, restarts on failure and is wanted by the login session', () => {
    const text = readFileSync(UNIT, 'utf8');
    expect(text).toMatch(/^ExecStart=\/usr\/bin\/env conductor run$/m);
    expect(text).toMatch(/^Restart=on-failure$/m);
    expect(text).toMatch(/^Environment=PATH=%h\/\.local\/bin:/m);
    expect(text).toMatch(/^\[Install\]\nWantedBy=default\.target$/m);
  });

  it.skipIf(analyze === null)('passes systemd-analyze verify --user (with a stand-in conductor on its PATH)', async () => {
    temp = mkdtempSync(join(tmpdir(), 'conductor-unit-'));
    const runtime = join(temp, 'run');
    mkdirSync(runtime, { mode: 0o700 });
    mkdirSync(join(temp, '.local', 'bin'), { recursive: true });
    writeFileSync(join(temp, '.local', 'bin', 'conductor'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(temp, '.local', 'bin', 'conductor'), 0o755);
    const result = await run(analyze as string, ['verify', '--user', UNIT], { ...process.env, HOME: temp, XDG_RUNTIME_DIR: runtime });
    // verify reports a key it cannot parse on stderr but still exits 0: both must be clean.
    expect(result.stderr.trim(), result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  if (analyze === null) {
    it('(systemd-analyze is not installed here: the unit was not verified — install systemd to run that check)', () => {
      expect(analyze).toBeNull();
    });
  }
});

describe('the launchd agent', () => {
  it('is a property list that runs `conductor run` at load, again after a failure, logging to ~/Library/Logs', () => {
    expect(xmlProblems(readFileSync(AGENT, 'utf8'))).toEqual([]);
    const agent = plist.parse(readFileSync(AGENT, 'utf8')) as Record<string, unknown>;
    expect(agent).toMatchObject({
      Label: 'dev.conductor.run',
      ProgramArguments: ['/usr/bin/env', 'conductor', 'run'],
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ProcessType: 'Interactive',
      StandardOutPath: '__HOME__/Library/Logs/conductor-run.log',
      StandardErrorPath: '__HOME__/Library/Logs/conductor-run.log',
    });
    expect(((agent.EnvironmentVariables as Record<string, string | undefined>).PATH ?? '').split(':')).toEqual(expect.arrayContaining(['/opt/homebrew/bin', '/usr/local/bin']));
    expect(agent.ThrottleInterval).toBeGreaterThan(0);
  });

  it('would be refused when broken, so the check above means something', () => {
    const text = readFileSync(AGENT, 'utf8');
    expect(xmlProblems(text.replace('</dict>\n</plist>', '</plist>'))).toEqual(['</plist> closes <dict>', 'unclosed: plist']);
    expect(xmlProblems(text.replace('<true/>', '<true>'))).not.toEqual([]);
    expect(xmlProblems(text.replace('<string>run</string>', '<string>a & b</string>'))).toEqual([expect.stringMatching(/bare "&"/)]);
    expect(xmlProblems(`${text}<plist/>`)).toEqual(['2 root elements']);
  });
});
