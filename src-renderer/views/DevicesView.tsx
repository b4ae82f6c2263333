// Devices: every real and virtual device with connect/disconnect (an unavailable MIDI system is said by the app's one
// notice, never repeated here), and the virtual controller (pads and knobs) that plays into the engine like a real one.
import { useMemo } from 'react';
import { layoutFromVirtual } from '../../src-shared/controller-layout';
import type { DeviceInfo, VirtualLayout } from '../../src-shared/midi';
import { Controller } from '../components/Controller';
import { Spinner } from '../components/fields';
import { useApp } from '../store/context';
import { TemplatesPanel } from './TemplateChooser';

/** The virtual controller, drawn and played by the same component as on the Mappings view (one implementation). */
function VirtualController({ layout }: { layout: VirtualLayout }) {
  const drawn = useMemo(() => layoutFromVirtual(layout), [layout]);
  const lights = useApp((s) => s.padLights);
  return (
    <section className="panel" aria-labelledby="virtual-heading">
      <h2 id="virtual-heading">Virtual controller</h2>
      <p className="muted">
        Click a pad to press it: higher in the pad = harder (Shift = soft, Alt = hard). Keyboard: focus a pad and hold Enter or Space; turn a knob by dragging it, with the
        wheel or the arrow keys. Channel {layout.channel + 1}. Notes Conductor sends to it light its pads.
      </p>
      <Controller layout={drawn} playable lights={lights} selectOnPress={false} label="Pads" />
    </section>
  );
}

const STATE_TEXT: Record<DeviceInfo['state'], string> = { connected: 'Connected', disconnected: 'Disconnected', unavailable: 'Unavailable' };

function DeviceRow({ device }: { device: DeviceInfo }) {
  const busy = useApp((s) => s.deviceBusy[device.id] === true);
  const connect = useApp((s) => s.connectDevice);
  const disconnect = useApp((s) => s.disconnectDevice);
  return (
    <tr data-testid="device-row" data-device-id={device.id}>
      <td>
        <strong>{device.name}</strong>
        <div className="muted small">{device.id}</div>
      </td>
      <td>{device.kind === 'virtual' ? 'Virtual' : 'Hardware'}</td>
      <td>{device.direction === 'input' ? 'Input' : 'Output'}</td>
      <td>
        <span className={`state state-${device.state}`}>{STATE_TEXT[device.state]}</span>
        {device.detail ? <div className="muted small">{device.detail}</div> : null}
      </td>
      <td className="actions-cell">
        {busy ? <Spinner label={`Updating ${device.name}`} /> : null}
        {device.state === 'connected' ? (
          <button type="button" disabled={busy} onClick={() => void disconnect(device.id)} data-testid={`disconnect-${device.id}`}>
            Disconnect
          </button>
        ) : (
          <button type="button" disabled={busy || device.state === 'unavailable'} onClick={() => void connect(device.id)} data-testid={`connect-${device.id}`}>
            Connect
          </button>
        )}
      </td>
    </tr>
  );
}

/** The game controllers main knows (joydev on Linux, the window's Gamepad API elsewhere), updated as they come and go. */
function GameControllers() {
  const controllers = useApp((s) => s.gamepadControllers);
  const windowInput = useApp((s) => s.gamepadWindowInput);
  if (controllers === null) return null;
  return (
    <section className="panel" aria-labelledby="gamepads-heading" data-testid="gamepads-panel">
      <h2 id="gamepads-heading">Game controllers</h2>
      {controllers.length === 0 ? (
        <p className="empty" data-testid="gamepads-empty">
          {windowInput
            ? 'None yet. Connect a controller and press one of its buttons while this window is visible (the window reads controllers only then).'
            : 'None found. Plug in a controller: it appears here by itself.'}
        </p>
      ) : (
        <ul className="gamepad-list" aria-label="Game controllers">
          {controllers.map((c) => (
            <li key={c.id} data-testid="gamepad-row">
              <strong>{c.name}</strong> <span className="muted small">{c.source === 'window' ? 'read through this window (while it is visible)' : 'read by Conductor (joystick device)'}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function DevicesView() {
  const allDevices = useApp((s) => s.devices);
  const midi = useApp((s) => s.midiStatus);
  // MIDI hardware unavailable: the app's one notice says so (components/MidiNotice.tsx). The entries that only carry
  // that same reason (the hardware placeholder, the OS virtual port) are left out here instead of repeating it.
  const devices = useMemo(() => (midi && !midi.available ? allDevices.filter((d) => !(d.state === 'unavailable' && d.detail === midi.reason)) : allDevices), [allDevices, midi]);
  const hiddenPorts = allDevices.length - devices.length;
  const layout = useApp((s) => s.virtualLayout);
  const loaded = useApp((s) => s.loaded);
  return (
    <div className="view">
      <header className="view-header">
        <h1>Devices</h1>
      </header>
      <section className="panel" aria-labelledby="devices-heading">
        <h2 id="devices-heading">MIDI devices</h2>
        {!loaded && devices.length === 0 ? (
          <p>
            <Spinner label="Loading devices" /> Loading devices…
          </p>
        ) : devices.length === 0 ? (
          <p className="empty">No MIDI devices found. Plug in a controller (it appears here by itself), or use the virtual controller below.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Kind</th>
                <th scope="col">Direction</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {devices.map((d) => (
                <DeviceRow key={d.id} device={d} />
              ))}
            </tbody>
          </table>
        )}
        {hiddenPorts > 0 ? (
          <p className="muted small" data-testid="devices-hardware-hidden">
            This computer&rsquo;s MIDI ports are not listed until Conductor can use its MIDI system (the status bar&rsquo;s MIDI item says why).
          </p>
        ) : null}
      </section>
      <TemplatesPanel />
      {layout ? <VirtualController layout={layout} /> : null}
      <GameControllers />
    </div>
  );
}
