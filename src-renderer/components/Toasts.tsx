// Toasts: errors stay until dismissed or 12 s, others 4 s. Announced to screen readers (errors assertively).
// Never over a dialog's buttons: their height is published as --toasts-height, and while a modal is open the stack
// sits at the top and the dialog's backdrop keeps that much room free (styles.css, "toasts and dialogs").
import { useEffect, useLayoutEffect, useRef } from 'react';
import { useApp } from '../store/context';
import type { Toast } from '../store/types';
import { Icon } from './Icon';

function ToastItem({ toast }: { toast: Toast }) {
  const dismiss = useApp((s) => s.dismissToast);
  useEffect(() => {
    const t = setTimeout(() => dismiss(toast.id), toast.tone === 'error' ? 12_000 : 4_000);
    return () => clearTimeout(t);
  }, [toast.id, toast.tone, dismiss]);
  return (
    <div className={`toast toast-${toast.tone}`} role={toast.tone === 'error' ? 'alert' : 'status'} data-testid={`toast-${toast.tone}`}>
      <span>{toast.text}</span>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
        <Icon name="close" />
      </button>
    </div>
  );
}

/** Publishes the stack's height on the document (--toasts-height) whenever it changes. */
function usePublishedHeight(ref: React.RefObject<HTMLDivElement | null>): void {
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const root = document.documentElement;
    const publish = (): void => root.style.setProperty('--toasts-height', `${Math.ceil(el.getBoundingClientRect().height)}px`);
    publish();
    const observer = new ResizeObserver(publish);
    observer.observe(el);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--toasts-height');
    };
  }, [ref]);
}

export function Toasts() {
  const toasts = useApp((s) => s.toasts);
  const ref = useRef<HTMLDivElement>(null);
  usePublishedHeight(ref);
  return (
    <div ref={ref} className="toasts" aria-live="polite" data-testid="toasts">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} />
      ))}
    </div>
  );
}
