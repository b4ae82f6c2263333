// layouts.get / layouts.save / layouts.didChange on a real Core with its config dir in a temp dir, through the
// in-memory transport as Electron and browser mode use it: saved beside config.toml, read back after a restart,
// a corrupt file read as empty and kept, refusals (limits, malformed arguments) that write nothing.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidRequestError, type ConductorApi } from '../../src-shared/contract';
import type { ControllerLayoutsState } from '../../src-shared/controller-layout';
import { emptyCustomLayout, growLayout } from '../../src-shared/device-layouts';
import { connectInMemory } from '../transport/memory';
import { setupServices } from './setup';
import { startTestCore, type TestCore } from './test-support/test-core';

let t: TestCore | null = null;
afterEach(async () => {
  await t?.stop();
  t = null;
});

const learned = growLayout(growLayout(emptyCustomLayout('Weird Pad:Weird Pad MIDI 1 20:0'), { type: 'noteOn', channel: 0, note: 36, velocity: 90 }), {
  type: 'controlChange',
  channel: 0,
  controller: 74,
  value: 3,
});

/** Runs `body` with a client of fresh services on the running core (as after an app restart: nothing cached). */
async function withClient(core: TestCore, body: (api: ConductorApi) => Promise<void>): Promise<void> {
  const services = setupServices(core.core, { shell: 'browser' });
  const client = connectInMemory(services);
  try {
    await body(client.api);
  } finally {
    client.close();
    services.dispose();
  }
}

describe('layouts service', () => {
  it('saves controller-layouts.json beside config.toml, announces it, and reads it back after a restart', async () => {
    t = await startTestCore();
    const file = join(t.configDir, 'controller-layouts.json');
    const client = connectInMemory(t.services);
    try {
      expect(await client.api.layouts.get()).toEqual({ state: { custom: [], choices: {} }, problem: null });
      const changed = new Promise<ControllerLayoutsState>((resolve) => {
        const off = client.api.layouts.onDidChange((state) => {
          off();
          resolve(state);
        });
      });
      const state: ControllerLayoutsState = { custom: [learned], choices: { 'APC MINI MIDI 1': 'launchpad-mini' } };
      expect(await client.api.layouts.save(state)).toEqual({ ok: true, state });
      expect(await changed).toEqual(state);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(state);
      expect((await client.api.layouts.get()).state).toEqual(state);
    } finally {
      client.close();
    }
    await withClient(t, async (api) => expect((await api.layouts.get()).state).toEqual({ custom: [learned], choices: { 'APC MINI MIDI 1': 'launchpad-mini' } }));
  });

  it('reads a corrupt file as empty, keeps it until a save, then keeps its text beside the new file', async () => {
    t = await startTestCore();
    const file = join(t.configDir, 'controller-layouts.json');
    writeFileSync(file, '{"custom": [ oops');
    await withClient(t, async (api) => {
      const reply = await api.layouts.get();
      expect(reply.state).toEqual({ custom: [], choices: {} });
      // The user is told which file and why (the app shows it), and the file is left as it was.
      expect(reply.problem).toContain(file);
      expect(reply.problem).toContain('not valid JSON');
      expect(readFileSync(file, 'utf8')).toBe('{"custom": [ oops');
      const state: ControllerLayoutsState = { custom: [], choices: { 'Launchpad Mini': 'apc-mini' } };
      expect(await api.layouts.save(state)).toEqual({ ok: true, state });
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(state);
      expect(readFileSync(`${file}.unreadable`, 'utf8')).toBe('{"custom": [ oops');
    });
  });

  it('refuses a state over the limits with a clear error and malformed arguments before the handler; nothing is written', async () => {
    t = await startTestCore();
    const file = join(t.configDir, 'controller-layouts.json');
    await withClient(t, async (api) => {
      const many = Array.from({ length: 65 }, (_, i) => ({ ...learned, id: `custom:Pad ${i}`, name: `Pad ${i}` }));
      expect(await api.layouts.save({ custom: many, choices: {} })).toEqual({
        ok: false,
        error: 'the layouts were not saved: at most 64 learned layouts can be saved (got 65); remove some first',
      });
      const save = api.layouts.save as unknown as (...args: unknown[]) => Promise<unknown>;
      await expect(save({ custom: [{ ...learned, controls: [{ ...learned.controls[0], message: { type: 'note', note: 300 } }] }], choices: {} })).rejects.toThrow(InvalidRequestError);
      await expect(save({ custom: [], choices: {}, extra: 1 })).rejects.toThrow(/layouts\.save: invalid arguments/);
      await expect(save()).rejects.toThrow(InvalidRequestError);
      expect(existsSync(file)).toBe(false);
    });
  });
});
