// setupServices: the one place the UI services are wired onto a Core — the learner, the call handlers and the event
// bridge — for every transport alike (Electron IPC, browser mode, in-memory tests). Never binds a transport itself.
import type { CallHandlers, ContractEvent } from '../../src-shared/contract';
import type { Core } from '../app/core';
import { Emitter, type Event } from '../../src-shared/emitter';
import { Learner } from '../engine/learn';
import { dispatch } from './dispatch';
import { bridgeEvents, type BridgeOptions } from './events';
import { createHandlers, type HandlerInfo } from './handlers';
import { ControllerLayoutStore, controllerLayoutsPath } from './controller-layouts';

/** What a transport needs from the services: the one entry for requests and the event stream. */
export interface ServiceEndpoint {
  /**
   * Runs one request from an untrusted sender: the contract's argument check, then the handler. Rejects with
   * InvalidRequestError for an unknown call or refused arguments; user-caused failures are normal replies.
   */
  dispatch(name: unknown, args: unknown): Promise<unknown>;
  /** Every contract event, for every subscribed transport. */
  readonly onDidEmitEvent: Event<ContractEvent>;
}

export interface Services extends ServiceEndpoint {
  readonly learner: Learner;
  /** The handlers `dispatch` runs (tests wrap them to see what reached a handler). */
  readonly handlers: CallHandlers;
  /** The saved controller layouts (controller-layouts.json beside config.toml). */
  readonly layouts: ControllerLayoutStore;
  /** Stops the event bridge and the learner and drops every event subscriber (idempotent); the core keeps running. */
  dispose(): void;
}

export interface ServicesOptions extends HandlerInfo {
  /** Event bridge timing (tests shorten it). */
  events?: BridgeOptions;
  /** Where the controller layouts are saved (default: controller-layouts.json beside the core's config.toml). */
  layoutsPath?: string;
}

/** Creates the learner, the handlers and the event bridge on `core`. */
export function setupServices(core: Core, options: ServicesOptions): Services {
  const { events: bridgeOptions, layoutsPath, ...info } = options;
  // The learner holds mappings off through the core's gate, so a session's end never undoes a pause.
  const learner = new Learner({ devices: core.devices, gamepads: core, config: core.config, engine: core.learnGate });
  const layouts = new ControllerLayoutStore(layoutsPath ?? controllerLayoutsPath(core.config.path));
  const handlers = createHandlers(core, learner, info, layouts);
  const emitter = new Emitter<ContractEvent>();
  const stopBridge = bridgeEvents(core, learner, (event, payload) => emitter.fire({ event, payload } as ContractEvent), bridgeOptions);
  const stopLayouts = layouts.onDidChange((state) => emitter.fire({ event: 'layouts.didChange', payload: state }));
  let disposed = false;
  return {
    learner,
    handlers,
    layouts,
    dispatch: (name, args) => dispatch(handlers, name, args),
    onDidEmitEvent: emitter.event,
    dispose() {
      if (disposed) return;
      disposed = true;
      stopBridge();
      stopLayouts();
      layouts.dispose();
      emitter.dispose();
      learner.dispose();
    },
  };
}
