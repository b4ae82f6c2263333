// The UI's symbols as inline SVG (navigation, check/cross/warning, close, risk levels), so they render without an
// emoji or symbol font. Pure markup drawn with currentColor: never loads a file, never uses innerHTML.
import type { RiskLevel } from '../../src-shared/capabilities';

export type IconName =
  | 'devices'
  | 'mappings'
  | 'plugins'
  | 'console'
  | 'settings'
  | 'check'
  | 'cross'
  | 'warning'
  | 'close'
  | 'dot'
  | 'play'
  | 'risk-low'
  | 'risk-medium'
  | 'risk-high'
  // Action kinds and the marks drawn on a controller's controls (components/Controller.tsx).
  | 'mode'
  | 'midi'
  | 'sequence'
  | 'delay'
  | 'repeat'
  | 'terminal'
  | 'launch'
  | 'keyboard'
  | 'text'
  | 'globe'
  | 'layers';

/** The drawing of each icon on a 16×16 grid; strokes and fills use currentColor unless CSS says otherwise. */
const SHAPES: Record<IconName, React.ReactNode> = {
  devices: (
    <g fill="currentColor">
      <rect x="1.5" y="1.5" width="5.5" height="5.5" rx="1" />
      <rect x="9" y="1.5" width="5.5" height="5.5" rx="1" />
      <rect x="1.5" y="9" width="5.5" height="5.5" rx="1" />
      <rect x="9" y="9" width="5.5" height="5.5" rx="1" />
    </g>
  ),
  mappings: (
    <g fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
      <path d="M2 5h11M10 2l3 3-3 3" />
      <path d="M14 11H3M6 8l-3 3 3 3" />
    </g>
  ),
  plugins: (
    <path
      fill="currentColor"
      d="M6 1.5a1.75 1.75 0 0 1 3.5 0V3H13a1 1 0 0 1 1 1v3.5h-1.5a1.75 1.75 0 0 0 0 3.5H14V14a1 1 0 0 1-1 1H9.5v-1.5a1.75 1.75 0 0 0-3.5 0V15H3a1 1 0 0 1-1-1v-3h1.25a1.75 1.75 0 0 0 0-3.5H2V4a1 1 0 0 1 1-1h3z"
    />
  ),
  console: (
    <g fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round">
      <path d="M2 3.5h12M2 8h12M2 12.5h8" />
    </g>
  ),
  settings: (
    <g fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round">
      <circle cx="8" cy="8" r="2.3" />
      <path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" />
    </g>
  ),
  check: <path fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" d="M2.5 8.5l3.5 3.5 7.5-8" />,
  cross: <path fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" d="M3.5 3.5l9 9M12.5 3.5l-9 9" />,
  close: <path fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" d="M4 4l8 8M12 4l-8 8" />,
  warning: (
    <g>
      <path fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" d="M8 1.8L15 14H1z" />
      <path fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" d="M8 6v4" />
      <circle fill="currentColor" cx="8" cy="12" r="0.9" />
    </g>
  ),
  dot: <circle fill="currentColor" cx="8" cy="8" r="4" />,
  play: <path fill="currentColor" d="M4.5 2.5v11l9-5.5z" />,
  mode: (
    <g fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round">
      <rect x="1.5" y="4" width="9" height="9.5" rx="1.5" />
      <path d="M5 4V2.5h9.5v9.5H10.5" />
    </g>
  ),
  midi: (
    <g>
      <circle fill="none" stroke="currentColor" strokeWidth="1.4" cx="8" cy="8" r="6.5" />
      <g fill="currentColor">
        <circle cx="4.6" cy="8" r="1" />
        <circle cx="11.4" cy="8" r="1" />
        <circle cx="5.6" cy="5.2" r="1" />
        <circle cx="10.4" cy="5.2" r="1" />
        <circle cx="8" cy="4.2" r="1" />
      </g>
    </g>
  ),
  sequence: (
    <g fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round">
      <path d="M2 4h3M7 8h3M12 12h2" />
      <path d="M5 4l2 4M10 8l2 4" strokeWidth="1.1" />
    </g>
  ),
  delay: (
    <g fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round">
      <circle cx="8" cy="8.5" r="6" />
      <path d="M8 5v3.5l2.5 1.5M6 1.5h4" />
    </g>
  ),
  repeat: (
    <g fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round">
      <path d="M2.5 7V6a2 2 0 0 1 2-2h9M11 1.5l2.5 2.5L11 6.5" />
      <path d="M13.5 9v1a2 2 0 0 1-2 2h-9M5 14.5L2.5 12 5 9.5" />
    </g>
  ),
  terminal: (
    <g fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round">
      <rect x="1.5" y="2.5" width="13" height="11" rx="1.5" />
      <path d="M4.5 6l2.5 2-2.5 2M8.5 10.5h3" />
    </g>
  ),
  launch: (
    <g fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round">
      <path d="M9.5 2.5h4v4M13.5 2.5L7 9" />
      <path d="M11.5 9.5v3a1 1 0 0 1-1 1h-7a1 1 0 0 1-1-1v-7a1 1 0 0 1 1-1h3" />
    </g>
  ),
  keyboard: (
    <g>
      <rect fill="none" stroke="currentColor" strokeWidth="1.4" x="1" y="3.5" width="14" height="9" rx="1.5" />
      <path fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" d="M3.8 6.3h.1M6.6 6.3h.1M9.4 6.3h.1M12.2 6.3h.1M5 9.7h6" />
    </g>
  ),
  text: (
    <g fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round">
      <path d="M2.5 3.5h11M8 3.5v10M6 13.5h4" />
    </g>
  ),
  globe: (
    <g fill="none" stroke="currentColor" strokeWidth="1.3">
      <circle cx="8" cy="8" r="6.5" />
      <path d="M1.5 8h13M8 1.5c2.2 2 2.2 11 0 13M8 1.5c-2.2 2-2.2 11 0 13" />
    </g>
  ),
  layers: (
    <g fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round">
      <path d="M8 1.8l6.5 3.4L8 8.6 1.5 5.2z" />
      <path d="M1.5 8.2L8 11.6l6.5-3.4M1.5 11.2L8 14.6l6.5-3.4" />
    </g>
  ),
  // Risk: colour and shape both differ (circle, triangle, diamond), so the level shows without colour vision too.
  'risk-low': <circle className="icon-fill" cx="8" cy="8" r="6.5" />,
  'risk-medium': <path className="icon-fill" strokeLinejoin="round" d="M8 1.2L15.2 14.3H0.8z" />,
  'risk-high': <path className="icon-fill" d="M8 0.6L15.4 8 8 15.4 0.6 8z" />,
};

export interface IconProps {
  name: IconName;
  /** The accessible name; without one the icon is decorative (aria-hidden) and the text beside it says it all. */
  label?: string;
  className?: string;
  title?: string;
}

export function Icon({ name, label, className, title }: IconProps) {
  return (
    <svg
      className={`icon icon-${name}${className ? ` ${className}` : ''}`}
      viewBox="0 0 16 16"
      width="1em"
      height="1em"
      focusable="false"
      data-icon={name}
      {...(label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': true })}
    >
      {title ? <title>{title}</title> : null}
      {SHAPES[name]}
    </svg>
  );
}

const RISK_WORDS: Record<RiskLevel, string> = { low: 'Low risk', medium: 'Medium risk', high: 'High risk' };

/** A capability's risk level as an icon named "Low risk" / "Medium risk" / "High risk" (the catalogue's emoji stay data). */
export function RiskIcon({ risk }: { risk: RiskLevel }) {
  return <Icon name={`risk-${risk}`} label={RISK_WORDS[risk]} className={`risk-icon risk-icon-${risk}`} />;
}
