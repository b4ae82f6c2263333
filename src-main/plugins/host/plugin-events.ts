// The events of many plugins, merged into one stream per kind and tagged with the plugin they came from: what the
// core, the UI bridge and `conductor run` listen to. Never calls into a plugin or keeps one alive; it only forwards.
import type { ApprovalRequest } from '../../../src-shared/capabilities';
import type { CallResult, LifecycleEvent, PluginHostEvent } from '../../../src-shared/plugin';
import { Emitter, type Event } from '../../../src-shared/emitter';
import type { PluginHandle } from './plugin-handle';

/** Something a plugin asked for through a host function (send MIDI, notify), with the plugin it came from. */
export interface PluginEventMessage {
  pluginId: string;
  event: PluginHostEvent;
}

export interface FinishedCall {
  pluginId: string;
  result: CallResult;
}

export class PluginEvents {
  private readonly lifecycle = new Emitter<LifecycleEvent>();
  private readonly approvals = new Emitter<ApprovalRequest>();
  private readonly hostEvents = new Emitter<PluginEventMessage>();
  private readonly calls = new Emitter<FinishedCall>();
  /** Lifecycle events of every plugin. */
  readonly onDidLifecycle: Event<LifecycleEvent> = this.lifecycle.event;
  /** Requests for the user to decide on pending capabilities. */
  readonly onDidRequestApproval: Event<ApprovalRequest> = this.approvals.event;
  /** MIDI to send, notifications to show: requests plugins made through granted host functions. */
  readonly onDidPluginEvent: Event<PluginEventMessage> = this.hostEvents.event;
  /** A call finished (any outcome; the plugin's stats have been updated). For views that show call stats. */
  readonly onDidFinishCall: Event<FinishedCall> = this.calls.event;

  /** Forwards the plugin's events from now until it closes (its last one is the `unload` lifecycle event). */
  add(plugin: PluginHandle): void {
    // A closed plugin drops its listeners itself: nothing to unsubscribe here.
    plugin.onDidLifecycle((event) => this.lifecycle.fire(event));
    plugin.onDidRequestApproval((request) => this.approvals.fire(request));
    plugin.onDidHostEvent((event) => this.hostEvents.fire({ pluginId: plugin.id, event }));
    plugin.onDidFinishCall((result) => this.calls.fire({ pluginId: plugin.id, result }));
  }

  dispose(): void {
    for (const emitter of [this.lifecycle, this.approvals, this.hostEvents, this.calls]) emitter.dispose();
  }
}
