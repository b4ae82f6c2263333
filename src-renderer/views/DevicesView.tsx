// Devices: MIDI backend status, every real and virtual device with connect/disconnect, and the virtual
// controller (pads and knobs) that plays into the engine like a real one.
import { useMemo, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { noteName, type DeviceInfo, type VirtualLayout, type VirtualPad } from '../../src-shared/midi';
import { padRows, padVelocity } from './pads';
import { Spinner } from '../components/fields';
import { useApp } from '../store/context';

function Pad({ pad }: { pad: VirtualPad }) {
  const velocity = useApp((s) => s.pressedNotes[pad.note]);
  const press = useApp((s) => s.pressPad);
  const release = useApp((s) => s.releasePad);
  const down = (e: PointerEvent<HTMLButtonElement>) => {
    if (e.button !== 0) return;
    const rect = e.currentTarget.getBoundingClientRect();
    void press(pad.note, padVelocity(e.clientY - rect.top, rect.height, e));
  };
  const key = (e: KeyboardEvent<HTMLButtonElement>, isDown: boolean) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    if (isDown) {
      if (!e.repeat) void press(pad.note, e.shiftKey ? 30 : e.altKey ? 120 : 100);
    } else void release(pad.note);
  };
  const lit = velocity !== undefined;
  return (
    <button
      type="button"
      className={`pad${lit ? ' pad-lit' : ''}`}
      data-testid={`pad-${pad.note}`}
      aria-pressed={lit}
      aria-label={`${pad.label}, note ${pad.note} (${noteName(pad.note)})`}
      style={lit ? { ['--pad-level' as string]: String(velocity / 127) } : undefined}
      onPointerDown={down}
      onPointerUp={() => void release(pad.note)}
      onPointerLeave={() => void release(pad.note)}
      onPointerCancel={() => void release(pad.note)}
      onKeyDown={(e) => key(e, true)}
      onKeyUp={(e) => key(e, false)}
      onBlur={() => void release(pad.note)}
      onContextMenu={(e) => e.preventDefault()}
    >
      <span className="pad-label">{pad.label}</span>
      <span className="pad-note">
        {noteName(pad.note)} · {pad.note}
      </span>
      {lit ? <span className="pad-velocity">vel {velocity}</span> : null}
    </button>
  );
}

function Knob({ cc, label }: { cc: number; label: string }) {
  const turn = useApp((s) => s.turnKnob);
  const [value, setValue] = useState(0);
  const id = `knob-${cc}`;
  return (
    <div className="knob">
      <label htmlFor={id}>
        {label} <span className="muted">CC {cc}</span>
      </label>
      <input
        id={id}
        type="range"
        min={0}
        max={127}
        value={value}
        data-testid={`knob-${cc}`}
        onChange={(e) => {
          const v = Number(e.target.value);
          setValue(v);
          void turn(cc, v);
        }}
      />
      <output htmlFor={id}>{value}</output>
    </div>
  );
}

function VirtualController({ layout }: { layout: VirtualLayout }) {
  const rows = useMemo(() => padRows(layout), [layout]);
  return (
    <section className="panel" aria-labelledby="virtual-heading">
      <h2 id="virtual-heading">Virtual controller</h2>
      <p className="muted">
        Click a pad to press it: higher in the pad = harder (Shift = soft, Alt = hard). Keyboard: focus a pad and hold Enter or Space. Channel {layout.channel + 1}.
      </p>
      <div className="pads" role="group" aria-label="Pads" style={{ gridTemplateColumns: `repeat(${Math.max(1, layout.padColumns)}, minmax(64px, 96px))` }}>
        {rows.flat().map((pad) => (
          <Pad key={pad.note} pad={pad} />
        ))}
      </div>
      {layout.knobs.length > 0 ? (
        <div className="knobs" role="group" aria-label="Knobs">
          {layout.knobs.map((k) => (
            <Knob key={k.cc} cc={k.cc} label={k.label} />
          ))}
        </div>
      ) : null}
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

export function DevicesView() {
  const devices = useApp((s) => s.devices);
  const midi = useApp((s) => s.midiStatus);
  const layout = useApp((s) => s.virtualLayout);
  const loaded = useApp((s) => s.loaded);
  return (
    <div className="view">
      <header className="view-header">
        <h1>Devices</h1>
      </header>
      {midi && !midi.available ? (
        <div className="banner banner-warn" role="status" data-testid="midi-unavailable">
          <strong>{midi.reason ?? 'MIDI unavailable'}</strong>
          <div>Hardware controllers cannot be used right now; the virtual controller below still works.</div>
        </div>
      ) : null}
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
      </section>
      {layout ? <VirtualController layout={layout} /> : null}
    </div>
  );
}
