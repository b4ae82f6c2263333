// The saved controller layouts (learned layouts, layouts chosen by device): controller-layouts.json beside config.toml,
// validated on read and written atomically. Never crashes on a bad file and never replaces one the user has not saved over.
import { copyFile, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ControllerLayoutsState } from '../../src-shared/controller-layout';
import { controllerLayoutsStateSchema, emptyLayoutsState, layoutsStateProblem } from '../../src-shared/controller-layout-schema';
import { Emitter, type Event } from '../../src-shared/emitter';
import { errorCode, errorMessage } from '../../src-shared/errors';
import { writeFileAtomically } from '../fs/atomic-write';

export const CONTROLLER_LAYOUTS_FILE = 'controller-layouts.json';

/** controller-layouts.json in the directory of config.toml. */
export function controllerLayoutsPath(configPath: string): string {
  return join(dirname(configPath), CONTROLLER_LAYOUTS_FILE);
}

export type SaveLayoutsResult = { ok: true; state: ControllerLayoutsState } | { ok: false; error: string };

/** Why `text` is not a valid layouts file, or the state it holds. */
export function parseLayoutsFile(text: string): { state: ControllerLayoutsState } | { problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { problem: `not valid JSON (${errorMessage(error)})` };
  }
  const parsed = controllerLayoutsStateSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { problem: first ? `${first.path.length > 0 ? `${first.path.join('.')}: ` : ''}${first.message}` : 'not a layouts file' };
  }
  const state: ControllerLayoutsState = parsed.data;
  const problem = layoutsStateProblem(state);
  return problem === null ? { state } : { problem };
}

export class ControllerLayoutStore {
  private state: ControllerLayoutsState | null = null;
  /** Why the file on disk could not be used (it reads as empty and is kept as it is until the next save). */
  private fileProblem: string | null = null;
  /** Saves run one after another, each with the state the one before left. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly changes = new Emitter<ControllerLayoutsState>({ onListenerError: () => undefined });

  /** A save changed the layouts (any window's). */
  readonly onDidChange: Event<ControllerLayoutsState> = this.changes.event;

  /** `log` gets one line when the file cannot be used, and when a save replaces such a file (default console.warn). */
  constructor(
    readonly path: string,
    private readonly log: (message: string) => void = (message) => console.warn(`conductor: ${message}`),
  ) {}

  /** The problem of the file as last read (null when it was fine or absent). */
  get problem(): string | null {
    return this.fileProblem;
  }

  /** The saved state: read once (missing file = empty; an unreadable or invalid one = empty, reported once). */
  async get(): Promise<ControllerLayoutsState> {
    if (this.state === null) this.state = await this.read();
    return this.state;
  }

  /** Replaces the whole state after checking its limits; the file is written atomically. */
  save(next: ControllerLayoutsState): Promise<SaveLayoutsResult> {
    const run = this.queue.then(() => this.write(next));
    this.queue = run.catch(() => undefined);
    return run;
  }

  dispose(): void {
    this.changes.dispose();
  }

  private async read(): Promise<ControllerLayoutsState> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return emptyLayoutsState();
      return this.unusable(`cannot be read (${errorMessage(error)})`);
    }
    const parsed = parseLayoutsFile(text);
    if ('problem' in parsed) return this.unusable(parsed.problem);
    this.fileProblem = null;
    return parsed.state;
  }

  private unusable(problem: string): ControllerLayoutsState {
    this.fileProblem = problem;
    this.log(`${this.path} is ignored: ${problem}. Controller layouts start empty; the file is kept until layouts are saved again.`);
    return emptyLayoutsState();
  }

  private async write(next: ControllerLayoutsState): Promise<SaveLayoutsResult> {
    const problem = layoutsStateProblem(next);
    if (problem !== null) return { ok: false, error: `the layouts were not saved: ${problem}` };
    await this.get();
    const state: ControllerLayoutsState = { custom: [...next.custom], choices: { ...next.choices } };
    try {
      if (this.fileProblem !== null) {
        // The user saves over a file that could not be read: its old text is kept beside it, never lost silently.
        const backup = `${this.path}.unreadable`;
        await copyFile(this.path, backup).then(
          () => this.log(`${this.path} could not be read before; its old contents are kept in ${backup}`),
          () => undefined,
        );
      }
      await writeFileAtomically(this.path, `${JSON.stringify(state, null, 2)}\n`);
    } catch (error) {
      return { ok: false, error: `the layouts were not saved: ${this.path}: ${errorMessage(error)}` };
    }
    this.fileProblem = null;
    this.state = state;
    this.changes.fire(state);
    return { ok: true, state };
  }
}
