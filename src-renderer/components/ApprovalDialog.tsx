// The capability-approval dialog: one per plugin (the store keeps the latest request per plugin id), opened by a
// plugins.onDidRequestApproval event or from a plugin row. Built from the plugin's live snapshot so every decision shows
// at once. Low risk: granted automatically. Medium: approve/deny. High: a red warning, and Approve only after the
// "I understand" checkbox. Deny is one click; closing (Escape, ×, "Decide later") leaves everything pending.
import { useEffect, useId, useRef, useState } from 'react';
import { CAPABILITY_INFO, type GrantStatus } from '../../src-shared/capabilities';
import type { PluginInfo } from '../../src-shared/contract';
import type { Capability, SignatureTier } from '../../src-shared/plugin';
import { useApp } from '../store/context';
import { Icon, RiskIcon } from './Icon';

export const TIER_TEXT: Record<SignatureTier, string> = {
  unchecked: 'Not checked',
  unsigned: 'Unsigned (development)',
  'self-signed': 'Self-signed',
  trusted: 'Trusted signer',
  bundled: 'Bundled with the app',
};

/** "i understand this plugin can start programs …" from "Start programs …". */
function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1).replace(/\.$/, '');
}

interface CapRow {
  capability: Capability;
  status: GrantStatus;
}

function statusOf(plugin: PluginInfo | undefined, capability: Capability, fallback: GrantStatus): GrantStatus {
  if (!plugin) return fallback;
  const s = plugin.snapshot;
  if (s.grants.includes(capability)) return 'granted';
  if (s.deniedCapabilities.includes(capability)) return 'denied';
  if (s.pendingCapabilities.includes(capability)) return 'pending';
  return fallback;
}

const STATUS_TEXT: Record<GrantStatus, string> = { granted: 'Granted', denied: 'Denied', pending: 'Waiting for your decision' };

function CapabilityItem({ pluginId, row, hosts, busy }: { pluginId: string; row: CapRow; hosts: string[]; busy: boolean }) {
  const decide = useApp((s) => s.decideCapability);
  const info = CAPABILITY_INFO[row.capability];
  const [understood, setUnderstood] = useState(false);
  const checkId = useId();
  const c = row.capability;
  const high = info.risk === 'high';
  return (
    <li className={`approval-cap risk-${info.risk}`} data-testid={`approval-cap-${c}`} data-status={row.status}>
      <div className="approval-cap-head">
        <RiskIcon risk={info.risk} />
        <strong>{info.title}</strong>
        <span className={`risk-badge risk-${info.risk}`}>
          <span data-testid={`approval-risk-${c}`}>{info.risk}</span> risk
        </span>
        <span className="approval-status" data-testid={`approval-status-${c}`}>
          {info.risk === 'low' && row.status === 'granted' ? 'Granted automatically' : STATUS_TEXT[row.status]}
        </span>
      </div>
      <p>{info.description}</p>
      {c === 'network' ? <p className="muted">Allowed hosts: {hosts.length > 0 ? hosts.join(', ') : 'any public host (the plugin lists none)'}</p> : null}
      {high ? (
        <div className="approval-danger" role="note">
          <strong>High risk.</strong> Only approve this if you trust the plugin and its developer: it can {lowerFirst(info.description)}.
        </div>
      ) : null}
      {info.risk === 'low' ? null : (
        <div className="approval-actions">
          {high && row.status !== 'granted' ? (
            <label htmlFor={checkId} className="approval-understand">
              <input id={checkId} type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} data-testid={`understand-${c}`} />I understand this
              plugin can {lowerFirst(info.description)}
            </label>
          ) : null}
          <button
            type="button"
            className="primary"
            disabled={busy || row.status === 'granted' || (high && !understood)}
            aria-label={`Approve ${info.title}`}
            data-testid={`approve-${c}`}
            onClick={() => void decide(pluginId, c, 'granted')}
          >
            Approve
          </button>
          <button
            type="button"
            className="danger"
            disabled={busy || row.status === 'denied'}
            aria-label={`Deny ${info.title}`}
            data-testid={`deny-${c}`}
            onClick={() => void decide(pluginId, c, 'denied')}
          >
            Deny
          </button>
        </div>
      )}
    </li>
  );
}

export function ApprovalDialog() {
  const pluginId = useApp((s) => s.approvalDialog);
  const request = useApp((s) => (s.approvalDialog ? s.approvals[s.approvalDialog] : undefined));
  const plugin = useApp((s) => s.plugins.find((p) => p.id === s.approvalDialog));
  const busy = useApp((s) => (s.approvalDialog ? s.pluginBusy[s.approvalDialog] === true : false));
  const close = useApp((s) => s.closeApproval);
  const dialogRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const opener = useRef<Element | null>(null);

  useEffect(() => {
    if (!pluginId) return;
    opener.current = document.activeElement;
    dialogRef.current?.focus();
    return () => {
      if (opener.current instanceof HTMLElement && opener.current.isConnected) opener.current.focus();
    };
  }, [pluginId]);

  if (!pluginId || (!request && !plugin)) return null;

  const meta = plugin?.snapshot.metadata ?? null;
  const name = meta?.name ?? request?.name ?? pluginId;
  const version = meta?.version ?? request?.version ?? '';
  const tier = plugin?.snapshot.verification?.tier ?? request?.tier ?? 'unchecked';
  const signer = plugin?.snapshot.verification?.signer ?? request?.signer ?? null;
  const hosts = meta?.allowedHosts ?? request?.allowedHosts ?? [];
  const requested: CapRow[] = meta
    ? meta.capabilities.map((c) => ({ capability: c, status: statusOf(plugin, c, CAPABILITY_INFO[c].risk === 'low' ? 'granted' : 'pending') }))
    : (request?.capabilities ?? []).map((r) => ({ capability: r.capability, status: statusOf(plugin, r.capability, r.status) }));
  const order = { high: 0, medium: 1, low: 2 } as const;
  requested.sort((a, b) => order[CAPABILITY_INFO[a.capability].risk] - order[CAPABILITY_INFO[b.capability].risk]);
  const highRisk = requested.some((r) => CAPABILITY_INFO[r.capability].risk === 'high');
  const pending = requested.filter((r) => r.status === 'pending').length;

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      close();
      return;
    }
    if (e.key !== 'Tab' || !dialogRef.current) return;
    // Keep focus inside the modal dialog.
    const focusable = Array.from(dialogRef.current.querySelectorAll<HTMLElement>('button:not([disabled]), input:not([disabled])'));
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && (document.activeElement === first || document.activeElement === dialogRef.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="modal-backdrop">
      <div ref={dialogRef} className="modal approval-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} tabIndex={-1} data-testid="approval-dialog" onKeyDown={onKeyDown}>
        <header className="modal-head">
          <h2 id={titleId}>
            {name} {version ? <span className="muted">{version}</span> : null} asks for permissions
          </h2>
          <button type="button" className="icon-button" aria-label="Close (decide later)" title="Close — decide later" data-testid="approval-close" onClick={close}>
            <Icon name="close" />
          </button>
        </header>
        <p data-testid="approval-tier">
          Signature: <strong>{TIER_TEXT[tier]}</strong>
          {signer ? ` — signed by ${signer.name}${signer.email ? ` <${signer.email}>` : ''}, key ${signer.publicKey.slice(0, 16)}…` : ''}
        </p>
        {tier === 'unsigned' && highRisk ? (
          <div className="approval-danger" role="alert" data-testid="approval-unsigned-warning">
            <strong>This plugin is not signed</strong> and asks for a high-risk capability: nobody vouches for where it came from or that it was not
            modified. Approve only if you built it yourself or fully trust its source.
          </div>
        ) : null}
        <p className="muted">
          {pending > 0 ? `${pending} capabilit${pending === 1 ? 'y waits' : 'ies wait'} for your decision; the plugin does not run until you decide.` : 'Nothing waits for a decision.'}{' '}
          Denied capabilities are withheld — the plugin runs without them.
        </p>
        <ul className="approval-caps">
          {requested.map((row) => (
            <CapabilityItem key={row.capability} pluginId={pluginId} row={row} hosts={hosts} busy={busy} />
          ))}
        </ul>
        <footer className="modal-foot">
          <button type="button" onClick={close} data-testid="approval-later">
            {pending > 0 ? 'Decide later' : 'Done'}
          </button>
        </footer>
      </div>
    </div>
  );
}
