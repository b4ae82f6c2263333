import { describe, expect, it } from 'vitest';
import { AppSourceError } from './frontmost-app';
import { FRONTMOST_SCRIPT, MacAppReader, RUNNING_SCRIPT, parseMacFrontmost, parseMacRunning } from './macos';
import type { ToolOutput } from './run-tool';

// osascript prints a script's returned text plus a newline; the fields are the scripts' own tab-separated layout.
const FRONT_SAFARI = 'Safari\tSafari\t501\tcom.apple.Safari\t/Applications/Safari.app/\tApple — Start Page\n';
const FRONT_NO_ACCESS = 'Logic Pro X\tLogic Pro\t777\tcom.apple.logic10\t/Applications/Logic Pro X.app/\tmissing value\n';
const FRONT_HELPER = 'java\tjava\t1234\tmissing value\tmissing value\tmissing value\n';
const RUNNING = ['Finder\tFinder\t410\tcom.apple.finder', 'Safari\tSafari\t501\tcom.apple.Safari', 'Electron\tVisual Studio Code\t900\tcom.microsoft.VSCode', 'java\tjava\t1234\tmissing value', ''].join('\n');

describe('osascript output', () => {
  it('reads the frontmost app: displayed name, process name, pid, bundle, path, window title', () => {
    expect(parseMacFrontmost(FRONT_SAFARI)).toEqual({
      name: 'Safari',
      executable: 'Safari',
      path: '/Applications/Safari.app',
      pid: 501,
      title: 'Apple — Start Page',
      windowClass: null,
      bundleId: 'com.apple.Safari',
    });
    expect(parseMacFrontmost(FRONT_NO_ACCESS)).toMatchObject({ name: 'Logic Pro', executable: 'Logic Pro X', title: null, bundleId: 'com.apple.logic10' });
    expect(parseMacFrontmost(FRONT_HELPER)).toMatchObject({ name: 'java', pid: 1234, bundleId: null, path: null, title: null });
    expect(parseMacFrontmost('\n')).toBeNull();
  });

  it('reads the running application processes', () => {
    const apps = parseMacRunning(RUNNING);
    expect(apps.map((a) => [a.name, a.executable, a.pid, a.bundleId])).toEqual([
      ['Finder', 'Finder', 410, 'com.apple.finder'],
      ['Safari', 'Safari', 501, 'com.apple.Safari'],
      ['Visual Studio Code', 'Electron', 900, 'com.microsoft.VSCode'],
      ['java', 'java', 1234, null],
    ]);
  });
});

describe('MacAppReader', () => {
  it('runs the scripts through osascript -e lines and parses them', async () => {
    const calls: string[][] = [];
    const reader = new MacAppReader((argv) => {
      calls.push([...argv]);
      const frontmostAsked = argv.includes('  set p to first application process whose frontmost is true');
      return Promise.resolve<ToolOutput>({ stdout: frontmostAsked ? FRONT_SAFARI : RUNNING, stderr: '', exitCode: 0 });
    });
    expect(await reader.frontmost()).toMatchObject({ name: 'Safari' });
    expect((await reader.running()).length).toBe(4);
    expect(calls[0]).toEqual(['osascript', ...FRONTMOST_SCRIPT.flatMap((l) => ['-e', l])]);
    expect(calls[1]).toEqual(['osascript', ...RUNNING_SCRIPT.flatMap((l) => ['-e', l])]);
    // The scripts only read.
    for (const line of [...FRONTMOST_SCRIPT, ...RUNNING_SCRIPT]) expect(line).not.toMatch(/\b(activate|launch|quit|set frontmost|keystroke|click)\b/);
  });

  it('explains a refused Automation permission, and a missing osascript', async () => {
    const refused = new MacAppReader(() =>
      Promise.resolve({ stdout: '', stderr: '36:120: execution error: Not authorized to send Apple events to System Events. (-1743)\n', exitCode: 1 }),
    );
    await expect(refused.frontmost()).rejects.toMatchObject({ reason: 'failed', message: expect.stringContaining('Privacy & Security → Automation') });
    const missing = new MacAppReader(() => Promise.reject(new AppSourceError('no-tool', 'osascript is not installed')));
    expect(await missing.status()).toMatchObject({ available: false, reason: 'no-tool', message: expect.stringContaining('osascript') });
  });
});
