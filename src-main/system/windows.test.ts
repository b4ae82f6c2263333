import { describe, expect, it } from 'vitest';
import { AppSourceError } from './frontmost-app';
import type { ToolOutput } from './run-tool';
import { FOREGROUND_SCRIPT, PROCESSES_SCRIPT, WindowsAppReader, parseWindowsForeground, parseWindowsProcesses, powershellArgv } from './windows';

// ConvertTo-Json -Compress output of the scripts' objects (Windows PowerShell 5.1 prefixes a BOM under UTF-8 output).
const FOREGROUND = '\uFEFF{"Name":"firefox","Id":4242,"Path":"C:\\\\Program Files\\\\Mozilla Firefox\\\\firefox.exe","Title":"Mozilla Firefox"}\r\n';
const FOREGROUND_ELEVATED = '{"Name":"Taskmgr","Id":88,"Path":null,"Title":"Task Manager"}\r\n';
const PROCESSES =
  '[{"Name":"explorer","Id":5012,"Path":"C:\\\\Windows\\\\explorer.exe","Title":""},{"Name":"Code","Id":9,"Path":"C:\\\\Users\\\\me\\\\AppData\\\\Local\\\\Programs\\\\Microsoft VS Code\\\\Code.exe","Title":"main.ts - Visual Studio Code"},{"Name":"System","Id":4,"Path":null,"Title":""},{"Name":"Idle","Id":0,"Path":null,"Title":""}]\r\n';
const ONE_PROCESS = '{"Name":"obs64","Id":700,"Path":"C:\\\\Program Files\\\\obs-studio\\\\bin\\\\64bit\\\\obs64.exe","Title":"OBS 30.0"}';

describe('PowerShell output', () => {
  it('reads the foreground process', () => {
    expect(parseWindowsForeground(FOREGROUND)).toEqual({
      name: 'firefox',
      executable: 'firefox.exe',
      path: 'C:\\Program Files\\Mozilla Firefox\\firefox.exe',
      pid: 4242,
      title: 'Mozilla Firefox',
      windowClass: null,
      bundleId: null,
    });
    expect(parseWindowsForeground(FOREGROUND_ELEVATED)).toMatchObject({ name: 'Taskmgr', executable: 'Taskmgr.exe', path: null });
    expect(parseWindowsForeground('')).toBeNull();
    expect(() => parseWindowsForeground('Add-Type : Cannot add type.')).toThrow(AppSourceError);
  });

  it('reads the process list, one process printed as an object too', () => {
    expect(parseWindowsProcesses(PROCESSES).map((a) => [a.name, a.executable, a.pid, a.title])).toEqual([
      ['explorer', 'explorer.exe', 5012, null],
      ['Code', 'Code.exe', 9, 'main.ts - Visual Studio Code'],
      ['System', 'System.exe', 4, null],
      ['Idle', 'Idle.exe', null, null],
    ]);
    expect(parseWindowsProcesses(ONE_PROCESS).map((a) => a.name)).toEqual(['obs64']);
    expect(parseWindowsProcesses('')).toEqual([]);
  });

  it('passes the script encoded, so nothing in it needs quoting', () => {
    const argv = powershellArgv('powershell', FOREGROUND_SCRIPT);
    expect(argv.slice(0, -1)).toEqual(['powershell', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
    expect(Buffer.from(argv.at(-1) as string, 'base64').toString('utf16le')).toBe(FOREGROUND_SCRIPT);
    expect(FOREGROUND_SCRIPT).toContain('GetForegroundWindow');
    for (const script of [FOREGROUND_SCRIPT, PROCESSES_SCRIPT]) expect(script).not.toMatch(/Stop-Process|SetForegroundWindow|Start-Process/);
  });
});

describe('WindowsAppReader', () => {
  it('uses pwsh when Windows PowerShell is missing, and says so when neither exists', async () => {
    const programs: string[] = [];
    const reader = new WindowsAppReader((argv) => {
      programs.push(argv[0] as string);
      if (argv[0] === 'powershell') return Promise.reject(new AppSourceError('no-tool', 'powershell is not installed'));
      return Promise.resolve<ToolOutput>({ stdout: FOREGROUND, stderr: '', exitCode: 0 });
    });
    expect(await reader.frontmost()).toMatchObject({ name: 'firefox' });
    expect(programs).toEqual(['powershell', 'pwsh']);
    const none = new WindowsAppReader(() => Promise.reject(new AppSourceError('no-tool', 'not installed')));
    await expect(none.running()).rejects.toMatchObject({ reason: 'no-tool', message: expect.stringContaining('PowerShell') });
  });
});
