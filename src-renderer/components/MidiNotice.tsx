// The one place the app says MIDI hardware is unavailable: a plain-language notice above every view with the technical
// reason under Details, closable (remembered by main for that reason). Never shown while the UI state is still loading.
import { midiNoticeVisible, midiReasonDetail, shortMidiReason } from '../store/first-run';
import { useApp } from '../store/context';
import { Icon } from './Icon';
import './first-run.css';

export function MidiNotice() {
  const status = useApp((s) => s.midiStatus);
  const ui = useApp((s) => s.uiState);
  const uiLoaded = useApp((s) => s.uiStateLoaded);
  const dismiss = useApp((s) => s.dismissMidiNotice);
  if (!status || !midiNoticeVisible(status, ui, uiLoaded)) return null;
  return (
    <div className="midi-notice" role="status" data-testid="midi-unavailable">
      <Icon name="warning" className="midi-notice-icon" />
      <div className="midi-notice-text">
        <strong>MIDI hardware is unavailable on this computer right now</strong> ({shortMidiReason(status)}). The on-screen controller works;
        to use a real one, fix the cause and restart Conductor.{' '}
        <details>
          <summary>Details</summary>
          <code data-testid="midi-unavailable-detail">{midiReasonDetail(status)}</code>
        </details>
      </div>
      <button type="button" className="midi-notice-close" onClick={() => void dismiss()} aria-label="Close this notice" title="Close this notice (the status bar keeps the reason)" data-testid="midi-notice-dismiss">
        <Icon name="close" />
      </button>
    </div>
  );
}
