// SendMidi's output port: a choice of the MIDI outputs present now (the virtual controller's among them) and free text
// for any other name, with whether the named port is there now (the same rule main sends with, src-shared/port-match).
import { useId, useMemo } from 'react';
import { findPort } from '../../src-shared/port-match';
import { describedBy, FieldShell } from '../components/fields';
import { useApp } from '../store/context';
import './editors.css';

/** The select's value when the port is typed (empty, or not exactly a present output's name). */
const OTHER = '';

export function SendMidiPortField({ port, issues, onChange }: { port: string; issues: readonly string[]; onChange: (port: string) => void }) {
  const id = useId();
  const devices = useApp((s) => s.devices);
  const outputs = useMemo(() => devices.filter((d) => d.direction === 'output'), [devices]);
  const match = port.trim() === '' ? null : findPort(outputs, port);
  const exact = outputs.some((o) => o.name === port);
  const hint =
    port.trim() === ''
      ? outputs.length > 0
        ? 'Choose an output, or type (part of) a port name'
        : 'No MIDI output is present now: type (part of) the port name'
      : match
        ? exact
          ? 'Connected now'
          : `Connected now: sends to "${match.name}"`
        : 'Not connected now — it will be used when it appears';
  const bad = issues.length > 0;
  return (
    <FieldShell id={id} label="Output port" required hint={<span data-testid="send-midi-port-status" data-present={match ? 'yes' : 'no'}>{hint}</span>} issues={issues}>
      <div className="port-field">
        <select
          aria-label="Outputs present now"
          value={exact ? port : OTHER}
          onChange={(e) => {
            if (e.target.value !== OTHER) onChange(e.target.value);
          }}
          data-testid="send-midi-port-choice"
        >
          <option value={OTHER}>{port.trim() === '' ? 'Choose an output…' : exact ? 'Other (type below)' : `Other: ${port}`}</option>
          {outputs.map((o) => (
            <option key={o.id} value={o.name}>
              {o.name}
            </option>
          ))}
        </select>
        <input
          id={id}
          type="text"
          value={port}
          placeholder="Port name, or part of it"
          aria-required
          aria-invalid={bad || undefined}
          aria-describedby={describedBy(id, hint, bad)}
          onChange={(e) => onChange(e.target.value)}
          data-testid="send-midi-port"
        />
      </div>
    </FieldShell>
  );
}
