// The one guard every transport goes through: requests the contract refuses never reach a handler (the real
// handlers of a real Core, counted), and accepted ones return the handler's reply.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidRequestError, type CallHandlers, type CallName } from '../../src-shared/contract';
import { dispatch } from './dispatch';
import { createHandlers } from './handlers';
import { countedHandlers, startTestCore, type TestCore } from './test-support/test-core';

let t: TestCore;
let handlers: CallHandlers;
let calls: CallName[];

beforeAll(async () => {
  t = await startTestCore();
  handlers = countedHandlers(createHandlers(t.core, t.learner, { shell: 'browser', version: '9.9.9' }), (name) => calls.push(name));
});
afterAll(() => t.stop());
beforeEach(() => {
  calls = [];
});

async function refused(name: unknown, args: unknown): Promise<string> {
  const error = await dispatch(handlers, name, args).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect(calls).toEqual([]);
  return (error as Error).message;
}

describe('dispatch: the contract guard', () => {
  it('refuses unknown calls, including non-strings, inherited names and very long names', async () => {
    expect(await refused('devices.format', [])).toBe('unknown call "devices.format"');
    expect(await refused('toString', [])).toMatch(/unknown call/);
    expect(await refused('__proto__', [])).toMatch(/unknown call/);
    expect(await refused(42, [])).toMatch(/must be a string, got number/);
    expect(await refused(null, [])).toMatch(/got null/);
    expect(await refused({ name: 'app.info' }, [])).toMatch(/got object/);
    const long = await refused('x'.repeat(100_000), []);
    expect(long.length).toBeLessThan(200);
  });

  it('refuses arguments that are not an array', async () => {
    expect(await refused('app.info', { 0: 1 })).toMatch(/^app\.info: invalid arguments: expected an array/);
    expect(await refused('virtual.press', '36,100')).toMatch(/expected an array/);
    expect(await refused('engine.state', undefined)).toMatch(/expected an array/);
  });

  it('refuses the wrong number of arguments', async () => {
    expect(await refused('app.info', [1])).toMatch(/^app\.info: invalid arguments: .*<=0/);
    expect(await refused('virtual.press', [36])).toMatch(/^virtual\.press: invalid arguments/);
    expect(await refused('virtual.press', [36, 100, 0])).toMatch(/virtual\.press/);
    expect(await refused('plugins.test', ['/x.wasm'])).toMatch(/plugins\.test/);
  });

  it('refuses wrong types', async () => {
    expect(await refused('virtual.press', ['36', 100])).toMatch(/argument 0: .*number/);
    expect(await refused('devices.connect', [{ id: 'virtual:x' }])).toMatch(/argument 0/);
    expect(await refused('config.save', [[1, 2]])).toMatch(/argument 0/);
    expect(await refused('config.save', ['[device]'])).toMatch(/argument 0/);
    expect(await refused('plugins.decide', ['counter', 'root', 'granted'])).toMatch(/argument 1/);
    expect(await refused('plugins.decide', ['counter', 'network', 'maybe'])).toMatch(/argument 2/);
    expect(await refused('trust.setPolicy', [{ requireSignature: 'yes', allowSelfSigned: false }])).toMatch(/argument 0\.requireSignature/);
    expect(await refused('plugins.install', ['/x.wasm', { update: 1 }])).toMatch(/argument 1\.update/);
  });

  it('refuses out-of-range and non-integer numbers', async () => {
    expect(await refused('virtual.press', [128, 100])).toMatch(/argument 0/);
    expect(await refused('virtual.press', [-1, 100])).toMatch(/argument 0/);
    expect(await refused('virtual.press', [36, 0])).toMatch(/argument 1/); // velocity 0 is a release, not a press
    expect(await refused('virtual.knob', [1, 127.5])).toMatch(/argument 1/);
    expect(await refused('virtual.knob', [1, Number.NaN])).toMatch(/argument 1/);
    expect(await refused('learn.start', [999])).toMatch(/argument 0/);
    expect(await refused('learn.start', [60_001])).toMatch(/argument 0/);
    expect(await refused('engine.recentEvents', [-1])).toMatch(/argument 0/);
  });

  it('refuses huge and empty strings', async () => {
    expect(await refused('devices.connect', ['x'.repeat(513)])).toMatch(/argument 0: .*<=512/);
    expect(await refused('engine.setMode', ['m'.repeat(1_000_000)])).toMatch(/argument 0/);
    expect(await refused('plugins.test', ['p'.repeat(5000), {}])).toMatch(/argument 0/);
    expect(await refused('trust.addKey', ['a'.repeat(257), 'Someone'])).toMatch(/argument 0/);
    expect(await refused('devices.connect', [''])).toMatch(/argument 0/);
  });

  it('runs the handler with valid arguments and returns its reply', async () => {
    await expect(dispatch(handlers, 'app.info', [])).resolves.toMatchObject({ version: '9.9.9', shell: 'browser', configPath: t.configPath, pluginsDir: t.pluginsDir });
    await expect(dispatch(handlers, 'engine.state', [])).resolves.toEqual({ mode: 'Default', modes: ['Default', 'Performance'] });
    await expect(dispatch(handlers, 'virtual.press', [36, 100])).resolves.toEqual({ ok: true });
    await expect(dispatch(handlers, 'virtual.release', [36])).resolves.toEqual({ ok: true });
    await expect(dispatch(handlers, 'learn.start', [])).resolves.toMatchObject({ timeoutMs: 10_000 });
    await expect(dispatch(handlers, 'learn.cancel', [])).resolves.toEqual({ ok: true });
    expect(calls).toEqual(['app.info', 'engine.state', 'virtual.press', 'virtual.release', 'learn.start', 'learn.cancel']);
  });
});
