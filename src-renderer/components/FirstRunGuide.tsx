// The first-run guide at the top of the Mappings view: press a pad → watch it in the console → map it, each step ticking
// itself (the tracker in store/slices/first-run.ts); gone once done or skipped. Never sends MIDI or edits the config.
import { guideSteps, guideVisible, lastPressedText, type GuideStepId } from '../store/first-run';
import { useApp } from '../store/context';
import { Icon } from './Icon';
import './first-run.css';

const TITLES: Record<GuideStepId, string> = {
  press: 'Press a pad',
  console: 'Watch it in the console',
  map: 'Map it',
};

export function FirstRunGuide() {
  const ui = useApp((s) => s.uiState);
  const skip = useApp((s) => s.skipGuide);
  const setView = useApp((s) => s.setView);
  if (!ui || !guideVisible(ui)) return null;
  const steps = guideSteps(ui.guide);
  const current = steps.find((s) => !s.done)?.id ?? null;
  const pressed = lastPressedText(ui.guide);
  const body: Record<GuideStepId, React.ReactNode> = {
    press: pressed ? <>You pressed {pressed}.</> : <>Click a pad on the on-screen controller, or press one on yours.</>,
    console: (
      <>
        <button type="button" className="link-button" onClick={() => setView('console')} data-testid="first-run-open-console">
          Open the Console
        </button>{' '}
        to see the press arrive.
      </>
    ),
    map: <>Add a mapping on {pressed ?? 'the pad'}, choose what it does, and Save.</>,
  };
  return (
    <section className="first-run" aria-labelledby="first-run-heading" data-testid="first-run-guide">
      <div className="first-run-head">
        <h2 id="first-run-heading">First steps</h2>
        <button type="button" className="link-button" onClick={() => void skip()} data-testid="first-run-skip">
          Skip the guide
        </button>
      </div>
      <ol className="first-run-steps">
        {steps.map((step, i) => (
          <li
            key={step.id}
            className={`first-run-step${step.done ? ' is-done' : ''}${step.id === current ? ' is-current' : ''}`}
            data-testid={`first-run-step-${step.id}`}
            data-done={step.done}
            aria-current={step.id === current ? 'step' : undefined}
          >
            <span className="first-run-mark" aria-hidden="true">
              {step.done ? <Icon name="check" /> : i + 1}
            </span>
            <div className="first-run-step-text">
              <strong>
                {TITLES[step.id]}
                {step.done ? <span className="sr-only"> (done)</span> : null}
              </strong>
              <p className="muted">{body[step.id]}</p>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
